package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/** Cosine loss −(y·ŷ)/(‖y‖‖ŷ‖) per sample: see {@link Losses#cosine}. */
public final class CosineLoss extends Loss {
    public CosineLoss() { this(Reduction.MEAN); }

    public CosineLoss(Reduction reduction) { super(reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return Losses.cosine(input, target, reduction); }
}
