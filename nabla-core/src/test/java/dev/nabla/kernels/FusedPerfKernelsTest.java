package dev.nabla.kernels;

import dev.nabla.kernels.Fused.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fused kernels against their scalar twins and against the unfused composition. */
class FusedPerfKernelsTest {

    private static float[] random(SplittableRandom rng, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rng.nextGaussian() * scale);
        return x;
    }

    @ParameterizedTest(name = "{0}x{1} {2} bias={3}")
    @CsvSource({"1,1,RELU,true", "7,33,RELU,true", "128,256,RELU,true", "5,17,IDENTITY,true", "9,40,RELU,false", "3,8,IDENTITY,false"})
    void biasActivationMatchesItsTwin(int rows, int cols, Activation act, boolean withBias) {
        SplittableRandom rng = new SplittableRandom(rows * 31L + cols);
        int ld = cols + 3;
        float[] y = random(rng, 2 + rows * ld, 1), expect = y.clone();
        float[] b = withBias ? random(rng, 1 + cols, 1) : null;
        Fused.biasActivation(rows, cols, y, 2, ld, b, 1, act);
        Fused.biasActivationScalar(rows, cols, expect, 2, ld, b, 1, act);
        assertArrayEquals(expect, y);
    }

    @Test
    void linearIsTheProductPlusBiasThroughTheActivation() {
        SplittableRandom rng = new SplittableRandom(11);
        int rows = 13, in = 70, out = 37;
        float[] x = random(rng, rows * in, 1), w = random(rng, out * in, 0.2), b = random(rng, out, 1);
        float[] y = new float[rows * out];
        Fused.linear(rows, in, out, x, 0, in, w, 0, in, b, 0, Activation.RELU, y, 0, out);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < out; j++) {
                double s = b[j];
                for (int p = 0; p < in; p++) s += (double) x[r * in + p] * w[j * in + p];
                assertEquals(Math.max(s, 0), y[r * out + j], 1e-4, "y[" + r + "][" + j + "]");
            }
    }

    @ParameterizedTest(name = "n={0}")
    @CsvSource({"1", "15", "16", "1000", "32768"})
    void reluBackwardMatchesItsTwinIncludingZerosAndNaN(int n) {
        SplittableRandom rng = new SplittableRandom(n);
        float[] g = random(rng, n, 1), y = random(rng, n, 1);
        for (int i = 0; i < n; i += 5) y[i] = 0f;
        if (n > 3) y[3] = Float.NaN;
        float[] out = new float[n], expect = new float[n];
        Fused.reluBackward(g, 0, y, 0, out, 0, n);
        Fused.reluBackwardScalar(g, 0, y, 0, expect, 0, n);
        assertArrayEquals(expect, out);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1,1", "4,10", "128,10", "3,37", "2,1000"})
    void softmaxCrossEntropyMatchesItsTwin(int rows, int classes) {
        SplittableRandom rng = new SplittableRandom(rows * 7L + classes);
        float[] z = random(rng, rows * classes, 3);
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) y[r] = rng.nextInt(classes);
        float[] grad = new float[rows * classes], expect = new float[rows * classes];
        float loss = Fused.softmaxCrossEntropy(rows, classes, z, 0, classes, y, 0, grad, 0, classes);
        float lossExpect = Fused.softmaxCrossEntropyScalar(rows, classes, z, 0, classes, y, 0, expect, 0, classes);
        assertEquals(lossExpect, loss, 1e-5 * Math.max(1, Math.abs(lossExpect)));
        for (int i = 0; i < grad.length; i++) assertEquals(expect[i], grad[i], 1e-6, "grad " + i);
        // each gradient row sums to zero: softmax sums to one, the one-hot too
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < classes; j++) s += grad[r * classes + j];
            assertEquals(0, s, 1e-6);
        }
    }

    @Test
    void softmaxCrossEntropyIsStableForHugeLogitsAndKnownForUniformOnes() {
        float[] z = {1000f, 0f, -1000f, 5f, 5f, 5f, 5f, 5f, 5f};
        float loss = Fused.softmaxCrossEntropy(3, 3, z, 0, 3, new int[] {0, 1, 2}, 0, null, 0, 0);
        // row 0: log(1 + e^-1000 + e^-2000) ≈ 0; row 1 (label 1 at 0 vs 5): 5 + log(1 + 2 e^-5)... use the twin
        float expect = Fused.softmaxCrossEntropyScalar(3, 3, z, 0, 3, new int[] {0, 1, 2}, 0, null, 0, 0);
        assertTrue(Float.isFinite(loss));
        assertEquals(expect, loss, 1e-3);
        // the same with the gradient: three rows of three classes take Softmax.SHORT_ROW's flat path
        float[] grad = new float[9], gradExpect = new float[9];
        float withGrad = Fused.softmaxCrossEntropy(3, 3, z, 0, 3, new int[] {0, 1, 2}, 0, grad, 0, 3);
        Fused.softmaxCrossEntropyScalar(3, 3, z, 0, 3, new int[] {0, 1, 2}, 0, gradExpect, 0, 3);
        assertEquals(expect, withGrad, 1e-3);
        for (int i = 0; i < 9; i++) assertEquals(gradExpect[i], grad[i], 1e-6, "grad " + i);
        float uniform = Fused.softmaxCrossEntropy(1, 3, new float[] {5f, 5f, 5f}, 0, 3, new int[] {2}, 0, null, 0, 0);
        assertEquals(Math.log(3), uniform, 1e-6);
    }

    @Test
    void aClassIndexOutOfRangeNamesTheRow() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
            () -> Fused.softmaxCrossEntropy(2, 3, new float[6], 0, 3, new int[] {1, 3}, 0, null, 0, 0));
        assertTrue(e.getMessage().contains("class index 3 in row 1"), e.getMessage());
        // the labels are checked before anything is written: a bad last label leaves the gradient as it was
        float[] grad = new float[6];
        java.util.Arrays.fill(grad, 7f);
        assertThrows(IndexOutOfBoundsException.class,
            () -> Fused.softmaxCrossEntropy(2, 3, new float[6], 0, 3, new int[] {1, -1}, 0, grad, 0, 3));
        for (float g : grad) assertEquals(7f, g);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1,1", "128,256", "5,17", "128,10"})
    void columnSumsMatchItsTwin(int rows, int cols) {
        SplittableRandom rng = new SplittableRandom(rows + cols);
        float[] a = random(rng, rows * (cols + 1), 1), out = new float[cols + 2], expect = new float[cols + 2];
        Fused.columnSums(rows, cols, a, 0, cols + 1, out, 1);
        Fused.columnSumsScalar(rows, cols, a, 0, cols + 1, expect, 1);
        for (int j = 0; j < out.length; j++) assertEquals(expect[j], out[j], 1e-4, "column " + j);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1,1", "128,256", "5,17", "128,10"})
    void addColumnSumsIsTheScaledColumnSumAdded(int rows, int cols) {
        SplittableRandom rng = new SplittableRandom(rows * 3L + cols);
        float[] a = random(rng, rows * cols, 1), b = random(rng, cols, 1), sums = new float[cols];
        float[] expect = b.clone();
        Fused.columnSumsScalar(rows, cols, a, 0, cols, sums, 0);
        for (int j = 0; j < cols; j++) expect[j] += -0.1f * sums[j];
        Fused.addColumnSums(-0.1f, rows, cols, a, 0, cols, b, 0);
        for (int j = 0; j < cols; j++) assertEquals(expect[j], b[j], 1e-5, "b[" + j + "]");
    }
}
