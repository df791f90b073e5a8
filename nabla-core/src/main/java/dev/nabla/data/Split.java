package dev.nabla.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A dataset divided into a training part and a validation part. The parts made by {@link #random}
 * are {@linkplain TensorDataset#subsetView views} that share the dataset's arrays: splitting copies
 * no sample.
 */
public record Split(TensorDataset train, TensorDataset validation) {

    /**
     * Puts round(N · validationFraction) samples, chosen by a seeded permutation, into the
     * validation part and the rest into the training part (both keep dataset order). A fraction in
     * (0, 1) leaves at least one sample on each side; 0 gives an empty validation part. Both parts
     * share data's arrays (see {@link TensorDataset#subsetView}); data is not modified.
     */
    public static Split random(TensorDataset data, double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1))
            throw new IllegalArgumentException("Split: validation fraction " + validationFraction + " must be in [0, 1)");
        int n = data.size();
        int nVal = (int) Math.round(n * validationFraction);
        if (validationFraction > 0) nVal = Math.max(1, Math.min(n - 1, nVal));
        if (n - nVal < 1) throw new IllegalArgumentException("Split: " + n + " samples leave none for training");
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5851F42D4C957F2DL);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        int[] val = Arrays.copyOfRange(p, 0, nVal), train = Arrays.copyOfRange(p, nVal, n);
        Arrays.sort(val);
        Arrays.sort(train);
        return new Split(data.subsetView(train), data.subsetView(val));
    }
}
