package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/** Absolute error |ŷ − y| per element: see {@link Losses#l1}. */
public final class L1Loss extends Loss {
    public L1Loss() { this(Reduction.MEAN); }

    public L1Loss(Reduction reduction) { super(reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return Losses.l1(input, target, reduction); }
}
