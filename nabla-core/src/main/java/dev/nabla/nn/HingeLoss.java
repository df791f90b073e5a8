package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/** Binary hinge loss max(0, 1 − y·ŷ) with targets ±1: see {@link Losses#hinge}. */
public final class HingeLoss extends Loss {
    public HingeLoss() { this(Reduction.MEAN); }

    public HingeLoss(Reduction reduction) { super(reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return Losses.hinge(input, target, reduction); }
}
