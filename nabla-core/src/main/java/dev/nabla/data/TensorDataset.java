package dev.nabla.data;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;
import dev.nabla.parallel.Parallel;

import java.util.Arrays;

/**
 * A dataset held in memory: features [N, ...] and labels [N] (class indices, or one target per
 * sample) or [N, ...] (several targets). Sample i is row i of both. The arrays are made contiguous
 * once (a copy only if they were views); they are not modified.
 *
 * <p>{@link #subsetView} makes a dataset of chosen rows that shares these arrays instead of copying
 * them (as PyTorch's {@code Subset}): sample i of the view is row rows[i] of the shared arrays, and
 * its batches are gathered from them. {@link Split#random} splits that way, so a split costs no
 * second copy of the data.
 */
public final class TensorDataset implements Dataset {
    private final NdArray features, labels;
    /** The rows of features and labels this dataset's samples are, in order; null for all of them. */
    private final int[] rows;
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
        this.rows = null;
        this.n = features.size(0);
        this.featureSize = n == 0 ? 0 : features.numel() / n;
        this.labelSize = n == 0 ? 0 : labels.numel() / n;
    }

    /** A view of the given rows of packed arrays (rows already checked). */
    private TensorDataset(NdArray features, NdArray labels, int[] rows, int featureSize, int labelSize) {
        this.features = features;
        this.labels = labels;
        this.rows = rows;
        this.n = rows.length;
        this.featureSize = featureSize;
        this.labelSize = labelSize;
    }

    /** A contiguous array with offset 0 and no spare storage, so that row i starts at i·rowSize. */
    private static NdArray packed(NdArray a) {
        int len = a.dtype() == DType.FLOAT32 ? a.floatData().length : a.doubleData().length;
        return a.isContiguous() && a.offset() == 0 && len == a.numel() ? a : a.copy();
    }

    /**
     * The features [N, ...]: the array itself, or for a {@link #subsetView} a new array with the
     * view's rows (each call copies; use {@link #get} or a {@link DataLoader} for batches).
     */
    public NdArray features() { return rows == null ? features : gather(features, featureSize, rows); }

    /** The labels [N] or [N, ...]: the array itself, or for a {@link #subsetView} a new array with the view's rows. */
    public NdArray labels() { return rows == null ? labels : gather(labels, labelSize, rows); }

    /** True for a dataset made by {@link #subsetView} (its rows are gathered from shared arrays). */
    public boolean isView() { return rows != null; }

    @Override
    public int size() { return n; }

    @Override
    public int[] featureShape() { return Arrays.copyOfRange(features.shape(), 1, features.rank()); }

    @Override
    public Batch get(int[] indices) {
        for (int i : indices)
            if (i < 0 || i >= n)
                throw new IndexOutOfBoundsException("TensorDataset.get: sample index " + i + " is out of range for " + n + " samples");
        int[] at = rows == null ? indices : rowsOf(indices);
        return new Batch(gather(features, featureSize, at), gather(labels, labelSize, at));
    }

    /** Samples start..start+length-1: views of the arrays (no copy), or gathered copies for a {@link #subsetView}. */
    public Batch slice(int start, int length) {
        if (start < 0 || length < 0 || start + length > n)
            throw new IndexOutOfBoundsException("TensorDataset.slice: rows [" + start + ", " + (start + length) + ") are outside 0.." + n);
        if (rows != null) {
            int[] at = Arrays.copyOfRange(rows, start, start + length);
            return new Batch(gather(features, featureSize, at), gather(labels, labelSize, at));
        }
        return new Batch(features.narrow(0, start, length), labels.narrow(0, start, length));
    }

    /** A new dataset with copies of the samples at the given positions, in that order. */
    public TensorDataset subset(int[] indices) {
        Batch b = get(indices);
        return new TensorDataset(b.features(), b.labels());
    }

    /**
     * A dataset of the samples at the given positions, in that order, sharing this dataset's arrays
     * (nothing is copied but the positions; batches are gathered from the shared arrays). The arrays
     * must not be changed while the view is in use.
     */
    public TensorDataset subsetView(int[] indices) {
        for (int i : indices)
            if (i < 0 || i >= n)
                throw new IndexOutOfBoundsException("TensorDataset.subsetView: sample index " + i + " is out of range for " + n + " samples");
        return new TensorDataset(features, labels, rows == null ? indices.clone() : rowsOf(indices), featureSize, labelSize);
    }

    /** The same samples with each sample's features flattened: [N, ...] becomes [N, product of ...]. */
    public TensorDataset flattened() {
        if (features.rank() == 2) return this;
        NdArray flat = features.reshape(features.size(0), featureSize);
        return rows == null ? new TensorDataset(flat, labels) : new TensorDataset(flat, labels, rows, featureSize, labelSize);
    }

    /**
     * For class-index labels (shape [N], integral values ≥ 0): the number of classes, max label + 1.
     * Throws when the labels are not class indices.
     */
    public int numClasses() {
        if (labels.rank() != 1) throw new IllegalStateException("numClasses: labels of shape " + Shapes.str(labels.shape()) + " are not class indices");
        double max = -1;
        for (int i = 0; i < n; i++) {
            int r = rows == null ? i : rows[i];
            double v = labels.dtype() == DType.FLOAT32 ? labels.floatData()[r] : labels.doubleData()[r];
            if (v < 0 || v != Math.rint(v))
                throw new IllegalStateException("numClasses: label " + v + " of sample " + i + " is not a class index (a whole number ≥ 0)");
            max = Math.max(max, v);
        }
        return (int) max + 1;
    }

    /** The shared-array rows of the given sample positions (positions already checked). */
    private int[] rowsOf(int[] indices) {
        int[] at = new int[indices.length];
        for (int i = 0; i < indices.length; i++) at[i] = rows[indices[i]];
        return at;
    }

    /**
     * Least elements a thread copies when {@link #gather} splits a batch over the threads (64 KiB of
     * floats): a batch of 128 MNIST rows (100k elements) goes to both threads, a label column stays on one.
     * Copying rows scattered over a large dataset waits on memory, and two cores keep more reads in
     * flight than one: 128 rows of 784 floats from a 10,000-row set took 40-46 µs on one thread and
     * 23-28 µs on two (median call, the worker awake, as after a training step's parallel loops).
     */
    static final int GATHER_GRAIN = 1 << 14;

    private static NdArray gather(NdArray src, int rowSize, int[] indices) {
        int[] shape = src.shape();
        shape[0] = indices.length;
        NdArray out = NdArray.empty(src.dtype(), shape);   // every element is written below
        int grain = Math.max(1, GATHER_GRAIN / Math.max(1, rowSize));
        if (src.dtype() == DType.FLOAT32) {
            float[] s = src.floatData(), d = out.floatData();
            Parallel.forRange(indices.length, grain, 1, (from, to) -> {
                for (int r = from; r < to; r++) System.arraycopy(s, indices[r] * rowSize, d, r * rowSize, rowSize);
            });
        } else {
            double[] s = src.doubleData(), d = out.doubleData();
            Parallel.forRange(indices.length, grain, 1, (from, to) -> {
                for (int r = from; r < to; r++) System.arraycopy(s, indices[r] * rowSize, d, r * rowSize, rowSize);
            });
        }
        return out;
    }

    @Override
    public String toString() {
        int[] fs = features.shape(), ls = labels.shape();
        fs[0] = n;
        ls[0] = n;
        return "TensorDataset(features=" + Shapes.str(fs) + ", labels=" + Shapes.str(ls) + ", dtype=" + features.dtype()
            + (rows != null ? ", view of " + features.size(0) + " rows" : "") + ")";
    }
}
