package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/**
 * softmax(x)_i = e^{x_i} / Σ_j e^{x_j} along dim (computed with the maximum subtracted, so large
 * inputs do not overflow). Its Jacobian is diag(s) − s sᵀ along dim. Any shape.
 */
public final class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) { this.dim = dim; }

    public int dim() { return dim; }

    @Override
    public Tensor forward(Tensor x) { return x.softmax(dim); }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
