package dev.nabla.data;

import dev.nabla.array.NdArray;

import java.util.SplittableRandom;

/**
 * Small 2-D classification sets generated from a seed, no file needed: the playgrounds of neural
 * network teaching. Each returns float32 features [n, 2] (blobs: [n, features]) and float32 class
 * indices [n]; the classes get n / classes samples each (the first n mod classes one more), and the
 * samples are shuffled. Noise is the standard deviation of Gaussian noise added to each coordinate,
 * in the units of the picture (whose scale is about 1). The same arguments give the same array.
 */
public final class Synthetic {
    private Synthetic() {}

    /** How many turns each spiral arm makes from the centre to radius 1. */
    public static final double SPIRAL_TURNS = 1.0;

    /**
     * Interleaved spiral arms, one per class: arm k at t ∈ [0, 1) is the point at radius
     * 0.1 + 0.9 t and angle 2πk / classes + 2π · {@value #SPIRAL_TURNS} · t, plus noise.
     */
    public static TensorDataset spirals(int n, int classes, double noise, long seed) {
        check("spirals", n, classes, noise, 2);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[2 * n], y = new float[n];
        for (int i = 0; i < n; i++) {
            int k = i % classes;
            double t = rng.nextDouble();
            double r = 0.1 + 0.9 * t;
            double a = 2 * Math.PI * k / classes + 2 * Math.PI * SPIRAL_TURNS * t;
            x[2 * i] = (float) (r * Math.cos(a) + noise * gaussian(rng));
            x[2 * i + 1] = (float) (r * Math.sin(a) + noise * gaussian(rng));
            y[i] = k;
        }
        return shuffled(x, y, 2, rng);
    }

    /**
     * Two interleaving half circles: class 0 is (cos t, sin t), class 1 is (1 − cos t, 0.5 − sin t),
     * t ∈ [0, π], plus noise.
     */
    public static TensorDataset moons(int n, double noise, long seed) {
        check("moons", n, 2, noise, 2);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[2 * n], y = new float[n];
        for (int i = 0; i < n; i++) {
            int k = i % 2;
            double t = Math.PI * rng.nextDouble();
            double px = k == 0 ? Math.cos(t) : 1 - Math.cos(t), py = k == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
            x[2 * i] = (float) (px + noise * gaussian(rng));
            x[2 * i + 1] = (float) (py + noise * gaussian(rng));
            y[i] = k;
        }
        return shuffled(x, y, 2, rng);
    }

    /** Two concentric circles: class 0 of radius 1, class 1 of radius factor (0 < factor < 1), plus noise. */
    public static TensorDataset circles(int n, double noise, double factor, long seed) {
        check("circles", n, 2, noise, 2);
        if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("circles: factor " + factor + " must be in (0, 1)");
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[2 * n], y = new float[n];
        for (int i = 0; i < n; i++) {
            int k = i % 2;
            double a = 2 * Math.PI * rng.nextDouble(), r = k == 0 ? 1 : factor;
            x[2 * i] = (float) (r * Math.cos(a) + noise * gaussian(rng));
            x[2 * i + 1] = (float) (r * Math.sin(a) + noise * gaussian(rng));
            y[i] = k;
        }
        return shuffled(x, y, 2, rng);
    }

    /**
     * The XOR pattern: points uniform in [−1, 1]², class 1 where the coordinates' signs differ
     * (x·y &lt; 0), class 0 where they agree; noise is added after labelling.
     */
    public static TensorDataset xor(int n, double noise, long seed) {
        check("xor", n, 2, noise, 2);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[2 * n], y = new float[n];
        for (int i = 0; i < n; i++) {
            double px = 2 * rng.nextDouble() - 1, py = 2 * rng.nextDouble() - 1;
            x[2 * i] = (float) (px + noise * gaussian(rng));
            x[2 * i + 1] = (float) (py + noise * gaussian(rng));
            y[i] = px * py < 0 ? 1 : 0;
        }
        return shuffled(x, y, 2, rng);
    }

    /**
     * Gaussian blobs: one centre per class drawn uniformly from [−1, 1]^features, then each sample
     * is its class centre plus Gaussian noise of standard deviation std in every coordinate.
     */
    public static TensorDataset blobs(int n, int classes, int features, double std, long seed) {
        check("blobs", n, classes, std, 1);
        if (features < 1) throw new IllegalArgumentException("blobs: features " + features + " must be at least 1");
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] centres = new double[classes][features];
        for (double[] c : centres) for (int j = 0; j < features; j++) c[j] = 2 * rng.nextDouble() - 1;
        float[] x = new float[n * features], y = new float[n];
        for (int i = 0; i < n; i++) {
            int k = i % classes;
            for (int j = 0; j < features; j++) x[i * features + j] = (float) (centres[k][j] + std * gaussian(rng));
            y[i] = k;
        }
        return shuffled(x, y, features, rng);
    }

    private static void check(String name, int n, int classes, double noise, int minClasses) {
        if (n < 1) throw new IllegalArgumentException(name + ": number of samples " + n + " must be at least 1");
        if (classes < minClasses) throw new IllegalArgumentException(name + ": " + classes + " classes; needs at least " + minClasses);
        if (!(noise >= 0) || Double.isInfinite(noise)) throw new IllegalArgumentException(name + ": noise " + noise + " must be a finite number ≥ 0");
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller: exact, and the same on every JVM (unlike nextGaussian's algorithm choice).
        double u = 1 - rng.nextDouble(), v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static TensorDataset shuffled(float[] x, float[] y, int d, SplittableRandom rng) {
        int n = y.length;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float t = y[i]; y[i] = y[j]; y[j] = t;
            for (int c = 0; c < d; c++) { float u = x[i * d + c]; x[i * d + c] = x[j * d + c]; x[j * d + c] = u; }
        }
        return new TensorDataset(NdArray.of(x, n, d), NdArray.of(y, n));
    }
}
