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

    /** Normalizes a possibly negative dimension index against a rank, with an error naming the op. */
    public static int dim(String op, int dim, int rank) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= Math.max(rank, 1) || (rank == 0))
            throw new IllegalArgumentException(op + ": dimension " + dim + " is out of range for a "
                + rank + "-d array (expected " + (rank == 0 ? "none: it is a scalar" : "-" + rank + " to " + (rank - 1)) + ")");
        return d;
    }

    /** Normalized, sorted, distinct dimensions; an empty argument means all dimensions. */
    public static int[] dims(String op, int[] dims, int rank) {
        if (dims == null || dims.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) out[i] = dim(op, dims[i], rank);
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++)
            if (out[i] == out[i - 1]) throw new IllegalArgumentException(op + ": dimension " + out[i] + " appears twice in " + Arrays.toString(dims));
        return out;
    }
}
