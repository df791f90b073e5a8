package dev.nabla.kernels;

import dev.nabla.parallel.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The SIMD float32 erf and GELU paths ({@link VectorErf}) against their scalar twins in {@link UnaryOp}
 * (which compute in double and round once): within one float ulp everywhere, equal almost everywhere,
 * the same special values; the fused GELU backward against g times the scalar derivative; the tanh
 * form's scalar twin against the textbook formula and, where that cancels, against BigDecimal.
 */
class VectorErfTest {
    static final UnaryOp[] OPS = {UnaryOp.ERF, UnaryOp.GELU, UnaryOp.GELU_GRAD, UnaryOp.GELU_TANH, UnaryOp.GELU_TANH_GRAD};

    static final int SAVED_THREADS = Parallel.threads();

    @AfterEach
    void restoreThreads() { Parallel.setThreads(SAVED_THREADS); }

    /** Normal values of several spreads, the pieces' borders for erf and for GELU's x/√2, and their neighbours. */
    static float[] inputs() {
        SplittableRandom rng = new SplittableRandom(11);
        float[] v = new float[120_000];
        int i = 0;
        for (; i < 100_000; i++) v[i] = (float) (rng.nextGaussian() * (i % 4 == 0 ? 0.3 : i % 4 == 1 ? 1.5 : i % 4 == 2 ? 4 : 12));
        double[] borders = {1, 2, 6, Math.sqrt(2), 2 * Math.sqrt(2), 6 * Math.sqrt(2), 0};
        for (double b : borders)
            for (int s = -1; s <= 1; s += 2) {
                float f = (float) (s * b);
                for (int k = 0; k < 40 && i < v.length; k++) {
                    v[i++] = f;
                    f = Math.nextUp(f);
                }
            }
        for (; i < v.length; i++) v[i] = (float) rng.nextDouble(-40, 40);
        return v;
    }

    @Test
    void everyOpIsWithinOneUlpOfItsScalarTwinAndUsuallyEqual() {
        float[] x = inputs(), out = new float[x.length];
        for (UnaryOp op : OPS) {
            int done = VectorErf.unary(op, x, 0, out, 0, x.length);
            assertEquals(x.length / VectorErf.V * VectorErf.V, done, op + ": whole vectors");
            int differ = 0;
            for (int i = 0; i < done; i++) {
                float want = op.apply(x[i], 0f, 0f);
                if (out[i] != want) differ++;
                assertEquals(want, out[i], Math.ulp(want), op + "(" + x[i] + ")");
            }
            assertTrue(differ < done / 100, op + ": " + differ + " of " + done + " values differ by an ulp");
        }
    }

    @Test
    void specialValuesMatchTheScalarTwins() {
        float[] x = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE,
                     Float.MAX_VALUE, -Float.MAX_VALUE, 1e-30f, -1e-30f, 30f, -30f, 1e5f, -1e5f, 0.5f};
        float[] out = new float[x.length];
        for (UnaryOp op : OPS) {
            int done = VectorErf.unary(op, x, 0, out, 0, x.length);
            for (int i = 0; i < done; i++) {
                float want = op.apply(x[i], 0f, 0f);
                if (Float.isNaN(want)) assertTrue(Float.isNaN(out[i]), op + "(" + x[i] + ") = " + out[i] + ", want NaN");
                else assertEquals(want, out[i], Math.ulp(want), op + "(" + x[i] + ")");
                if (want == 0f) assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(out[i]), op + "(" + x[i] + "): sign of zero");
            }
        }
    }

    @Test
    void fusedBackwardIsGradientTimesDerivativeOnOneAndTwoThreads() {
        float[] x = inputs(), g = new float[x.length];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < g.length; i++) g[i] = (float) rng.nextGaussian();
        int n = x.length - 3;   // a scalar tail
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (boolean tanh : new boolean[] {false, true}) {
                float[] out = new float[n];
                Fused.geluBackward(tanh, g, 1, x, 2, out, 0, n);
                for (int i = 0; i < n; i++) {
                    double d = tanh ? UnaryOp.geluTanhGrad(x[i + 2]) : UnaryOp.geluGrad(x[i + 2]);
                    float want = (float) (g[i + 1] * d);
                    assertEquals(want, out[i], Math.ulp(want), (tanh ? "tanh " : "") + "at " + x[i + 2] + ", g " + g[i + 1]);
                }
            }
        }
    }

    @Test
    void parallelUnaryGivesTheSameBitsAsOneThread() {
        float[] x = inputs();
        for (UnaryOp op : OPS) {
            float[] one = new float[x.length], two = new float[x.length];
            Parallel.setThreads(1);
            Elementwise.unary(op, 0f, 0f, x, 0, 1, one, 0, x.length);
            Parallel.setThreads(2);
            Elementwise.unary(op, 0f, 0f, x, 0, 1, two, 0, x.length);
            assertArrayEquals(one, two, op.name());
        }
    }

    @Test
    void tanhFormScalarTwinIsTheTextbookFormulaAndStaysAccurateWhereThatCancels() {
        for (double x = -3; x <= 3; x += 0.125) {
            double u = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x), t = Math.tanh(u);
            double y = 0.5 * x * (1 + t);
            assertEquals(y, UnaryOp.geluTanh(x), 1e-16 + 4 * Math.ulp(y), "GELU_tanh(" + x + ")");
            double d = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * Math.sqrt(2 / Math.PI) * (1 + 3 * 0.044715 * x * x);
            // the textbook 1 − t² and ½(1 + t) cancel for negative x: an absolute tolerance
            assertEquals(d, UnaryOp.geluTanhGrad(x), 2e-15, "GELU_tanh′(" + x + ")");
        }
        // x = −8: 1 + tanh(u) = 2e^(2u)/(1 + e^(2u)) ≈ 3e-16, where 1 + Math.tanh(u) has no correct digit
        double x = -8, u = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
        MathContext mc = new MathContext(40);
        BigDecimal e = new BigDecimal(Math.exp(2 * u));   // e^(2u) to double precision: relative 1e-16 is enough here
        double want = new BigDecimal(0.5 * x).multiply(e.multiply(BigDecimal.TWO).divide(e.add(BigDecimal.ONE), mc), mc).doubleValue();
        assertEquals(want, UnaryOp.geluTanh(x), Math.abs(want) * 1e-14);
    }
}
