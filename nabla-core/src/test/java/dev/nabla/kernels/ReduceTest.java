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
 * Reductions against their scalar twins (sum, max) or against a naive loop (argmax, accumulate,
 * accumulateMax), on odd sizes with an offset, and for argmax with strides.
 */
class ReduceTest {
    static final int OFF = 3;

    static Stream<Integer> sizes() { return Stream.of(1, 3, 7, 15, 16, 17, 63, 255, 1001); }

    static Stream<Arguments> stridedSizes() {
        List<Arguments> c = new ArrayList<>();
        for (int n : new int[] {1, 3, 17, 63, 255}) for (int stride : new int[] {1, 2, 5}) c.add(Arguments.of(n, stride));
        return c.stream();
    }

    static double[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextDouble(-10, 10);
        return v;
    }

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    @ParameterizedTest(name = "sum n={0}")
    @MethodSource("sizes")
    void sumMatchesScalarTwin(int n) {
        double[] d = random(OFF + n + 4, n);
        float[] f = toFloat(d);
        double absSum = 0;
        for (int i = 0; i < n; i++) absSum += Math.abs(d[OFF + i]);
        // The SIMD sum adds in another order: the two may differ by rounding, bounded by n·ulp·Σ|a|.
        assertEquals(Reduce.sumScalar(f, OFF, n), Reduce.sum(f, OFF, n), n * 6e-8 * absSum + 1e-30);
        assertEquals(Reduce.sumScalar(d, OFF, n), Reduce.sum(d, OFF, n), n * 1.2e-16 * absSum);
        // and the twin itself is the plain sum
        double exact = 0;
        for (int i = 0; i < n; i++) exact += d[OFF + i];
        assertEquals(exact, Reduce.sumScalar(d, OFF, n), 0.0);
    }

    @ParameterizedTest(name = "max n={0}")
    @MethodSource("sizes")
    void maxMatchesScalarTwin(int n) {
        double[] d = random(OFF + n + 4, 100 + n);
        d[d.length - 1] = 1e9;   // past the run: must not be seen
        float[] f = toFloat(d);
        assertEquals(Reduce.maxScalar(f, OFF, n), Reduce.max(f, OFF, n), 0f);
        assertEquals(Reduce.maxScalar(d, OFF, n), Reduce.max(d, OFF, n), 0.0);
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, d[OFF + i]);
        assertEquals(m, Reduce.maxScalar(d, OFF, n), 0.0);
    }

    @ParameterizedTest(name = "max with NaN at {0}")
    @MethodSource("sizes")
    void maxPropagatesNaN(int n) {
        double[] d = random(n, 7);
        d[n / 2] = Double.NaN;
        assertTrue(Double.isNaN(Reduce.max(d, 0, n)));
        assertTrue(Float.isNaN(Reduce.max(toFloat(d), 0, n)));
    }

    @ParameterizedTest(name = "argmax n={0} stride={1}")
    @MethodSource("stridedSizes")
    void argmaxIsTheFirstLargest(int n, int stride) {
        double[] d = new double[OFF + n * stride];
        SplittableRandom rng = new SplittableRandom(n * 31L + stride);
        for (int i = 0; i < d.length; i++) d[i] = rng.nextInt(-20, 20);   // integers: ties are likely
        int expected = 0;
        for (int i = 1; i < n; i++) if (d[OFF + i * stride] > d[OFF + expected * stride]) expected = i;
        assertEquals(expected, Reduce.argmax(d, OFF, stride, n));
        assertEquals(expected, Reduce.argmax(toFloat(d), OFF, stride, n));
    }

    @Test
    void argmaxCountsNaNAsLargest() {
        double[] d = {1, 5, Double.NaN, 9, Double.NaN};
        assertEquals(2, Reduce.argmax(d, 0, 1, 5));
        assertEquals(2, Reduce.argmax(toFloat(d), 0, 1, 5));
    }

    @ParameterizedTest(name = "accumulate n={0}")
    @MethodSource("sizes")
    void accumulateAddsElementwise(int n) {
        double[] acc = random(2 + n + 3, 1), a = random(OFF + n, 2);
        float[] accF = toFloat(acc), aF = toFloat(a);
        double[] expected = acc.clone();
        float[] expectedF = accF.clone();
        for (int i = 0; i < n; i++) { expected[2 + i] += a[OFF + i]; expectedF[2 + i] += aF[OFF + i]; }
        Reduce.accumulate(acc, 2, a, OFF, n);
        Reduce.accumulate(accF, 2, aF, OFF, n);
        for (int i = 0; i < acc.length; i++) {
            assertEquals(expected[i], acc[i], 0.0, "float64 element " + i);
            assertEquals(expectedF[i], accF[i], 0f, "float32 element " + i);
        }
    }

    @ParameterizedTest(name = "accumulateMax n={0}")
    @MethodSource("sizes")
    void accumulateMaxTakesElementwiseMax(int n) {
        double[] acc = random(2 + n + 3, 3), a = random(OFF + n, 4);
        float[] accF = toFloat(acc), aF = toFloat(a);
        double[] expected = acc.clone();
        for (int i = 0; i < n; i++) expected[2 + i] = Math.max(expected[2 + i], a[OFF + i]);
        Reduce.accumulateMax(acc, 2, a, OFF, n);
        Reduce.accumulateMax(accF, 2, aF, OFF, n);
        for (int i = 0; i < acc.length; i++) {
            assertEquals(expected[i], acc[i], 0.0, "float64 element " + i);
            assertEquals((float) expected[i], accF[i], 0f, "float32 element " + i);
        }
    }
}
