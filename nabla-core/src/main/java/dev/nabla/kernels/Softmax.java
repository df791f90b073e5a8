package dev.nabla.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax and log-softmax over contiguous rows of length {@code n}. Both subtract the row maximum
 * first, so that exp never overflows: softmax(x) = e^(x-m) / Σ e^(x-m) and
 * log-softmax(x) = x - m - log Σ e^(x-m), with m = max x. A row of all -inf gives NaN, as in PyTorch.
 */
public final class Softmax {
    private Softmax() {}

    private static final VectorSpecies<Float> FS = Elementwise.FS;

    public static void softmax(float[] x, int xOff, float[] out, int oOff, int rows, int n) {
        if (shortRows(x, out, rows, n)) {
            expShifted(x, xOff, out, oOff, rows, n);
            for (int r = 0; r < rows; r++) {
                int oo = oOff + r * n;
                float sum = 0f;
                for (int i = 0; i < n; i++) sum += out[oo + i];
                float inv = 1f / sum;
                for (int i = 0; i < n; i++) out[oo + i] *= inv;
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * n, oo = oOff + r * n;
            float m = Reduce.max(x, xo, n);
            int i = 0;
            FloatVector acc = FloatVector.zero(FS);
            for (int bound = FS.loopBound(n); i < bound; i += FS.length()) {
                FloatVector e = VectorMath.exp(FloatVector.fromArray(FS, x, xo + i).sub(m));
                e.intoArray(out, oo + i);
                acc = acc.add(e);
            }
            float s = Reduce.sumLanes(acc);
            for (; i < n; i++) { float e = (float) Math.exp(x[xo + i] - m); out[oo + i] = e; s += e; }
            float inv = 1f / s;
            Elementwise.unary(UnaryOp.MUL_SCALAR, inv, 0f, out, oo, 1, out, oo, n);
        }
    }

    /**
     * Rows shorter than this (in elements) are taken as one flat array when there are several:
     * otherwise a row of 10 classes, shorter than one vector, gets all its exps from the scalar tail.
     * Measured on [128, 10] (median call, the row path against this one in one process): softmax
     * 7.8 → 1.9 µs, log-softmax 9.0 → 3.1. At 40 classes the two paths took the same time.
     */
    public static final int SHORT_ROW = 2 * FS.length();

    /** Whether {@link #expShifted} applies: several short rows, written to an array other than the input. */
    static boolean shortRows(float[] x, float[] out, int rows, int n) {
        return n > 0 && n < SHORT_ROW && rows > 1 && x != out;
    }

    /**
     * out = e^(x - m), m the maximum of each element's row: the rows' shifts first, then the exps
     * over all rows × n elements at once, on whole vectors across row boundaries. out must not be x.
     */
    static void expShifted(float[] x, int xOff, float[] out, int oOff, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * n, oo = oOff + r * n;
            float m = x[xo];
            for (int i = 1; i < n; i++) m = Math.max(m, x[xo + i]);
            for (int i = 0; i < n; i++) out[oo + i] = x[xo + i] - m;
        }
        int total = rows * n, i = 0;
        for (int bound = FS.loopBound(total); i < bound; i += FS.length())
            VectorMath.exp(FloatVector.fromArray(FS, out, oOff + i)).intoArray(out, oOff + i);
        for (; i < total; i++) out[oOff + i] = (float) Math.exp(out[oOff + i]);
    }

    public static void softmaxScalar(float[] x, int xOff, float[] out, int oOff, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * n, oo = oOff + r * n;
            float m = Reduce.maxScalar(x, xo, n);
            float s = 0f;
            for (int i = 0; i < n; i++) { float e = (float) Math.exp(x[xo + i] - m); out[oo + i] = e; s += e; }
            for (int i = 0; i < n; i++) out[oo + i] *= 1f / s;
        }
    }

    public static void softmax(double[] x, int xOff, double[] out, int oOff, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * n, oo = oOff + r * n;
            double m = Reduce.max(x, xo, n);
            double s = 0;
            for (int i = 0; i < n; i++) { double e = Math.exp(x[xo + i] - m); out[oo + i] = e; s += e; }
            for (int i = 0; i < n; i++) out[oo + i] /= s;
        }
    }

    public static void logSoftmax(float[] x, int xOff, float[] out, int oOff, int rows, int n) {
        if (shortRows(x, out, rows, n)) {
            expShifted(x, xOff, out, oOff, rows, n);   // out holds e^(x - m) until its row is finished
            for (int r = 0; r < rows; r++) {
                int xo = xOff + r * n, oo = oOff + r * n;
                float m = x[xo], sum = 0f;
                for (int i = 0; i < n; i++) { m = Math.max(m, x[xo + i]); sum += out[oo + i]; }
                float shift = m + (float) Math.log(sum);
                for (int i = 0; i < n; i++) out[oo + i] = x[xo + i] - shift;
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * n, oo = oOff + r * n;
            float m = Reduce.max(x, xo, n);
            int i = 0;
            FloatVector acc = FloatVector.zero(FS);
            for (int bound = FS.loopBound(n); i < bound; i += FS.length())
                acc = acc.add(VectorMath.exp(FloatVector.fromArray(FS, x, xo + i).sub(m)));
            float s = Reduce.sumLanes(acc);
            for (; i < n; i++) s += (float) Math.exp(x[xo + i] - m);
            float shift = m + (float) Math.log(s);
            Elementwise.unary(UnaryOp.ADD_SCALAR, -shift, 0f, x, xo, 1, out, oo, n);
        }
    }

    public static void logSoftmaxScalar(float[] x, int xOff, float[] out, int oOff, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * n, oo = oOff + r * n;
            float m = Reduce.maxScalar(x, xo, n);
            float s = 0f;
            for (int i = 0; i < n; i++) s += (float) Math.exp(x[xo + i] - m);
            float shift = m + (float) Math.log(s);
            for (int i = 0; i < n; i++) out[oo + i] = x[xo + i] - shift;
        }
    }

    public static void logSoftmax(double[] x, int xOff, double[] out, int oOff, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * n, oo = oOff + r * n;
            double m = Reduce.max(x, xo, n);
            double s = 0;
            for (int i = 0; i < n; i++) s += Math.exp(x[xo + i] - m);
            double shift = m + Math.log(s);
            for (int i = 0; i < n; i++) out[oo + i] = x[xo + i] - shift;
        }
    }
}
