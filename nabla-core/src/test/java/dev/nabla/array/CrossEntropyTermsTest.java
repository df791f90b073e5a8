package dev.nabla.array;

import dev.nabla.array.ArrayFixtures.Layout;
import dev.nabla.kernels.Softmax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link NdArray#crossEntropyTerms}, the fused −log softmax(x)[y] of the cross-entropy loss, against
 * the same terms composed of log-softmax, gather and negation: both dtypes, every layout, rows shorter
 * and longer than {@link Softmax#SHORT_ROW} (the flat path and the row path), logits large enough
 * that an unshifted e^x would overflow.
 */
class CrossEntropyTermsTest {
    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        for (DType dtype : DType.values())
            for (Layout layout : Layout.values())
                for (int[] shape : new int[][] {{1, 1}, {128, 10}, {7, 3}, {5, 2 * Softmax.SHORT_ROW + 3}})
                    for (double scale : new double[] {1, 200})
                        c.add(Arguments.of(dtype, layout, shape[0], shape[1], scale));
        return c.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}x{3} scale {4}")
    @MethodSource("cases")
    void matchesLogSoftmaxGatherNeg(DType dtype, Layout layout, int rows, int classes, double scale) {
        NdArray x = ArrayFixtures.random(dtype, layout, rows * 31L + classes, rows, classes).mul(NdArray.scalar(dtype, scale / 2));
        SplittableRandom rng = new SplittableRandom(rows + classes);
        double[] labels = new double[rows];
        for (int r = 0; r < rows; r++) labels[r] = rng.nextInt(classes);
        NdArray index = NdArray.of(labels, rows, 1).to(dtype);
        NdArray terms = x.crossEntropyTerms(index);
        NdArray composed = x.logSoftmax(1).gather(1, index).reshape(rows).neg();
        assertArrayEquals(new int[] {rows}, terms.shape());
        // float32: both round x − (m + log Σ) at the scale of x
        double tol = dtype == DType.FLOAT64 ? 1e-12 * scale : 4 * Math.ulp((float) scale) + 2e-6;
        for (int r = 0; r < rows; r++) {
            double t = terms.get(r);
            assertEquals(composed.get(r), t, tol, "row " + r);
            assertTrue(t >= -tol, "row " + r + ": a cross-entropy term is never negative, got " + t);
        }
    }

    @Test
    void aClassIndexOutsideTheClassesIsNamed() {
        NdArray x = NdArray.zeros(DType.FLOAT32, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> x.crossEntropyTerms(NdArray.of(new double[] {1, 3}, 2, 1)));
        assertTrue(e.getMessage().contains("class index 3.0 in row 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.crossEntropyTerms(NdArray.of(new double[] {1, 2}, 2)));
        assertTrue(e.getMessage().contains("expected [N, C] and [N, 1]"), e.getMessage());
    }
}
