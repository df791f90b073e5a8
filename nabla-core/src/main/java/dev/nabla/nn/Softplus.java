package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/**
 * Element-wise softplus(x) = log(1 + e^x), computed as max(x, 0) + log(1 + e^−|x|) so that it never
 * overflows; its derivative is σ(x). Any shape. (PyTorch's beta = 1; no linear threshold is needed.)
 */
public final class Softplus extends Module {
    @Override
    public Tensor forward(Tensor x) { return x.softplus(); }
}
