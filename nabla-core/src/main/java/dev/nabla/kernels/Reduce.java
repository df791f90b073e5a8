package dev.nabla.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reductions over one contiguous run of {@code n} elements, and the row accumulation used to reduce
 * over leading dimensions. Float32 sums accumulate in float lanes; the scalar twins accumulate in the
 * same type left to right, so the two agree to rounding, not bit for bit.
 */
public final class Reduce {
    private Reduce() {}

    private static final VectorSpecies<Float> FS = Elementwise.FS;
    private static final VectorSpecies<Double> DS = Elementwise.DS;

    public static float sum(float[] a, int off, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(FS);
        for (int bound = FS.loopBound(n); i < bound; i += FS.length())
            acc = acc.add(FloatVector.fromArray(FS, a, off + i));
        float s = sumLanes(acc);
        for (; i < n; i++) s += a[off + i];
        return s;
    }

    /**
     * The lanes' sum, added in lane order. {@code reduceLanes(ADD)} leaves the order open, and the
     * interpreter and the JIT-compiled code use different ones, so the same data gave different
     * float sums from one call to the next (a resumed training run must repeat its numbers exactly).
     */
    static float sumLanes(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < v.length(); i++) s += v.lane(i);
        return s;
    }

    /** The lanes' sum in lane order (see {@link #sumLanes(FloatVector)}). */
    static double sumLanes(DoubleVector v) {
        double s = 0;
        for (int i = 0; i < v.length(); i++) s += v.lane(i);
        return s;
    }

    public static float sumScalar(float[] a, int off, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += a[off + i];
        return s;
    }

    public static double sum(double[] a, int off, int n) {
        int i = 0;
        DoubleVector acc = DoubleVector.zero(DS);
        for (int bound = DS.loopBound(n); i < bound; i += DS.length())
            acc = acc.add(DoubleVector.fromArray(DS, a, off + i));
        double s = sumLanes(acc);
        for (; i < n; i++) s += a[off + i];
        return s;
    }

    public static double sumScalar(double[] a, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += a[off + i];
        return s;
    }

    public static float max(float[] a, int off, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (n >= FS.length()) {
            FloatVector acc = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
            for (int bound = FS.loopBound(n); i < bound; i += FS.length())
                acc = acc.max(FloatVector.fromArray(FS, a, off + i));
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) m = Math.max(m, a[off + i]);
        return m;
    }

    public static float maxScalar(float[] a, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, a[off + i]);
        return m;
    }

    public static double max(double[] a, int off, int n) {
        int i = 0;
        double m = Double.NEGATIVE_INFINITY;
        if (n >= DS.length()) {
            DoubleVector acc = DoubleVector.broadcast(DS, Double.NEGATIVE_INFINITY);
            for (int bound = DS.loopBound(n); i < bound; i += DS.length())
                acc = acc.max(DoubleVector.fromArray(DS, a, off + i));
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) m = Math.max(m, a[off + i]);
        return m;
    }

    public static double maxScalar(double[] a, int off, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, a[off + i]);
        return m;
    }

    /** Index of the first largest element of a strided run (NaN counts as largest, as in PyTorch). */
    public static int argmax(float[] a, int off, int stride, int n) {
        int best = 0;
        float m = a[off];
        for (int i = 1; i < n; i++) {
            float v = a[off + i * stride];
            if (v > m || (Float.isNaN(v) && !Float.isNaN(m))) { m = v; best = i; }
        }
        return best;
    }

    public static int argmax(double[] a, int off, int stride, int n) {
        int best = 0;
        double m = a[off];
        for (int i = 1; i < n; i++) {
            double v = a[off + i * stride];
            if (v > m || (Double.isNaN(v) && !Double.isNaN(m))) { m = v; best = i; }
        }
        return best;
    }

    /** acc[accOff + i] += a[off + i] for i &lt; n. */
    public static void accumulate(float[] acc, int accOff, float[] a, int off, int n) {
        int i = 0;
        for (int bound = FS.loopBound(n); i < bound; i += FS.length())
            FloatVector.fromArray(FS, acc, accOff + i).add(FloatVector.fromArray(FS, a, off + i)).intoArray(acc, accOff + i);
        for (; i < n; i++) acc[accOff + i] += a[off + i];
    }

    public static void accumulate(double[] acc, int accOff, double[] a, int off, int n) {
        int i = 0;
        for (int bound = DS.loopBound(n); i < bound; i += DS.length())
            DoubleVector.fromArray(DS, acc, accOff + i).add(DoubleVector.fromArray(DS, a, off + i)).intoArray(acc, accOff + i);
        for (; i < n; i++) acc[accOff + i] += a[off + i];
    }

    /** acc[i] = max(acc[i], a[i]). */
    public static void accumulateMax(float[] acc, int accOff, float[] a, int off, int n) {
        for (int i = 0; i < n; i++) acc[accOff + i] = Math.max(acc[accOff + i], a[off + i]);
    }

    public static void accumulateMax(double[] acc, int accOff, double[] a, int off, int n) {
        for (int i = 0; i < n; i++) acc[accOff + i] = Math.max(acc[accOff + i], a[off + i]);
    }
}
