package dev.nabla.data;

import dev.nabla.array.NdArray;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.*;

class RandomShiftTest {

    /** A generator whose nextInt(lo, hi) returns the given values in turn. */
    private static RandomGenerator fixed(int... values) {
        return new RandomGenerator() {
            int i;
            @Override public long nextLong() { throw new UnsupportedOperationException(); }
            @Override public int nextInt(int lo, int hi) {
                int v = values[i++];
                assertTrue(v >= lo && v < hi);
                return v;
            }
        };
    }

    @Test
    void shiftsByTheDrawnOffsetsAndFillsTheBorder() {
        // One 3 x 4 image with values 1..12.
        float[] img = new float[12];
        for (int i = 0; i < 12; i++) img[i] = i + 1;
        Batch b = new Batch(NdArray.of(img, 1, 12), NdArray.of(new float[] {5}, 1));
        Batch right = new RandomShift(3, 4, 1, -1f).apply(b, fixed(1, 0));   // dx = +1 (right), dy = 0
        assertArrayEquals(new float[] {-1, 1, 2, 3, -1, 5, 6, 7, -1, 9, 10, 11}, right.features().toFloatArray());
        Batch upLeft = new RandomShift(3, 4, 1, 0f).apply(b, fixed(-1, -1));   // dx = -1, dy = -1
        assertArrayEquals(new float[] {6, 7, 8, 0, 10, 11, 12, 0, 0, 0, 0, 0}, upLeft.features().toFloatArray());
        assertSame(b.labels(), right.labels());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, b.features().toFloatArray(), "the input is unchanged");
    }

    @Test
    void loaderTransformIsReproduciblePerEpochAndBatch() {
        float[] x = new float[40 * 16];
        for (int i = 0; i < x.length; i++) x[i] = i % 7;
        TensorDataset d = new TensorDataset(NdArray.of(x, 40, 4, 4), NdArray.zeros(dev.nabla.array.DType.FLOAT32, 40));
        DataLoader a = new DataLoader(d, 8, true, 3, false).withTransform(new RandomShift(4, 4, 1, 0));
        DataLoader b = new DataLoader(d, 8, true, 3, false).withTransform(new RandomShift(4, 4, 1, 0));
        var ia = a.epoch(2).iterator();
        var ib = b.epoch(2).iterator();
        boolean changed = false;
        while (ia.hasNext()) {
            float[] fa = ia.next().features().toFloatArray();
            assertArrayEquals(fa, ib.next().features().toFloatArray());
            changed |= !java.util.Arrays.equals(fa, new DataLoader(d, 8, true, 3, false).epoch(2).iterator().next().features().toFloatArray());
        }
        assertTrue(changed, "the transform changed something");
        assertThrows(IllegalArgumentException.class, () -> new RandomShift(4, 4, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new RandomShift(5, 5, 1, 0).apply(d.get(new int[] {0}), new SplittableRandom(1)));
    }
}
