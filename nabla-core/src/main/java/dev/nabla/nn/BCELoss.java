package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/** Binary cross-entropy on probabilities: see {@link Losses#bce}. */
public final class BCELoss extends Loss {
    public BCELoss() { this(Reduction.MEAN); }

    public BCELoss(Reduction reduction) { super(reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return Losses.bce(input, target, reduction); }
}
