package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/**
 * The Gaussian error linear unit in its tanh approximation (PyTorch's {@code approximate='tanh'}):
 * GELU(x) ≈ ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). The exact form x·Φ(x) needs erf, which is not
 * among the differentiable primitives; the approximation differs from it by less than 5e-4 and is
 * composed of tensor operations, so its gradients (of any order) are exact for the formula above.
 * Any shape.
 */
public final class GELU extends Module {
    private static final double C = Math.sqrt(2 / Math.PI);

    @Override
    public Tensor forward(Tensor x) {
        Tensor inner = x.add(x.pow(3).mul(0.044715)).mul(C);
        return x.mul(inner.tanh().add(1.0)).mul(0.5);
    }

    @Override
    protected String extraRepr() { return "approximate='tanh'"; }
}
