package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/** PyTorch's MultiMarginLoss: the multi-class hinge of each sample divided by C; see {@link Losses#multiMargin}. */
public final class MultiMarginLoss extends Loss {
    private final double margin;

    /** margin 1, mean reduction. */
    public MultiMarginLoss() { this(Reduction.MEAN, 1.0); }

    public MultiMarginLoss(Reduction reduction, double margin) {
        super(reduction);
        this.margin = margin;
    }

    public double margin() { return margin; }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return Losses.multiMargin(input, target, margin, reduction); }

    @Override
    protected String extraRepr() { return "margin=" + margin; }
}
