package dev.nabla.data;

import dev.nabla.array.NdArray;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** TensorDataset.subsetView and Split.random: views that share the arrays and give what copies would. */
class SubsetViewTest {

    /** n samples of 2 × 3 features, sample i holding 100 i + 0..5; label i mod 4. */
    private static TensorDataset images(int n) {
        float[] x = new float[n * 6], y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 6; j++) x[6 * i + j] = 100 * i + j;
            y[i] = i % 4;
        }
        return new TensorDataset(NdArray.of(x, n, 2, 3), NdArray.of(y, n));
    }

    private static void assertSameBatch(Batch expected, Batch actual) {
        assertArrayEquals(expected.features().shape(), actual.features().shape());
        assertArrayEquals(expected.features().toFloatArray(), actual.features().toFloatArray());
        assertArrayEquals(expected.labels().toFloatArray(), actual.labels().toFloatArray());
    }

    @Test
    void aViewGivesTheSamplesACopyGives() {
        TensorDataset d = images(12);
        int[] rows = {7, 2, 11, 0, 5};
        TensorDataset copy = d.subset(rows), view = d.subsetView(rows);
        assertTrue(view.isView());
        assertFalse(copy.isView());
        assertEquals(5, view.size());
        assertArrayEquals(new int[] {2, 3}, view.featureShape());
        assertSameBatch(copy.get(new int[] {4, 0, 2}), view.get(new int[] {4, 0, 2}));
        assertSameBatch(copy.slice(1, 3), view.slice(1, 3));
        assertArrayEquals(copy.features().toFloatArray(), view.features().toFloatArray());
        assertArrayEquals(new int[] {5, 2, 3}, view.features().shape());
        assertArrayEquals(copy.labels().toFloatArray(), view.labels().toFloatArray());
        assertEquals(copy.numClasses(), view.numClasses());
        assertTrue(view.toString().contains("features=[5, 2, 3]"), view.toString());
    }

    @Test
    void aViewSharesTheArraysAndCopiesOnlyWhatItHandsOut() {
        TensorDataset d = images(6);
        TensorDataset view = d.subsetView(new int[] {1, 3});
        assertEquals(303f, view.get(new int[] {1}).features().toFloatArray()[3]);
        d.features().floatData()[6 * 3 + 3] = -1f;   // the shared array: the view sees the change
        assertEquals(-1f, view.get(new int[] {1}).features().toFloatArray()[3]);
        NdArray handedOut = view.features();
        handedOut.floatData()[0] = 12345f;           // a handed-out copy: the dataset does not
        assertEquals(100f, view.get(new int[] {0}).features().toFloatArray()[0]);
    }

    @Test
    void viewsOfViewsFlatteningAndLoadersKeepTheRows() {
        TensorDataset d = images(10);
        TensorDataset view = d.subsetView(new int[] {9, 8, 7, 6, 5}).subsetView(new int[] {4, 0});   // rows 5 and 9
        assertArrayEquals(new float[] {1, 1}, view.labels().toFloatArray());
        assertEquals(500f, view.features().toFloatArray()[0]);
        assertEquals(900f, view.features().toFloatArray()[6]);
        TensorDataset flat = view.flattened();
        assertTrue(flat.isView());
        assertArrayEquals(new int[] {6}, flat.featureShape());
        assertArrayEquals(view.features().toFloatArray(), flat.features().toFloatArray());
        // Sequential loading (which slices) and shuffled loading (which gathers) see the same samples as a copy.
        TensorDataset copy = d.subset(new int[] {2, 4, 6, 8, 9});
        TensorDataset v = d.subsetView(new int[] {2, 4, 6, 8, 9});
        for (boolean shuffle : new boolean[] {false, true}) {
            var a = new DataLoader(copy, 2, shuffle, 3, false).epoch(1).iterator();
            var b = new DataLoader(v, 2, shuffle, 3, false).epoch(1).iterator();
            while (a.hasNext()) assertSameBatch(a.next(), b.next());
            assertFalse(b.hasNext());
        }
    }

    @Test
    void badPositionsAreNamed() {
        TensorDataset d = images(4);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> d.subsetView(new int[] {0, 4}));
        assertTrue(e.getMessage().contains("subsetView") && e.getMessage().contains("4"), e.getMessage());
        TensorDataset view = d.subsetView(new int[] {3, 1});
        assertThrows(IndexOutOfBoundsException.class, () -> view.get(new int[] {2}));
        assertThrows(IndexOutOfBoundsException.class, () -> view.slice(1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> view.subsetView(new int[] {-1}));
    }

    @Test
    void splitPartsAreViewsWithTheSamplesOfTheCopyingSplit() {
        TensorDataset d = images(50);
        Split s = Split.random(d, 0.2, 7);
        assertTrue(s.train().isView() && s.validation().isView());
        assertEquals(40, s.train().size());
        assertEquals(10, s.validation().size());
        // The parts hold the seeded samples in dataset order: rebuild the positions from the first feature (100 i).
        int[] train = positions(s.train()), val = positions(s.validation());
        assertArrayEquals(d.subset(train).features().toFloatArray(), s.train().features().toFloatArray());
        assertArrayEquals(d.subset(val).labels().toFloatArray(), s.validation().labels().toFloatArray());
        int[] all = new int[50];
        System.arraycopy(train, 0, all, 0, 40);
        System.arraycopy(val, 0, all, 40, 10);
        Arrays.sort(all);
        for (int i = 0; i < 50; i++) assertEquals(i, all[i], "every sample in exactly one part");
        assertArrayEquals(train, positions(Split.random(d, 0.2, 7).train()), "the same seed, the same split");
    }

    private static int[] positions(TensorDataset part) {
        float[] x = part.features().toFloatArray();
        int[] p = new int[part.size()];
        for (int i = 0; i < p.length; i++) p[i] = (int) (x[6 * i] / 100);
        for (int i = 1; i < p.length; i++) assertTrue(p[i] > p[i - 1], "dataset order");
        return p;
    }

    /**
     * A batch large enough that its rows are copied on several threads (TensorDataset.GATHER_GRAIN):
     * every sample, float32 and float64, lands in its place, on one and on two threads.
     */
    @Test
    void aLargeBatchIsGatheredRowForRowOnEveryThreadCount() {
        int n = 600, features = 1000, saved = dev.nabla.parallel.Parallel.threads();
        float[] x = new float[n * features], y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < features; j++) x[i * features + j] = i * 10_000 + j;
            y[i] = i % 10;
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = (i * 7 + 3) % n;    // 7 is prime to 600: a permutation
        try {
            for (int threads : new int[] {1, 2}) {
                dev.nabla.parallel.Parallel.setThreads(threads);
                for (NdArray features32 : new NdArray[] {NdArray.of(x, n, features), NdArray.of(x, n, features).to(dev.nabla.array.DType.FLOAT64)}) {
                    Batch b = new TensorDataset(features32, NdArray.of(y, n)).get(order);
                    double[] got = b.features().toDoubleArray();
                    for (int r = 0; r < n; r++)
                        for (int j = 0; j < features; j += 97)
                            assertEquals(order[r] * 10_000 + j, got[r * features + j], "row " + r + " column " + j + " on " + threads + " threads");
                    assertEquals(order[n - 1] * 10_000 + features - 1, got[n * features - 1]);
                    assertEquals(order[17] % 10, b.labels().toDoubleArray()[17]);
                }
            }
        } finally {
            dev.nabla.parallel.Parallel.setThreads(saved);
        }
    }
}
