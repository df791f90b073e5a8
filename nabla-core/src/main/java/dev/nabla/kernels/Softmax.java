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
