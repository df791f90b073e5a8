package dev.nabla.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Softmax and log-softmax: the float32 SIMD kernels against their scalar twins, the float64 kernels
 * against a plain float64 definition, on odd row lengths, several rows (many short ones take the
 * flat path of {@link Softmax#SHORT_ROW}), an input offset, and inputs large enough that an unshifted
 * e^x would overflow.
 */
class SoftmaxTest {
    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        // rows shorter than Softmax.SHORT_ROW, several of them, take the flat path: 10 classes × 128 rows
        for (int n : new int[] {1, 3, 10, 17, 63, 255})
            for (int rows : new int[] {1, 3, 128})
                for (double scale : new double[] {1, 300})
                    c.add(Arguments.of(n, rows, scale));
        return c.stream();
    }

    static double[] input(int len, double scale, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[len];
        for (int i = 0; i < len; i++) v[i] = scale * rng.nextDouble(-1, 1);
        return v;
    }

    /** softmax by its definition, shifted by the row max (without the shift e^300 would overflow). */
    static double[] reference(double[] x, int off, int n, boolean log) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, x[off + i]);
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.exp(x[off + i] - m);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = log ? x[off + i] - m - Math.log(s) : Math.exp(x[off + i] - m) / s;
        return r;
    }

    @ParameterizedTest(name = "float32 n={0} rows={1} scale={2}")
    @MethodSource("cases")
    void float32MatchesScalarTwin(int n, int rows, double scale) {
        double[] d = input(2 + rows * n, scale, n * 7L + rows);
        float[] x = new float[d.length];
        for (int i = 0; i < d.length; i++) x[i] = (float) d[i];
        float[] simd = new float[rows * n], twin = new float[rows * n];
        Softmax.softmax(x, 2, simd, 0, rows, n);
        Softmax.softmaxScalar(x, 2, twin, 0, rows, n);
        // the row sums are added in another order (vector lanes, then the lanes together): a few ε
        // relative, which is up to twice as many ulps near the top of a binade (the 128 rows of 63
        // classes reached 9 ulps)
        for (int i = 0; i < simd.length; i++)
            assertEquals(twin[i], simd[i], 16 * Math.ulp(twin[i]) + 1e-37f, "softmax element " + i);
        Softmax.logSoftmax(x, 2, simd, 0, rows, n);
        Softmax.logSoftmaxScalar(x, 2, twin, 0, rows, n);
        // x − (m + log Σ) cancels: an ulp of the shift (up to the scale of x) is an error of the result
        for (int i = 0; i < simd.length; i++)
            assertEquals(twin[i], simd[i], 2e-6f * Math.max(1, Math.abs(twin[i])) + 2 * Math.ulp((float) scale),
                "log-softmax element " + i);
        // The twin against the float64 definition on the same (float-rounded) inputs. Log-softmax
        // subtracts m + log Σ, which float32 rounds to an ulp of the largest |x|: the tolerance scales with it.
        double[] xd = new double[x.length];
        for (int i = 0; i < x.length; i++) xd[i] = x[i];
        for (int r = 0; r < rows; r++) {
            double[] ref = reference(xd, 2 + r * n, n, true);
            for (int i = 0; i < n; i++)
                assertEquals(ref[i], twin[r * n + i], 4 * Math.ulp((float) scale) + 1e-6 * Math.abs(ref[i]), "row " + r + " element " + i);
        }
    }

    @ParameterizedTest(name = "float64 n={0} rows={1} scale={2}")
    @MethodSource("cases")
    void float64MatchesDefinition(int n, int rows, double scale) {
        double[] x = input(2 + rows * n, scale, n * 7L + rows);
        double[] s = new double[rows * n], ls = new double[rows * n];
        Softmax.softmax(x, 2, s, 0, rows, n);
        Softmax.logSoftmax(x, 2, ls, 0, rows, n);
        for (int r = 0; r < rows; r++) {
            double[] ref = reference(x, 2 + r * n, n, false), refLog = reference(x, 2 + r * n, n, true);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(ref[i], s[r * n + i], 1e-15);
                assertEquals(refLog[i], ls[r * n + i], 1e-13 * Math.max(1, Math.abs(refLog[i])));
                assertTrue(Double.isFinite(s[r * n + i]));
                sum += s[r * n + i];
            }
            assertEquals(1.0, sum, 1e-13, "row " + r + " sums to 1");
        }
    }

    @Test
    void rowOfMinusInfinityGivesNaN() {
        double[] x = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] out = new double[2];
        Softmax.softmax(x, 0, out, 0, 1, 2);
        assertTrue(Double.isNaN(out[0]) && Double.isNaN(out[1]));
    }
}
