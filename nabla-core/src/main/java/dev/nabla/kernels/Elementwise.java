package dev.nabla.kernels;

import dev.nabla.parallel.Parallel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise kernels over one strided run of {@code n} elements: {@code out[i] = f(a[i])} or
 * {@code out[i] = f(a[i], b[i])}, where operand element i sits at {@code off + i * stride}.
 * A stride of 1 takes the SIMD path, a stride of 0 (a broadcast operand) the SIMD path with a
 * splatted value, any other stride the scalar loop. The output is always unit-stride.
 * The scalar twins ({@code *Scalar}) define the result; tests hold the SIMD paths to them.
 */
public final class Elementwise {
    private Elementwise() {}

    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /** Int lanes as many as {@link #FS}'s and as {@link #DS}'s: indices beside float or double lanes (masks cast between them). */
    static final VectorSpecies<Integer> IFS = VectorSpecies.of(int.class, VectorShape.forBitSize(FS.vectorBitSize()));
    static final VectorSpecies<Integer> IDS = VectorSpecies.of(int.class, VectorShape.forBitSize(DS.vectorBitSize() / 2));

    // ---------------------------------------------------------------- unary, float32

    public static void unary(UnaryOp op, float p, float q, float[] a, int aOff, int aStride, float[] out, int oOff, int n) {
        if (aStride == 1 && VectorErf.has(op) && n >= VectorErf.MIN_SIMD) {
            // erf and GELU cost a few nanoseconds an element: large arrays are worth splitting over the pool
            Parallel.forRange(n, VectorErf.GRAIN, 64, (from, to) -> {
                int i = from + VectorErf.unary(op, a, aOff + from, out, oOff + from, to - from);
                for (; i < to; i++) out[oOff + i] = op.apply(a[aOff + i], p, q);
            });
            return;
        }
        int i = aStride == 1 && simd(op) ? unarySimd(op, p, q, a, aOff, out, oOff, FS.loopBound(n)) : 0;
        for (; i < n; i++) out[oOff + i] = op.apply(a[aOff + i * aStride], p, q);
    }

    public static void unaryScalar(UnaryOp op, float p, float q, float[] a, int aOff, int aStride, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = op.apply(a[aOff + i * aStride], p, q);
    }

