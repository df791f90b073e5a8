package dev.nabla.nn;

import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.kernels.UnaryOp;

import java.util.random.RandomGenerator;

/**
 * Inverted dropout. In training mode each element is kept with probability 1 − p and scaled by
 * 1 / (1 − p), or set to 0: y = x ⊙ m / (1 − p) with m_i ~ Bernoulli(1 − p) drawn from the
 * generator, so the expected output equals the input. In evaluation mode y = x (the same tensor).
 * Any shape.
 */
public final class Dropout extends Module {
    private final double p;
    private final RandomGenerator rng;

    /** Dropout with probability p, drawing masks from a generator split off {@link Init#generator()}. */
    public Dropout(double p) { this(p, Init.generator()); }

    public Dropout(double p, RandomGenerator rng) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout: probability p = " + p + " is not in [0, 1]");
        this.p = p;
        this.rng = rng;
    }

    public double p() { return p; }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) return x;
        if (p == 1) return x.mul(0.0);
        NdArray keep = NdArray.rand(rng, x.dtype(), x.shape())
            .unary(UnaryOp.GT_SCALAR, p, 0)     // 1 where u > p: probability 1 − p
            .mul(1 / (1 - p));
        return x.mul(Tensor.of(keep));
    }

    @Override
    protected String extraRepr() { return "p=" + p; }
}
