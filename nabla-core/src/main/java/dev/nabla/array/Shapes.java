package dev.nabla.array;

import java.util.Arrays;

/** Shape arithmetic: sizes, contiguous strides, broadcasting (NumPy/PyTorch rules), dimension checks. */
public final class Shapes {
    private Shapes() {}

    public static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31 - 1 elements");
        return (int) n;
    }

    public static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) { st[i] = s; s *= Math.max(shape[i], 1); }
        return st;
    }

    /** "[3, 4]". */
    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /**
     * The broadcast shape of a and b: align trailing dimensions; each pair must be equal or one of
     * them 1. The error names the operation, both shapes and the first dimension that disagrees.
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                    + " cannot be broadcast: dimension " + (i - n) + " is " + da + " and " + db
                    + " (sizes must match or one of them be 1)");
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * The target shape of a reshape from {@code from} to {@code to}, where one size of {@code to} may
     * be -1 and is then inferred. The error names the operation and both shapes with their sizes.
     */
    public static int[] inferReshape(String op, int[] from, int[] to) {
        int[] s = to.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": only one size may be -1 in " + str(to));
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException(op + ": negative size " + s[i] + " in " + str(to));
            } else known = Math.min(known * s[i], 1L << 32);   // capped: beyond 2^31 it is an error anyway
        }
        int n = numel(from);
        if (infer >= 0) {
            if (known == 0 || n % known != 0)
                throw new IllegalArgumentException(op + ": shape " + str(from) + " (" + n + " elements) cannot be viewed as "
                    + str(to) + ": no size for -1 makes " + n + " elements");
            s[infer] = (int) (n / known);
        }
        if (known * (infer >= 0 ? s[infer] : 1) != n)
            throw new IllegalArgumentException(op + ": shape " + str(from) + " (" + n + " elements) cannot be viewed as "
                + str(to) + " (" + known + " elements)");
        return s;
    }

    /** Normalizes a possibly negative dimension index against a rank, with an error naming the op. */
    public static int dim(String op, int dim, int rank) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= Math.max(rank, 1) || (rank == 0))
            throw new IllegalArgumentException(op + ": dimension " + dim + " is out of range for a "
                + rank + "-d array (expected " + (rank == 0 ? "none: it is a scalar" : "-" + rank + " to " + (rank - 1)) + ")");
        return d;
    }

    /**
     * For ops that, as PyTorch's do, take dimension 0 or -1 of a 0-d array as the scalar itself
     * (softmax, log-softmax, argmax, squeeze): true for those; false for an array of rank 1 or more
     * (normalize with {@link #dim}); any other dimension of a 0-d array is an error naming the op.
     */
    public static boolean scalarDim(String op, int dim, int rank) {
        if (rank > 0) return false;
        if (dim != 0 && dim != -1)
            throw new IllegalArgumentException(op + ": dimension " + dim + " is out of range for a 0-d array (expected 0 or -1)");
        return true;
    }

    /** Normalizes a position at which a new dimension is inserted: 0..rank, or -rank-1..-1 from the end. */
    public static int insertPosition(String op, int dim, int rank) {
        int d = dim < 0 ? dim + rank + 1 : dim;
        if (d < 0 || d > rank)
            throw new IllegalArgumentException(op + ": position " + dim + " is out of range for inserting a dimension into a "
                + rank + "-d array (expected " + (-rank - 1) + " to " + rank + ")");
        return d;
    }

    /**
     * Normalized, sorted, distinct dimensions; an empty argument means all dimensions. A 0-d array
     * accepts dimension 0 or -1 once, as PyTorch's reductions do, and has no dimension to reduce:
     * the result is empty (the reduction leaves the scalar as it is).
     */
    public static int[] dims(String op, int[] dims, int rank) {
        if (dims == null || dims.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        if (rank == 0) {
            for (int d : dims) scalarDim(op, d, rank);
            if (dims.length > 1) throw new IllegalArgumentException(op + ": dimension 0 appears twice in " + Arrays.toString(dims));
            return new int[0];
        }
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) out[i] = dim(op, dims[i], rank);
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++)
            if (out[i] == out[i - 1]) throw new IllegalArgumentException(op + ": dimension " + out[i] + " appears twice in " + Arrays.toString(dims));
        return out;
    }
}
