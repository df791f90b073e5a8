package dev.nabla.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
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

    // ---------------------------------------------------------------- unary, float32

    public static void unary(UnaryOp op, float p, float q, float[] a, int aOff, int aStride, float[] out, int oOff, int n) {
        int i = 0;
        if (aStride == 1 && simd(op)) {
            int bound = FS.loopBound(n);
            for (; i < bound; i += FS.length()) {
                FloatVector x = FloatVector.fromArray(FS, a, aOff + i);
                unaryVector(op, x, p, q).intoArray(out, oOff + i);
            }
        }
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

    private static FloatVector unaryVector(UnaryOp op, FloatVector x, float p, float q) {
        return switch (op) {
            case NEG -> x.neg();
            case ABS -> x.abs();
            case RELU -> x.max(0f);
            case STEP -> zeroOne(x.compare(VectorOperators.GT, 0f));
            case LEAKY_RELU -> x.blend(x.mul(p), x.compare(VectorOperators.LE, 0f));
            case LEAKY_STEP -> FloatVector.broadcast(FS, p).blend(1f, x.compare(VectorOperators.GT, 0f));
            case CLAMP -> x.max(p).min(q);
            case ADD_SCALAR -> x.add(p);
            case MUL_SCALAR -> x.mul(p);
            case RSUB_SCALAR -> FloatVector.broadcast(FS, p).sub(x);
            case RDIV_SCALAR -> FloatVector.broadcast(FS, p).div(x);
            case SQUARE -> x.mul(x);
            case RECIPROCAL -> FloatVector.broadcast(FS, 1f).div(x);
            case IDENTITY -> x;
            case EXP -> x.lanewise(VectorOperators.EXP);
            case TANH -> x.lanewise(VectorOperators.TANH);
            case SQRT -> x.sqrt();
            case GT_SCALAR -> zeroOne(x.compare(VectorOperators.GT, p));
            // sigmoid(x) = 1 / (1 + e^-x); e^-x overflows to +inf for x < -88, giving exactly 0: fine.
            case SIGMOID -> FloatVector.broadcast(FS, 1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
            default -> throw new IllegalStateException(op.name());
        };
    }

    private static FloatVector zeroOne(VectorMask<Float> m) {
        return FloatVector.zero(FS).blend(1f, m);
    }

    // ---------------------------------------------------------------- unary, float64

    public static void unary(UnaryOp op, double p, double q, double[] a, int aOff, int aStride, double[] out, int oOff, int n) {
        int i = 0;
        if (aStride == 1 && simdD(op)) {
            int bound = DS.loopBound(n);
            for (; i < bound; i += DS.length()) {
                DoubleVector x = DoubleVector.fromArray(DS, a, aOff + i);
                unaryVector(op, x, p, q).intoArray(out, oOff + i);
            }
        }
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

    private static DoubleVector unaryVector(UnaryOp op, DoubleVector x, double p, double q) {
        return switch (op) {
            case NEG -> x.neg();
            case ABS -> x.abs();
            case RELU -> x.max(0.0);
            case STEP -> DoubleVector.zero(DS).blend(1.0, x.compare(VectorOperators.GT, 0.0));
            case CLAMP -> x.max(p).min(q);
            case ADD_SCALAR -> x.add(p);
            case MUL_SCALAR -> x.mul(p);
            case RSUB_SCALAR -> DoubleVector.broadcast(DS, p).sub(x);
            case RDIV_SCALAR -> DoubleVector.broadcast(DS, p).div(x);
            case SQUARE -> x.mul(x);
            case RECIPROCAL -> DoubleVector.broadcast(DS, 1.0).div(x);
            case IDENTITY -> x;
            case SQRT -> x.sqrt();
            default -> throw new IllegalStateException(op.name());
        };
    }

    // ---------------------------------------------------------------- binary, float32

    public static void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                              float[] out, int oOff, int n) {
        int i = 0;
        if (simd(op) && (aStride == 1 || aStride == 0) && (bStride == 1 || bStride == 0)) {
            int bound = FS.loopBound(n);
            FloatVector as = aStride == 0 ? FloatVector.broadcast(FS, a[aOff]) : null;
            FloatVector bs = bStride == 0 ? FloatVector.broadcast(FS, b[bOff]) : null;
            for (; i < bound; i += FS.length()) {
                FloatVector x = as != null ? as : FloatVector.fromArray(FS, a, aOff + i);
                FloatVector y = bs != null ? bs : FloatVector.fromArray(FS, b, bOff + i);
                binaryVector(op, x, y).intoArray(out, oOff + i);
            }
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

    private static FloatVector binaryVector(BinaryOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case MAX -> x.max(y);
            case MIN -> x.min(y);
            case GT -> zeroOne(x.compare(VectorOperators.GT, y));
            case GE -> zeroOne(x.compare(VectorOperators.GE, y));
            case EQ -> zeroOne(x.compare(VectorOperators.EQ, y));
            case POW -> throw new IllegalStateException("pow has no SIMD path");
        };
    }

    // ---------------------------------------------------------------- binary, float64

    public static void binary(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                              double[] out, int oOff, int n) {
        int i = 0;
        if (simd(op) && (aStride == 1 || aStride == 0) && (bStride == 1 || bStride == 0)) {
            int bound = DS.loopBound(n);
            DoubleVector as = aStride == 0 ? DoubleVector.broadcast(DS, a[aOff]) : null;
            DoubleVector bs = bStride == 0 ? DoubleVector.broadcast(DS, b[bOff]) : null;
            for (; i < bound; i += DS.length()) {
                DoubleVector x = as != null ? as : DoubleVector.fromArray(DS, a, aOff + i);
                DoubleVector y = bs != null ? bs : DoubleVector.fromArray(DS, b, bOff + i);
                binaryVector(op, x, y).intoArray(out, oOff + i);
            }
        }
        for (; i < n; i++) out[oOff + i] = op.apply(a[aOff + i * aStride], b[bOff + i * bStride]);
    }

    public static void binaryScalar(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                                    double[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = op.apply(a[aOff + i * aStride], b[bOff + i * bStride]);
    }

    private static DoubleVector binaryVector(BinaryOp op, DoubleVector x, DoubleVector y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case MAX -> x.max(y);
            case MIN -> x.min(y);
            case GT -> DoubleVector.zero(DS).blend(1.0, x.compare(VectorOperators.GT, y));
            case GE -> DoubleVector.zero(DS).blend(1.0, x.compare(VectorOperators.GE, y));
            case EQ -> DoubleVector.zero(DS).blend(1.0, x.compare(VectorOperators.EQ, y));
            case POW -> throw new IllegalStateException("pow has no SIMD path");
        };
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
