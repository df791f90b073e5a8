package dev.nabla.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The SIMD element-wise kernels against their scalar twins, for every {@link UnaryOp} and
 * {@link BinaryOp}, on odd sizes (below, at and across the vector length and its multiples), with
 * an offset into the operands and with strides 1, 0 (broadcast) and 2.
 */
class ElementwiseTest {
    static final int[] SIZES = {1, 3, 17, 63, 255, 1000};
    static final int OFFSET = 5;

    static Stream<Arguments> unaryCases() {
        List<Arguments> cases = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values())
            for (int n : SIZES)
                for (int stride : new int[] {1, 0, 2})
                    cases.add(Arguments.of(op, n, stride));
        return cases.stream();
    }

    static Stream<Arguments> binaryCases() {
        List<Arguments> cases = new ArrayList<>();
        int[][] strides = {{1, 1}, {1, 0}, {0, 1}, {0, 0}, {2, 1}, {1, 2}, {2, 0}};
        for (BinaryOp op : BinaryOp.values())
            for (int n : SIZES)
                for (int[] st : strides)
                    cases.add(Arguments.of(op, n, st[0], st[1]));
        return cases.stream();
    }

    /** Operand values suited to op: positive for log, sqrt, pow; on a 0.25 grid so that ties occur (GT, GE, EQ, max). */
    static double[] values(Object op, int length, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.POW_SCALAR || op == BinaryOp.POW;
        boolean grid = op instanceof BinaryOp || op == UnaryOp.RELU || op == UnaryOp.STEP || op == UnaryOp.LEAKY_RELU
            || op == UnaryOp.LEAKY_STEP || op == UnaryOp.CLAMP || op == UnaryOp.IN_RANGE || op == UnaryOp.GT_SCALAR
            || op == UnaryOp.SIGN || op == UnaryOp.ABS;
        double[] v = new double[length];
        for (int i = 0; i < length; i++) {
            double x = grid ? Math.round(rng.nextDouble(-3, 3) * 4) / 4.0 : rng.nextDouble(-6, 6);
            if (positive) x = 0.1 + Math.abs(x);
            if (op == UnaryOp.RECIPROCAL || op == UnaryOp.RDIV_SCALAR || op == BinaryOp.DIV) x = x == 0 ? 0.5 : x;
            v[i] = x;
        }
        return v;
    }

    static double p(UnaryOp op) { return op == UnaryOp.CLAMP || op == UnaryOp.IN_RANGE ? -0.5 : op == UnaryOp.POW_SCALAR ? 1.7 : 0.25; }

    static double q(UnaryOp op) { return op == UnaryOp.CLAMP || op == UnaryOp.IN_RANGE ? 1.25 : 0; }

    /**
     * Transcendental float32 functions take their own approximations on the SIMD path: they may differ
     * from the scalar twins' results in the last bits. Everything else is exact.
     */
    static float floatTolerance(UnaryOp op, float expected) {
        return switch (op) {
            case EXP, TANH, SIGMOID -> Float.isFinite(expected) ? 4 * Math.ulp(expected) + 1e-30f : 0f;
            // evaluated in double with series cut to float precision, then rounded (VectorErf): rarely 1 ulp off
            case ERF, GELU, GELU_GRAD, GELU_TANH, GELU_TANH_GRAD -> Float.isFinite(expected) ? Math.ulp(expected) : 0f;
            default -> 0f;
        };
    }

    @ParameterizedTest(name = "{0} float32 n={1} stride={2}")
    @MethodSource("unaryCases")
    void unaryFloat32MatchesScalarTwin(UnaryOp op, int n, int stride) {
        double[] v = values(op, OFFSET + Math.max(1, n * stride) + 2, op.ordinal() * 1000L + n);
        float[] a = new float[v.length];
        for (int i = 0; i < v.length; i++) a[i] = (float) v[i];
        float[] simd = new float[n + 3], scalar = new float[n + 3];
        simd[0] = scalar[0] = 42f;   // before the run: must stay
        Elementwise.unary(op, (float) p(op), (float) q(op), a, OFFSET, stride, simd, 1, n);
        Elementwise.unaryScalar(op, (float) p(op), (float) q(op), a, OFFSET, stride, scalar, 1, n);
        assertEquals(42f, simd[0]);
        assertEquals(0f, simd[n + 1], "wrote past the run");
        for (int i = 1; i <= n; i++) {
            float tol = floatTolerance(op, scalar[i]);
            if (Math.abs(simd[i] - scalar[i]) > tol && !(Float.isNaN(simd[i]) && Float.isNaN(scalar[i])))
                fail(op + " element " + (i - 1) + " of input " + a[OFFSET + (i - 1) * stride] + ": SIMD " + simd[i] + ", scalar " + scalar[i]);
        }
    }

    @ParameterizedTest(name = "{0} float64 n={1} stride={2}")
    @MethodSource("unaryCases")
    void unaryFloat64MatchesScalarTwin(UnaryOp op, int n, int stride) {
        double[] a = values(op, OFFSET + Math.max(1, n * stride) + 2, op.ordinal() * 1000L + n);
        double[] simd = new double[n + 3], scalar = new double[n + 3];
        Elementwise.unary(op, p(op), q(op), a, OFFSET, stride, simd, 1, n);
        Elementwise.unaryScalar(op, p(op), q(op), a, OFFSET, stride, scalar, 1, n);
        assertEquals(0.0, simd[0]);
        assertEquals(0.0, simd[n + 1], "wrote past the run");
        for (int i = 1; i <= n; i++)
            assertEquals(scalar[i], simd[i], 0.0, op + " element " + (i - 1) + " of input " + a[OFFSET + (i - 1) * stride]);
    }

    @ParameterizedTest(name = "{0} float32 n={1} strides a={2} b={3}")
    @MethodSource("binaryCases")
    void binaryFloat32MatchesScalarTwin(BinaryOp op, int n, int sa, int sb) {
        double[] va = values(op, OFFSET + Math.max(1, n * sa) + 1, 7L * n + op.ordinal());
        double[] vb = values(op, 3 + Math.max(1, n * sb) + 1, 11L * n + op.ordinal());
        float[] a = new float[va.length], b = new float[vb.length];
        for (int i = 0; i < a.length; i++) a[i] = (float) va[i];
        for (int i = 0; i < b.length; i++) b[i] = (float) vb[i];
        float[] simd = new float[n + 1], scalar = new float[n + 1];
        Elementwise.binary(op, a, OFFSET, sa, b, 3, sb, simd, 0, n);
        Elementwise.binaryScalar(op, a, OFFSET, sa, b, 3, sb, scalar, 0, n);
        for (int i = 0; i < n; i++)
            assertEquals(scalar[i], simd[i], 0f, op + " element " + i);
        assertEquals(0f, simd[n], "wrote past the run");
    }

    @ParameterizedTest(name = "{0} float64 n={1} strides a={2} b={3}")
    @MethodSource("binaryCases")
    void binaryFloat64MatchesScalarTwin(BinaryOp op, int n, int sa, int sb) {
        double[] a = values(op, OFFSET + Math.max(1, n * sa) + 1, 7L * n + op.ordinal());
        double[] b = values(op, 3 + Math.max(1, n * sb) + 1, 11L * n + op.ordinal());
        double[] simd = new double[n + 1], scalar = new double[n + 1];
        Elementwise.binary(op, a, OFFSET, sa, b, 3, sb, simd, 0, n);
        Elementwise.binaryScalar(op, a, OFFSET, sa, b, 3, sb, scalar, 0, n);
        for (int i = 0; i < n; i++)
            assertEquals(scalar[i], simd[i], 0.0, op + " element " + i);
        assertEquals(0.0, simd[n], "wrote past the run");
    }

    /** NaN and infinities take the same way through both paths (a NaN stays a NaN, as in PyTorch). */
    @ParameterizedTest(name = "{0} special values")
    @MethodSource("unaryOps")
    void specialValuesAgree(UnaryOp op) {
        float[] a = new float[64];
        double[] ad = new double[64];
        for (int i = 0; i < a.length; i++) {
            a[i] = switch (i % 4) { case 0 -> Float.NaN; case 1 -> Float.POSITIVE_INFINITY; case 2 -> Float.NEGATIVE_INFINITY; default -> i - 30; };
            ad[i] = a[i];
        }
        float[] simd = new float[64], scalar = new float[64];
        Elementwise.unary(op, (float) p(op), (float) q(op), a, 0, 1, simd, 0, 64);
        Elementwise.unaryScalar(op, (float) p(op), (float) q(op), a, 0, 1, scalar, 0, 64);
        double[] simdD = new double[64], scalarD = new double[64];
        Elementwise.unary(op, p(op), q(op), ad, 0, 1, simdD, 0, 64);
        Elementwise.unaryScalar(op, p(op), q(op), ad, 0, 1, scalarD, 0, 64);
        for (int i = 0; i < 64; i++) {
            assertEquals(scalar[i], simd[i], floatTolerance(op, scalar[i]), op + " float32 of " + a[i]);
            assertEquals(scalarD[i], simdD[i], 0.0, op + " float64 of " + ad[i]);
        }
    }

    static Stream<UnaryOp> unaryOps() { return Stream.of(UnaryOp.values()); }

    /** The scalar twins themselves against the textbook definitions, so that SIMD = twin means right. */
    @ParameterizedTest(name = "scalar definition of {0}")
    @MethodSource("definitions")
    void scalarDefinitions(UnaryOp op, double x, double expected) {
        assertEquals(expected, op.apply(x, p(op), q(op)), 1e-15 * Math.max(1, Math.abs(expected)));
        assertEquals((float) expected, op.apply((float) x, (float) p(op), (float) q(op)), 2e-7f * Math.max(1, Math.abs((float) expected)));
    }

    static Stream<Arguments> definitions() {
        return Stream.of(
            Arguments.of(UnaryOp.SIGMOID, 2.0, 1 / (1 + Math.exp(-2.0))),
            Arguments.of(UnaryOp.SIGMOID, -40.0, Math.exp(-40.0) / (1 + Math.exp(-40.0))),
            Arguments.of(UnaryOp.SOFTPLUS, 3.0, Math.log(1 + Math.exp(3.0))),
            Arguments.of(UnaryOp.SOFTPLUS, 800.0, 800.0),     // log(1 + e^800) without overflow
            Arguments.of(UnaryOp.SOFTPLUS, -800.0, 0.0),
            Arguments.of(UnaryOp.RELU, 0.0, 0.0),
            Arguments.of(UnaryOp.RELU, -1.5, 0.0),
            Arguments.of(UnaryOp.RELU, 1.5, 1.5),
            Arguments.of(UnaryOp.STEP, 0.0, 0.0),              // ReLU'(0) = 0
            Arguments.of(UnaryOp.LEAKY_RELU, -2.0, -0.5),      // slope 0.25
            Arguments.of(UnaryOp.LEAKY_STEP, -2.0, 0.25),
            Arguments.of(UnaryOp.CLAMP, -3.0, -0.5),
            Arguments.of(UnaryOp.CLAMP, 3.0, 1.25),
            Arguments.of(UnaryOp.IN_RANGE, 1.25, 1.0),
            Arguments.of(UnaryOp.POW_SCALAR, 2.0, Math.pow(2.0, 1.7)),
            Arguments.of(UnaryOp.RSUB_SCALAR, 2.0, -1.75),
            Arguments.of(UnaryOp.RDIV_SCALAR, 2.0, 0.125),
            Arguments.of(UnaryOp.SIGN, 0.0, 0.0),
            Arguments.of(UnaryOp.GT_SCALAR, 0.25, 0.0));
    }
}
