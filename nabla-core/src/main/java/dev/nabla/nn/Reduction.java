package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/**
 * How a loss combines its terms, as PyTorch's {@code reduction}: NONE keeps one term per element
 * (element-wise losses) or per sample (per-sample losses), MEAN averages them, SUM adds them.
 * MEAN thus divides an element-wise loss by the number of elements (N·d for an [N, d] output) and a
 * per-sample loss (cross-entropy, NLL, multi-class hinge, cosine) by N.
 */
public enum Reduction {
    NONE, MEAN, SUM;

    /** Applies this reduction to a tensor of loss terms. */
    public Tensor apply(Tensor terms) {
        return switch (this) {
            case NONE -> terms;
            case MEAN -> terms.mean();
            case SUM -> terms.sum();
        };
    }
}