    private static boolean simd(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, RELU, STEP, LEAKY_RELU, LEAKY_STEP, CLAMP, ADD_SCALAR, MUL_SCALAR, RSUB_SCALAR,
                 RDIV_SCALAR, SQUARE, RECIPROCAL, IDENTITY, EXP, TANH, SIGMOID, SQRT, GT_SCALAR -> true;
            default -> false;
        };
    }

    /** The SIMD loops, one per op, over [0, bound); each op's loop is inline so no vector is boxed. */
    private static int unarySimd(UnaryOp op, float p, float q, float[] a, int aOff, float[] out, int oOff, int bound) {
        int i = 0, v = FS.length();
        switch (op) {
            case NEG -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); (x.neg()).intoArray(out, oOff + i); } }
            case ABS -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); (x.abs()).intoArray(out, oOff + i); } }
            case RELU -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); (x.max(0f)).intoArray(out, oOff + i); } }
            case STEP -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); (zeroOne(x.compare(VectorOperators.GT, 0f))).intoArray(out, oOff + i); } }
            case LEAKY_RELU -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); (x.blend(x.mul(p), x.compare(VectorOperators.LE, 0f))).intoArray(out, oOff + i); } }
            case LEAKY_STEP -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); (FloatVector.broadcast(FS, p).blend(1f, x.compare(VectorOperators.GT, 0f))).intoArray(out, oOff + i); } }
            case CLAMP -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); (x.max(p).min(q)).intoArray(out, oOff + i); } }
            case ADD_SCALAR -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); (x.add(p)).intoArray(out, oOff + i); } }
            case MUL_SCALAR -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); (x.mul(p)).intoArray(out, oOff + i); } }
            case RSUB_SCALAR -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); (FloatVector.broadcast(FS, p).sub(x)).intoArray(out, oOff + i); } }
            case RDIV_SCALAR -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); (FloatVector.broadcast(FS, p).div(x)).intoArray(out, oOff + i); } }
            case SQUARE -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); (x.mul(x)).intoArray(out, oOff + i); } }
            case RECIPROCAL -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); (FloatVector.broadcast(FS, 1f).div(x)).intoArray(out, oOff + i); } }
            case IDENTITY -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); (x).intoArray(out, oOff + i); } }
            case EXP -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); VectorMath.exp(x).intoArray(out, oOff + i); } }
            case TANH -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); VectorMath.tanh(x).intoArray(out, oOff + i); } }
            case SQRT -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); (x.sqrt()).intoArray(out, oOff + i); } }
            case GT_SCALAR -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); (zeroOne(x.compare(VectorOperators.GT, p))).intoArray(out, oOff + i); } }
            // sigmoid(x) = 1 / (1 + e^-x); e^-x overflows to +inf for x < -88, giving exactly 0: fine.
            case SIGMOID -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i); VectorMath.sigmoid(x).intoArray(out, oOff + i); } }
            default -> throw new IllegalStateException(op.name());
        }
        return i;
    }

    private static FloatVector zeroOne(VectorMask<Float> m) {
        return FloatVector.zero(FS).blend(1f, m);
    }

    // ---------------------------------------------------------------- unary, float64

    public static void unary(UnaryOp op, double p, double q, double[] a, int aOff, int aStride, double[] out, int oOff, int n) {
        int i = aStride == 1 && simdD(op) ? unarySimd(op, p, q, a, aOff, out, oOff, DS.loopBound(n)) : 0;
        for (; i < n; i++) out[oOff + i] = op.apply(a[aOff + i * aStride], p, q);
    }

    public static void unaryScalar(UnaryOp op, double p, double q, double[] a, int aOff, int aStride, double[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = op.apply(a[aOff + i * aStride], p, q);
    }

    private static boolean simdD(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, RELU, STEP, CLAMP, ADD_SCALAR, MUL_SCALAR, RSUB_SCALAR, RDIV_SCALAR, SQUARE,
                 RECIPROCAL, IDENTITY, SQRT -> true;
            default -> false;   // transcendental float64 ops stay scalar: exactness matters more there
        };
    }

    /** The SIMD loops, one per op, over [0, bound); each op's loop is inline so no vector is boxed. */
    private static int unarySimd(UnaryOp op, double p, double q, double[] a, int aOff, double[] out, int oOff, int bound) {
        int i = 0, v = DS.length();
        switch (op) {
            case NEG -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i); (x.neg()).intoArray(out, oOff + i); } }
            case ABS -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i); (x.abs()).intoArray(out, oOff + i); } }
            case RELU -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i); (x.max(0.0)).intoArray(out, oOff + i); } }
            case STEP -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i); (DoubleVector.zero(DS).blend(1.0, x.compare(VectorOperators.GT, 0.0))).intoArray(out, oOff + i); } }
            case CLAMP -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i); (x.max(p).min(q)).intoArray(out, oOff + i); } }
            case ADD_SCALAR -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i); (x.add(p)).intoArray(out, oOff + i); } }
            case MUL_SCALAR -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i); (x.mul(p)).intoArray(out, oOff + i); } }
            case RSUB_SCALAR -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i); (DoubleVector.broadcast(DS, p).sub(x)).intoArray(out, oOff + i); } }
            case RDIV_SCALAR -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i); (DoubleVector.broadcast(DS, p).div(x)).intoArray(out, oOff + i); } }
            case SQUARE -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i); (x.mul(x)).intoArray(out, oOff + i); } }
            case RECIPROCAL -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i); (DoubleVector.broadcast(DS, 1.0).div(x)).intoArray(out, oOff + i); } }
            case IDENTITY -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i); (x).intoArray(out, oOff + i); } }
            case SQRT -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i); (x.sqrt()).intoArray(out, oOff + i); } }
            default -> throw new IllegalStateException(op.name());
        }
        return i;
    }

    // ---------------------------------------------------------------- binary, float32

    public static void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                              float[] out, int oOff, int n) {
        int i = 0;
        if (simd(op) && (aStride == 1 || aStride == 0) && (bStride == 1 || bStride == 0) && n >= FS.length()) {
            // a broadcast (stride 0) operand is spread into scratch, so one unit-stride loop serves all cases
            if (aStride == 0) { float[] t = scratchF(n, 0); java.util.Arrays.fill(t, 0, n, a[aOff]); a = t; aOff = 0; }
            if (bStride == 0) { float[] t = scratchF(n, 1); java.util.Arrays.fill(t, 0, n, b[bOff]); b = t; bOff = 0; }
            aStride = 1;
            bStride = 1;
            i = binarySimd(op, a, aOff, b, bOff, out, oOff, FS.loopBound(n));
        }
        for (; i < n; i++) out[oOff + i] = op.apply(a[aOff + i * aStride], b[bOff + i * bStride]);
    }

    public static void binaryScalar(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                                    float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = op.apply(a[aOff + i * aStride], b[bOff + i * bStride]);
    }

    private static boolean simd(BinaryOp op) {
        return op != BinaryOp.POW;
    }

    /** The SIMD loops over [0, bound) for unit-stride operands, one per op (inline: no vector is boxed). */
    private static int binarySimd(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int bound) {
        int i = 0, v = FS.length();
        switch (op) {
            case ADD -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i), y = FloatVector.fromArray(FS, b, bOff + i); (x.add(y)).intoArray(out, oOff + i); } }
            case SUB -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i), y = FloatVector.fromArray(FS, b, bOff + i); (x.sub(y)).intoArray(out, oOff + i); } }
            case MUL -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i), y = FloatVector.fromArray(FS, b, bOff + i); (x.mul(y)).intoArray(out, oOff + i); } }
            case DIV -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i), y = FloatVector.fromArray(FS, b, bOff + i); (x.div(y)).intoArray(out, oOff + i); } }
            case MAX -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i), y = FloatVector.fromArray(FS, b, bOff + i); (x.max(y)).intoArray(out, oOff + i); } }
            case MIN -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i), y = FloatVector.fromArray(FS, b, bOff + i); (x.min(y)).intoArray(out, oOff + i); } }
            case GT -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i), y = FloatVector.fromArray(FS, b, bOff + i); (zeroOne(x.compare(VectorOperators.GT, y))).intoArray(out, oOff + i); } }
            case GE -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i), y = FloatVector.fromArray(FS, b, bOff + i); (zeroOne(x.compare(VectorOperators.GE, y))).intoArray(out, oOff + i); } }
            case EQ -> { for (; i < bound; i += v) { FloatVector x = FloatVector.fromArray(FS, a, aOff + i), y = FloatVector.fromArray(FS, b, bOff + i); (zeroOne(x.compare(VectorOperators.EQ, y))).intoArray(out, oOff + i); } }
            default -> throw new IllegalStateException(op.name());
        }
        return i;
    }

    // ---------------------------------------------------------------- binary, float64

    public static void binary(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                              double[] out, int oOff, int n) {
        int i = 0;
        if (simd(op) && (aStride == 1 || aStride == 0) && (bStride == 1 || bStride == 0) && n >= DS.length()) {
            // a broadcast (stride 0) operand is spread into scratch, so one unit-stride loop serves all cases
            if (aStride == 0) { double[] t = scratchD(n, 0); java.util.Arrays.fill(t, 0, n, a[aOff]); a = t; aOff = 0; }
            if (bStride == 0) { double[] t = scratchD(n, 1); java.util.Arrays.fill(t, 0, n, b[bOff]); b = t; bOff = 0; }
            aStride = 1;
            bStride = 1;
            i = binarySimd(op, a, aOff, b, bOff, out, oOff, DS.loopBound(n));
        }
        for (; i < n; i++) out[oOff + i] = op.apply(a[aOff + i * aStride], b[bOff + i * bStride]);
    }

    public static void binaryScalar(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                                    double[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = op.apply(a[aOff + i * aStride], b[bOff + i * bStride]);
    }

    /** The SIMD loops over [0, bound) for unit-stride operands, one per op (inline: no vector is boxed). */
    private static int binarySimd(BinaryOp op, double[] a, int aOff, double[] b, int bOff, double[] out, int oOff, int bound) {
        int i = 0, v = DS.length();
        switch (op) {
            case ADD -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i), y = DoubleVector.fromArray(DS, b, bOff + i); (x.add(y)).intoArray(out, oOff + i); } }
            case SUB -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i), y = DoubleVector.fromArray(DS, b, bOff + i); (x.sub(y)).intoArray(out, oOff + i); } }
            case MUL -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i), y = DoubleVector.fromArray(DS, b, bOff + i); (x.mul(y)).intoArray(out, oOff + i); } }
            case DIV -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i), y = DoubleVector.fromArray(DS, b, bOff + i); (x.div(y)).intoArray(out, oOff + i); } }
            case MAX -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i), y = DoubleVector.fromArray(DS, b, bOff + i); (x.max(y)).intoArray(out, oOff + i); } }
            case MIN -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i), y = DoubleVector.fromArray(DS, b, bOff + i); (x.min(y)).intoArray(out, oOff + i); } }
            case GT -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i), y = DoubleVector.fromArray(DS, b, bOff + i); (DoubleVector.zero(DS).blend(1.0, x.compare(VectorOperators.GT, y))).intoArray(out, oOff + i); } }
            case GE -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i), y = DoubleVector.fromArray(DS, b, bOff + i); (DoubleVector.zero(DS).blend(1.0, x.compare(VectorOperators.GE, y))).intoArray(out, oOff + i); } }
            case EQ -> { for (; i < bound; i += v) { DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i), y = DoubleVector.fromArray(DS, b, bOff + i); (DoubleVector.zero(DS).blend(1.0, x.compare(VectorOperators.EQ, y))).intoArray(out, oOff + i); } }
            default -> throw new IllegalStateException(op.name());
        }
        return i;
    }

    private static final ThreadLocal<float[][]> SCRATCH_F = ThreadLocal.withInitial(() -> new float[2][0]);
    private static final ThreadLocal<double[][]> SCRATCH_D = ThreadLocal.withInitial(() -> new double[2][0]);

    /** A per-thread scratch array (slot 0 or 1) of at least n elements. */
    private static float[] scratchF(int n, int slot) {
        float[][] s = SCRATCH_F.get();
        if (s[slot].length < n) s[slot] = new float[Math.max(n, 2 * s[slot].length)];
        return s[slot];
    }

    private static double[] scratchD(int n, int slot) {
        double[][] s = SCRATCH_D.get();
        if (s[slot].length < n) s[slot] = new double[Math.max(n, 2 * s[slot].length)];
        return s[slot];
    }

    // ---------------------------------------------------------------- select

    /** out[i] = cond[i] != 0 ? a[i] : b[i]. */
    public static void where(float[] c, int cOff, int cStride, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                             float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++)
            out[oOff + i] = c[cOff + i * cStride] != 0 ? a[aOff + i * aStride] : b[bOff + i * bStride];
    }

    /** out[i] = cond[i] != 0 ? a[i] : b[i]. */
    public static void where(double[] c, int cOff, int cStride, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                             double[] out, int oOff, int n) {
        for (int i = 0; i < n; i++)
            out[oOff + i] = c[cOff + i * cStride] != 0 ? a[aOff + i * aStride] : b[bOff + i * bStride];
    }
}
