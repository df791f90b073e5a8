package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/** Squared error (ŷ − y)² per element: see {@link Losses#mse}. */
public final class MSELoss extends Loss {
    public MSELoss() { this(Reduction.MEAN); }

    public MSELoss(Reduction reduction) { super(reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return Losses.mse(input, target, reduction); }
}
