package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/** Huber loss with threshold delta (r²/2 inside, δ(|r| − δ/2) outside): see {@link Losses#huber}. */
public final class HuberLoss extends Loss {
    private final double delta;

    /** delta = 1, mean reduction (PyTorch's defaults). */
    public HuberLoss() { this(Reduction.MEAN, 1.0); }

    public HuberLoss(Reduction reduction, double delta) {
        super(reduction);
        if (!(delta > 0)) throw new IllegalArgumentException("HuberLoss: delta = " + delta + " must be positive");
        this.delta = delta;
    }

    public double delta() { return delta; }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return Losses.huber(input, target, delta, reduction); }

    @Override
    protected String extraRepr() { return "delta=" + delta; }
}
