package dev.nabla.data;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;

import java.util.Arrays;

/**
 * A dataset held in memory: features [N, ...] and labels [N] (class indices, or one target per
 * sample) or [N, ...] (several targets). Sample i is row i of both. The arrays are made contiguous
 * once (a copy only if they were views); they are not modified.
 */
public final class TensorDataset implements Dataset {
    private final NdArray features, labels;
    private final int n, featureSize, labelSize;

    public TensorDataset(NdArray features, NdArray labels) {
        if (features.rank() == 0 || labels.rank() == 0)
            throw new IllegalArgumentException("TensorDataset: features " + Shapes.str(features.shape()) + " and labels "
                + Shapes.str(labels.shape()) + " need a first (sample) dimension");
        if (features.size(0) != labels.size(0))
            throw new IllegalArgumentException("TensorDataset: " + features.size(0) + " feature rows but " + labels.size(0)
                + " labels (shapes " + Shapes.str(features.shape()) + " and " + Shapes.str(labels.shape()) + ")");
        this.features = packed(features);
        this.labels = packed(labels);
        this.n = features.size(0);
        this.featureSize = n == 0 ? 0 : features.numel() / n;
        this.labelSize = n == 0 ? 0 : labels.numel() / n;
    }

    /** A contiguous array with offset 0 and no spare storage, so that row i starts at i·rowSize. */
    private static NdArray packed(NdArray a) {
        int len = a.dtype() == DType.FLOAT32 ? a.floatData().length : a.doubleData().length;
        return a.isContiguous() && a.offset() == 0 && len == a.numel() ? a : a.copy();
    }

    public NdArray features() { return features; }

    public NdArray labels() { return labels; }

    @Override
    public int size() { return n; }

    @Override
    public int[] featureShape() { return Arrays.copyOfRange(features.shape(), 1, features.rank()); }

    @Override
    public Batch get(int[] indices) {
        for (int i : indices)
            if (i < 0 || i >= n)
                throw new IndexOutOfBoundsException("TensorDataset.get: sample index " + i + " is out of range for " + n + " samples");
        return new Batch(gather(features, featureSize, indices), gather(labels, labelSize, indices));
    }

    /** Rows start..start+length-1 as views (no copy). */
    public Batch slice(int start, int length) {
        if (start < 0 || length < 0 || start + length > n)
            throw new IndexOutOfBoundsException("TensorDataset.slice: rows [" + start + ", " + (start + length) + ") are outside 0.." + n);
        return new Batch(features.narrow(0, start, length), labels.narrow(0, start, length));
    }

    /** A new dataset with copies of the samples at the given positions, in that order. */
    public TensorDataset subset(int[] indices) {
        Batch b = get(indices);
        return new TensorDataset(b.features(), b.labels());
    }

    /** The same samples with each sample's features flattened: [N, ...] becomes [N, product of ...]. */
    public TensorDataset flattened() {
        return features.rank() == 2 ? this : new TensorDataset(features.reshape(n, featureSize), labels);
    }

    /**
     * For class-index labels (shape [N], integral values ≥ 0): the number of classes, max label + 1.
     * Throws when the labels are not class indices.
     */
    public int numClasses() {
        if (labels.rank() != 1) throw new IllegalStateException("numClasses: labels of shape " + Shapes.str(labels.shape()) + " are not class indices");
        double max = -1;
        for (int i = 0; i < n; i++) {
            double v = labels.dtype() == DType.FLOAT32 ? labels.floatData()[i] : labels.doubleData()[i];
            if (v < 0 || v != Math.rint(v))
                throw new IllegalStateException("numClasses: label " + v + " of sample " + i + " is not a class index (a whole number ≥ 0)");
            max = Math.max(max, v);
        }
        return (int) max + 1;
    }

    private static NdArray gather(NdArray src, int rowSize, int[] indices) {
        int[] shape = src.shape();
        shape[0] = indices.length;
        NdArray out = NdArray.zeros(src.dtype(), shape);
        if (src.dtype() == DType.FLOAT32) {
            float[] s = src.floatData(), d = out.floatData();
            for (int r = 0; r < indices.length; r++) System.arraycopy(s, indices[r] * rowSize, d, r * rowSize, rowSize);
        } else {
            double[] s = src.doubleData(), d = out.doubleData();
            for (int r = 0; r < indices.length; r++) System.arraycopy(s, indices[r] * rowSize, d, r * rowSize, rowSize);
        }
        return out;
    }

    @Override
    public String toString() {
        return "TensorDataset(features=" + Shapes.str(features.shape()) + ", labels=" + Shapes.str(labels.shape()) + ", dtype=" + features.dtype() + ")";
    }
}
