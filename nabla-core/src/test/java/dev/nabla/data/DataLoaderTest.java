package dev.nabla.data;

import dev.nabla.array.NdArray;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DataLoaderTest {

    /** Sample i has features (i, 10 i) and label i, so a batch shows which samples it holds. */
    private static TensorDataset numbered(int n) {
        float[] x = new float[2 * n], y = new float[n];
        for (int i = 0; i < n; i++) { x[2 * i] = i; x[2 * i + 1] = 10 * i; y[i] = i; }
        return new TensorDataset(NdArray.of(x, n, 2), NdArray.of(y, n));
    }

    private static List<int[]> ids(Iterable<Batch> batches) {
        List<int[]> out = new ArrayList<>();
        for (Batch b : batches) {
            float[] y = b.labels().toFloatArray(), x = b.features().toFloatArray();
            int[] ids = new int[y.length];
            for (int i = 0; i < y.length; i++) {
                ids[i] = (int) y[i];
                assertEquals(y[i], x[2 * i], "features travel with their label");
                assertEquals(10 * y[i], x[2 * i + 1]);
            }
            out.add(ids);
        }
        return out;
    }

    @Test
    void sequentialBatchesInOrderWithPartialLast() {
        DataLoader dl = new DataLoader(numbered(10), 4);
        assertEquals(3, dl.numBatches());
        List<int[]> b = ids(dl);
        assertEquals(3, b.size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, b.get(0));
        assertArrayEquals(new int[] {4, 5, 6, 7}, b.get(1));
        assertArrayEquals(new int[] {8, 9}, b.get(2));
    }

    @Test
    void dropLastDropsThePartialBatch() {
        DataLoader dl = new DataLoader(numbered(10), 4, true, 1, true);
        assertEquals(2, dl.numBatches());
        assertEquals(8, dl.samplesPerEpoch());
        List<int[]> b = ids(dl.epoch(0));
        assertEquals(2, b.size());
        for (int[] x : b) assertEquals(4, x.length);
        assertEquals(0, ids(new DataLoader(numbered(3), 4, false, 0, true)).size());
    }

    @Test
    void shuffleVisitsEverySampleOncePerEpoch() {
        DataLoader dl = new DataLoader(numbered(103), 10, true, 42, false);
        for (int e = 0; e < 3; e++) {
            int[] all = ids(dl.epoch(e)).stream().flatMapToInt(Arrays::stream).sorted().toArray();
            int[] expected = new int[103];
            for (int i = 0; i < 103; i++) expected[i] = i;
            assertArrayEquals(expected, all, "epoch " + e);
        }
    }

    @Test
    void shuffleIsReproducibleAndNewEachEpoch() {
        DataLoader a = new DataLoader(numbered(50), 8, true, 7, false), b = new DataLoader(numbered(50), 8, true, 7, false);
        int[] a0 = a.permutation(0), a1 = a.permutation(1);
        assertArrayEquals(a0, b.permutation(0), "same seed and epoch, same order");
        assertFalse(Arrays.equals(a0, a1), "a new order each epoch");
        assertFalse(Arrays.equals(a0, new DataLoader(numbered(50), 8, true, 8, false).permutation(0)), "another seed, another order");
        int[] identity = new int[50];
        for (int i = 0; i < 50; i++) identity[i] = i;
        assertFalse(Arrays.equals(identity, a0));
    }

    @Test
    void forEachAdvancesTheEpochAndSetEpochResumes() {
        DataLoader straight = new DataLoader(numbered(20), 6, true, 3, false);
        List<List<int[]>> epochs = new ArrayList<>();
        for (int e = 0; e < 4; e++) epochs.add(ids(straight));
        assertEquals(4, straight.nextEpoch());
        DataLoader resumed = new DataLoader(numbered(20), 6, true, 3, false);
        resumed.setEpoch(2);
        for (int e = 2; e < 4; e++) {
            List<int[]> got = ids(resumed);
            for (int i = 0; i < got.size(); i++) assertArrayEquals(epochs.get(e).get(i), got.get(i), "epoch " + e + " batch " + i);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(numbered(5), 0));
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset(NdArray.zeros(dev.nabla.array.DType.FLOAT32, 3, 2),
            NdArray.zeros(dev.nabla.array.DType.FLOAT32, 4)));
        assertThrows(IndexOutOfBoundsException.class, () -> numbered(3).get(new int[] {3}));
    }

    @Test
    void splitIsSeededDisjointAndComplete() {
        TensorDataset d = numbered(100);
        Split s = Split.random(d, 0.2, 11);
        assertEquals(80, s.train().size());
        assertEquals(20, s.validation().size());
        int[] tr = ids(new DataLoader(s.train(), 1000)).get(0), va = ids(new DataLoader(s.validation(), 1000)).get(0);
        int[] all = java.util.stream.IntStream.concat(Arrays.stream(tr), Arrays.stream(va)).sorted().toArray();
        for (int i = 0; i < 100; i++) assertEquals(i, all[i]);
        Split again = Split.random(d, 0.2, 11);
        assertArrayEquals(s.validation().labels().toFloatArray(), again.validation().labels().toFloatArray());
        assertFalse(Arrays.equals(s.validation().labels().toFloatArray(), Split.random(d, 0.2, 12).validation().labels().toFloatArray()));
        assertEquals(0, Split.random(d, 0, 1).validation().size());
        assertThrows(IllegalArgumentException.class, () -> Split.random(d, 1.0, 1));
    }
}
