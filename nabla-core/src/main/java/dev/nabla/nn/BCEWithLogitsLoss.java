package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/** Binary cross-entropy on logits, computed stably: see {@link Losses#bceWithLogits}. */
public final class BCEWithLogitsLoss extends Loss {
    public BCEWithLogitsLoss() { this(Reduction.MEAN); }

    public BCEWithLogitsLoss(Reduction reduction) { super(reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return Losses.bceWithLogits(input, target, reduction); }
}
