package dev.nabla.nn;

import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;
import dev.nabla.autograd.Tensor;
import dev.nabla.kernels.UnaryOp;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout. In training mode each element is kept with probability 1 − p and scaled by
 * 1 / (1 − p), or set to 0: y = x ⊙ m / (1 − p) with m_i ~ Bernoulli(1 − p), so the expected output
 * equals the input. In evaluation mode y = x (the same tensor). Any shape.
 *
 * <p>Masks: the n-th training-mode forward pass draws its mask from a generator seeded by a hash of
 * (seed, n), so the masks depend only on the seed and on how many masks came before. Both are the
 * module's {@link #randomState()} ({@code "generator"}: the seed's high and low 32 bits and n), which
 * a {@link dev.nabla.train.Checkpoint} saves, so that a resumed run draws the masks the
 * uninterrupted run would have.
 */
public final class Dropout extends Module {
    private final double p;
    private long seed;
    private long masks;

    /** Dropout with probability p, seeded from {@link Init#generator()}. */
    public Dropout(double p) { this(p, Init.generator()); }

    /** Dropout with probability p, its seed drawn from rng (one {@code nextLong()}). */
    public Dropout(double p, RandomGenerator rng) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout: probability p = " + p + " is not in [0, 1]");
        this.p = p;
        this.seed = rng.nextLong();
    }

    public double p() { return p; }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) return x;
        if (p == 1) return x.mul(0.0);
        // a generator per mask, from a strong hash of (seed, mask number): streams of different masks do not overlap
        SplittableRandom rng = new SplittableRandom(new SplittableRandom(seed ^ (masks++ * 0xBF58476D1CE4E5B9L)).nextLong());
        NdArray keep = NdArray.rand(rng, x.dtype(), x.shape())
            .unary(UnaryOp.GT_SCALAR, p, 0)     // 1 where u > p: probability 1 − p
            .mul(1 / (1 - p));
        return x.mul(Tensor.of(keep));
    }

    @Override
    protected Map<String, NdArray> ownRandomState() {
        return Map.of("generator", NdArray.of(new double[] {seed >>> 32, seed & 0xFFFFFFFFL, masks}, 3));
    }

    @Override
    protected Runnable checkRandomState(String prefix, Map<String, NdArray> state) {
        String key = prefix + "generator";
        NdArray g = state.get("generator");
        if (g.rank() != 1 || g.size(0) != 3)
            throw new IllegalArgumentException("loadRandomState: entry '" + key + "' has shape " + Shapes.str(g.shape())
                + " but Dropout's generator state has shape [3] (seed high bits, seed low bits, masks drawn)");
        double hi = g.get(0), lo = g.get(1), n = g.get(2);
        if (!(whole(hi) && hi < 0x1p32 && whole(lo) && lo < 0x1p32 && whole(n) && n < 0x1p53))
            throw new IllegalArgumentException("loadRandomState: entry '" + key + "' holds " + hi + ", " + lo + ", " + n
                + "; expected two 32-bit halves of a seed and a count of masks (whole numbers, not negative)");
        return () -> {
            seed = (long) hi << 32 | (long) lo;
            masks = (long) n;
        };
    }

    private static boolean whole(double v) { return v >= 0 && v == Math.rint(v); }

    @Override
    protected String extraRepr() { return "p=" + p; }
}
