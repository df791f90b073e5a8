package dev.nabla.kernels;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The tiled transpose against its scalar twin, and a transposed view made contiguous through it. */
class TransposePerfKernelsTest {

    @ParameterizedTest(name = "{0}x{1} lda+{2}")
    @CsvSource({"1,1,0", "16,16,0", "17,33,3", "256,784,0", "31,15,1", "48,64,5"})
    void tiledTransposeMatchesTheScalarTwin(int rows, int cols, int pad) {
        SplittableRandom rng = new SplittableRandom(rows * 1000L + cols);
        int lda = cols + pad, ldo = rows + 2, aOff = 3, oOff = 1;
        float[] a = new float[aOff + rows * lda];
        double[] ad = new double[a.length];
        for (int i = 0; i < a.length; i++) { a[i] = (float) rng.nextDouble(); ad[i] = a[i]; }
        float[] out = new float[oOff + cols * ldo], expect = out.clone();
        double[] outD = new double[out.length], expectD = new double[out.length];
        Transpose.transpose(a, aOff, lda, rows, cols, out, oOff, ldo);
        Transpose.transposeScalar(a, aOff, lda, rows, cols, expect, oOff, ldo);
        Transpose.transpose(ad, aOff, lda, rows, cols, outD, oOff, ldo);
        Transpose.transposeScalar(ad, aOff, lda, rows, cols, expectD, oOff, ldo);
        assertArrayEquals(expect, out);
        assertArrayEquals(expectD, outD);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"20,37", "256,784", "2,2"})
    void aTransposedViewCopiesToTheSameElements(int rows, int cols) {
        for (DType t : DType.values()) {
            NdArray x = NdArray.randn(new SplittableRandom(7), t, rows, cols);
            NdArray copy = x.transpose(0, 1).copy();
            assertEquals(true, copy.isContiguous());
            for (int i = 0; i < cols; i++)
                for (int j = 0; j < rows; j++) assertEquals(x.get(j, i), copy.get(i, j), 0.0, t + " [" + i + "][" + j + "]");
        }
    }
}
