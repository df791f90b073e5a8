package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/** Negative log-likelihood of log-probabilities [N, C] against class indices [N]: see {@link Losses#nll}. */
public final class NLLLoss extends Loss {
    public NLLLoss() { this(Reduction.MEAN); }

    public NLLLoss(Reduction reduction) { super(reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return Losses.nll(input, target, reduction); }
}
