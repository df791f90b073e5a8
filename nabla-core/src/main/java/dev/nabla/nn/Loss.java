package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/**
 * A loss as an object: its parameters (reduction, margin, delta, ...) are fixed when it is made, and
 * {@link #forward} computes it through the functions of {@link Losses}. PyTorch's default
 * reduction is {@link Reduction#MEAN}.
 */
public abstract class Loss {
    protected final Reduction reduction;

    protected Loss(Reduction reduction) {
        if (reduction == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": reduction is null");
        this.reduction = reduction;
    }

    /** The loss of input (the network's output) against target. */
    public abstract Tensor forward(Tensor input, Tensor target);

    public Reduction reduction() { return reduction; }

    /** The parameters shown when printed, besides the reduction. */
    protected String extraRepr() { return ""; }

    @Override
    public String toString() {
        String extra = extraRepr();
        String red = reduction == Reduction.MEAN ? "" : "reduction=" + reduction.name().toLowerCase(java.util.Locale.ROOT);
        String inner = extra.isEmpty() ? red : red.isEmpty() ? extra : extra + ", " + red;
        return getClass().getSimpleName() + "(" + inner + ")";
    }
}
