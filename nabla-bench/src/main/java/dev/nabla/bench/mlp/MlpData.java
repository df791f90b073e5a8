package dev.nabla.bench.mlp;

import dev.nabla.array.NdArray;
import dev.nabla.data.Mnist;
import dev.nabla.data.TensorDataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The MNIST images (pixels scaled to [0, 1], flattened to 784) and labels that every engine of the
 * side-by-side run trains on, and the batches of one epoch: a permutation drawn from a seeded
 * generator each epoch, cut into full batches (the last partial batch is dropped, so every step does
 * the same work in every engine).
 */
public final class MlpData {
    public static final int FEATURES = 784;
    public static final int CLASSES = 10;

    public final float[] images;
    public final int[] labels;
    public final int size;

    private MlpData(float[] images, int[] labels) {
        this.images = images;
        this.labels = labels;
        this.size = labels.length;
    }

    /**
     * Loads the training set when the folder has one, else the test set. The folder is the given
     * one, else $NABLA_MNIST_DIR, else ../shared/data/mnist or shared/data/mnist from the working
     * folder upwards.
     */
    public static MlpData load(String dir) throws IOException {
        Path d = dir != null ? Path.of(dir) : locate();
        Mnist.Data data = Mnist.load(d);
        TensorDataset set = data.train() != null ? data.train() : data.test();
        NdArray x = set.features().reshape(set.size(), FEATURES).contiguous();
        float[] images = x.floatData().length == set.size() * FEATURES ? x.floatData() : x.toFloatArray();
        float[] y = set.labels().toFloatArray();
        int[] labels = new int[y.length];
        for (int i = 0; i < y.length; i++) labels[i] = (int) y[i];
        return new MlpData(images, labels);
    }

    /** A set of the same shape with random pixels and labels (for timing; the step's work does not depend on the values). */
    static MlpData random(int samples, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] images = new float[samples * FEATURES];
        int[] labels = new int[samples];
        for (int i = 0; i < images.length; i++) images[i] = (float) rng.nextDouble();
        for (int i = 0; i < samples; i++) labels[i] = rng.nextInt(CLASSES);
        return new MlpData(images, labels);
    }

    private static Path locate() throws IOException {
        String env = System.getenv("NABLA_MNIST_DIR");
        if (env != null && !env.isBlank()) return Path.of(env);
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            for (Path c : new Path[] {p.resolve("../shared/data/mnist").normalize(), p.resolve("shared/data/mnist")})
                if (Files.isDirectory(c) && Mnist.isPresent(c)) return c;
        }
        throw new IOException("MNIST not found: pass --data DIR, or set NABLA_MNIST_DIR, or put it in ../shared/data/mnist");
    }

    /** The sample order of an epoch: the same for every engine given the same seed and epoch. */
    public int[] permutation(long seed, int epoch) {
        int[] p = new int[size];
        for (int i = 0; i < size; i++) p[i] = i;
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + epoch);
        for (int i = size - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        return p;
    }

    /** Copies the samples perm[start..start+batch) into x (batch × 784) and y (batch). */
    public void fill(int[] perm, int start, int batch, float[] x, int[] y) {
        for (int b = 0; b < batch; b++) {
            int s = perm[start + b];
            System.arraycopy(images, s * FEATURES, x, b * FEATURES, FEATURES);
            y[b] = labels[s];
        }
    }
}
