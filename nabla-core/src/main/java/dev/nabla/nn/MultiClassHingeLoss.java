package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/** Multi-class hinge Σ_{j≠y} max(0, ŷ_j − ŷ_y + margin) per sample: see {@link Losses#multiClassHinge}. */
public final class MultiClassHingeLoss extends Loss {
    private final double margin;

    /** margin 1, mean reduction. */
    public MultiClassHingeLoss() { this(Reduction.MEAN, 1.0); }

    public MultiClassHingeLoss(Reduction reduction, double margin) {
        super(reduction);
        this.margin = margin;
    }

    public double margin() { return margin; }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return Losses.multiClassHinge(input, target, margin, reduction); }

    @Override
    protected String extraRepr() { return "margin=" + margin; }
}
