package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/**
 * log softmax(x)_i = x_i − max − log Σ_j e^{x_j − max} along dim: finite for any finite input, unlike
 * log(softmax(x)). Pair it with {@link NLLLoss}; {@link CrossEntropyLoss} does both. Any shape.
 */
public final class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) { this.dim = dim; }

    public int dim() { return dim; }

    @Override
    public Tensor forward(Tensor x) { return x.logSoftmax(dim); }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
