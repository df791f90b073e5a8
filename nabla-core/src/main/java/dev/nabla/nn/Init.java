package dev.nabla.nn;

import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;
import dev.nabla.autograd.Tensor;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Parameter initializers, as in PyTorch's {@code torch.nn.init}. Each fills the tensor's array in
 * place (outside the autograd graph) with numbers from the given generator, and returns the tensor.
 *
 * <p>Fans: for a weight of shape [out, in, k…], fan_in = in·Πk and fan_out = out·Πk (a linear
 * layer's weight is out × in). The gain of a leaky ReLU with negative slope a is √(2 / (1 + a²));
 * a = 0 gives ReLU's √2.
 *
 * <p>Modules built without a generator draw from {@link #generator()}, a deterministic default that
 * {@link #manualSeed} resets (like {@code torch.manual_seed}).
 */
public final class Init {
    private Init() {}

    private static SplittableRandom defaultGenerator = new SplittableRandom(0x5eed_1e55L);

    /** Resets the default generator, so that modules built afterwards are initialized reproducibly. */
    public static synchronized void manualSeed(long seed) { defaultGenerator = new SplittableRandom(seed); }

    /** A new generator split off the default one (deterministic in the order of calls). */
    public static synchronized RandomGenerator generator() { return defaultGenerator.split(); }

    /** U(lo, hi) element-wise. */
    public static Tensor uniform(Tensor t, double lo, double hi, RandomGenerator rng) {
        if (!(lo <= hi)) throw new IllegalArgumentException("uniform: lower bound " + lo + " exceeds upper bound " + hi);
        t.data().copyFrom(NdArray.uniform(rng, t.dtype(), lo, hi, t.shape()));
        return t;
    }

    /** N(mean, std²) element-wise. */
    public static Tensor normal(Tensor t, double mean, double std, RandomGenerator rng) {
        if (!(std >= 0)) throw new IllegalArgumentException("normal: standard deviation " + std + " is negative");
        t.data().copyFrom(NdArray.randn(rng, t.dtype(), t.shape()).mul(std).add(mean));
        return t;
    }

    /** Sets every element to value. */
    public static Tensor constant(Tensor t, double value) { t.data().fill(value); return t; }

    public static Tensor zeros(Tensor t) { return constant(t, 0); }

    public static Tensor ones(Tensor t) { return constant(t, 1); }

    /** Glorot/Xavier uniform: U(−b, b) with b = gain·√(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform(Tensor t, double gain, RandomGenerator rng) {
        int[] f = fans("xavierUniform", t);
        double bound = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform(t, -bound, bound, rng);
    }

    /** Xavier uniform with gain 1. */
    public static Tensor xavierUniform(Tensor t, RandomGenerator rng) { return xavierUniform(t, 1.0, rng); }

    /** Glorot/Xavier normal: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal(Tensor t, double gain, RandomGenerator rng) {
        int[] f = fans("xavierNormal", t);
        return normal(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), rng);
    }

    /** Xavier normal with gain 1. */
    public static Tensor xavierNormal(Tensor t, RandomGenerator rng) { return xavierNormal(t, 1.0, rng); }

    /**
     * He/Kaiming uniform for a leaky ReLU of negative slope a, fan_in mode: U(−b, b) with
     * b = √(2 / (1 + a²))·√(3 / fan_in). With a = √5 this is U(−1/√fan_in, 1/√fan_in), the default
     * of a PyTorch linear layer.
     */
    public static Tensor kaimingUniform(Tensor t, double a, RandomGenerator rng) {
        int fanIn = fans("kaimingUniform", t)[0];
        double bound = leakyReluGain(a) * Math.sqrt(3.0 / fanIn);
        return uniform(t, -bound, bound, rng);
    }

    /** Kaiming uniform for ReLU (a = 0): U(−√(6 / fan_in), √(6 / fan_in)). */
    public static Tensor kaimingUniform(Tensor t, RandomGenerator rng) { return kaimingUniform(t, 0, rng); }

    /** He/Kaiming normal, fan_in mode: N(0, std²) with std = √(2 / (1 + a²)) / √fan_in. */
    public static Tensor kaimingNormal(Tensor t, double a, RandomGenerator rng) {
        int fanIn = fans("kaimingNormal", t)[0];
        return normal(t, 0, leakyReluGain(a) / Math.sqrt(fanIn), rng);
    }

    /** Kaiming normal for ReLU (a = 0): std = √(2 / fan_in). */
    public static Tensor kaimingNormal(Tensor t, RandomGenerator rng) { return kaimingNormal(t, 0, rng); }

    /** √(2 / (1 + a²)), the gain of a leaky ReLU with negative slope a (√2 for ReLU). */
    public static double leakyReluGain(double a) { return Math.sqrt(2.0 / (1 + a * a)); }

    /** {fan_in, fan_out} of a weight of shape [out, in, k…]. */
    static int[] fans(String op, Tensor t) {
        int[] s = t.shape();
        if (s.length < 2)
            throw new IllegalArgumentException(op + ": fan in and fan out need a tensor with at least 2 dimensions, got shape " + Shapes.str(s));
        int receptive = 1;
        for (int i = 2; i < s.length; i++) receptive *= s[i];
        if (s[0] == 0 || s[1] == 0)
            throw new IllegalArgumentException(op + ": cannot initialize a tensor of shape " + Shapes.str(s) + " with no elements");
        return new int[] {s[1] * receptive, s[0] * receptive};
    }
}
