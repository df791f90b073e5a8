package dev.nabla.kernels;

import dev.nabla.parallel.Parallel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocked, multi-threaded GEMM against its scalar twin: every transpose variant, sizes around
 * the tile and block edges (MR, NR, KC, MC), leading dimensions wider than the matrix, offsets into
 * the arrays, beta 0 / 1 / other, on one thread and on two.
 */
class GemmPerfKernelsTest {
    private static final int SAVED_THREADS = Parallel.threads();

    @AfterAll
    static void restore() { Parallel.setThreads(SAVED_THREADS); }

    static List<Arguments> shapes() {
        int nr = GemmFloat.NR, mr = GemmFloat.MR, kc = GemmFloat.KC, mc = GemmFloat.MC;
        int[][] mnk = {
            {1, 1, 4096 + 3}, {mr, nr, 16}, {mr + 1, nr + 1, kc + 1}, {2 * mr - 1, 3 * nr - 5, 37},
            {mc + 7, 2 * nr + 3, 2 * kc + 9}, {128, 10, 256}, {10, 256, 128}, {3, 700, 40}, {200, 33, 300},
            {65, 129, 257},
            // more rows than the column split takes: k blocks of up to KC, fewer rows per A block
            {GemmFloat.SPLIT_COLUMNS_ROWS + 7, nr + 5, kc + 1}, {2 * GemmFloat.rowsFor(kc) + 1, 2 * nr, 2 * kc - 3},
            // many rows but a small A: split by columns, a transposed A packed whole by each thread
            {GemmFloat.SPLIT_COLUMNS_ROWS + 7, 3 * nr + 1, GemmFloat.SMALL_A / (GemmFloat.SPLIT_COLUMNS_ROWS + 7)},
        };
        List<Arguments> out = new ArrayList<>();
        int seed = 0;
        for (int[] s : mnk)
            for (int threads = 1; threads <= 2; threads++)
                for (int v = 0; v < 4; v++)
                    out.add(Arguments.of(s[0], s[1], s[2], (v & 1) != 0, (v & 2) != 0, threads, seed++));
        return out;
    }

    @ParameterizedTest(name = "f32 m={0} n={1} k={2} tA={3} tB={4} threads={5}")
    @MethodSource("shapes")
    void float32MatchesScalarTwin(int m, int n, int k, boolean ta, boolean tb, int threads, int seed) {
        Parallel.setThreads(threads);
        SplittableRandom rng = new SplittableRandom(seed);
        int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 5, ldc = n + 2, aOff = 7, bOff = 11, cOff = 5;
        float[] a = randomF(rng, aOff + (ta ? k : m) * lda), b = randomF(rng, bOff + (tb ? n : k) * ldb);
        float[] c = randomF(rng, cOff + m * ldc), expect = c.clone();
        float beta = seed % 3 == 0 ? 0f : seed % 3 == 1 ? 1f : 0.5f;
        Gemm.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        Gemm.gemmScalar(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, expect, cOff, ldc);
        double tol = 1e-5 * Math.sqrt(k) * 4;
        for (int i = 0; i < c.length; i++) {
            int row = (i - cOff) / ldc, col = (i - cOff) % ldc;
            boolean inside = i >= cOff && row < m && col < n;
            if (inside) assertEquals(expect[i], c[i], tol * Math.max(1, Math.abs(expect[i])), "C[" + row + "][" + col + "]");
            else assertEquals(expect[i], c[i], 0f, "element " + i + " outside C was modified");
        }
    }

    @ParameterizedTest(name = "f64 m={0} n={1} k={2} tA={3} tB={4} threads={5}")
    @MethodSource("shapes")
    void float64MatchesScalarTwin(int m, int n, int k, boolean ta, boolean tb, int threads, int seed) {
        Parallel.setThreads(threads);
        SplittableRandom rng = new SplittableRandom(seed);
        int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 3, aOff = 3, bOff = 1, cOff = 2;
        double[] a = randomD(rng, aOff + (ta ? k : m) * lda), b = randomD(rng, bOff + (tb ? n : k) * ldb);
        double[] c = randomD(rng, cOff + m * ldc), expect = c.clone();
        double beta = seed % 3 == 0 ? 0 : seed % 3 == 1 ? 1 : -2;
        Gemm.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        Gemm.gemmScalar(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, expect, cOff, ldc);
        for (int i = 0; i < c.length; i++) {
            int row = (i - cOff) / ldc, col = (i - cOff) % ldc;
            boolean inside = i >= cOff && row < m && col < n;
            if (inside) assertEquals(expect[i], c[i], 1e-12 * k * Math.max(1, Math.abs(expect[i])), "C[" + row + "][" + col + "]");
            else assertEquals(expect[i], c[i], 0.0, "element " + i + " outside C was modified");
        }
    }

    @ParameterizedTest(name = "lda={0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {512, 1024, 515})
    void leadingDimensionsOfEveryAlignmentAgreeWithTheScalarTwin(int lda) {
        // a multiple of 512 floats takes the packed-A path, others read A in place
        SplittableRandom rng = new SplittableRandom(lda);
        int m = 2 * GemmFloat.MR + 1, n = GemmFloat.NR + 3, k = 300;
        float[] a = randomF(rng, m * lda), b = randomF(rng, k * n), c = new float[m * n], expect = new float[m * n];
        double[] ad = new double[a.length], bd = new double[b.length], cd = new double[m * n], expectD = new double[m * n];
        for (int i = 0; i < a.length; i++) ad[i] = a[i];
        for (int i = 0; i < b.length; i++) bd[i] = b[i];
        Gemm.gemm(false, false, m, n, k, a, 0, lda, b, 0, n, 0f, c, 0, n);
        Gemm.gemmScalar(false, false, m, n, k, a, 0, lda, b, 0, n, 0f, expect, 0, n);
        Gemm.gemm(false, false, m, n, k, ad, 0, lda, bd, 0, n, 0.0, cd, 0, n);
        Gemm.gemmScalar(false, false, m, n, k, ad, 0, lda, bd, 0, n, 0.0, expectD, 0, n);
        for (int i = 0; i < c.length; i++) {
            assertEquals(expect[i], c[i], 1e-4, "f32 C[" + i / n + "][" + i % n + "]");
            assertEquals(expectD[i], cd[i], 1e-10, "f64 C[" + i / n + "][" + i % n + "]");
        }
    }

    @Test
    void kBlocksFollowTheRowsAndKeepABlockOfAInItsBuffer() {
        int few = GemmFloat.SPLIT_COLUMNS_ROWS, kc = GemmFloat.KC;
        assertEquals(1, GemmFloat.kBlocks(few + 1, kc));
        assertEquals(2, GemmFloat.kBlocks(few + 1, kc + 1));
        assertEquals(1, GemmFloat.kBlocks(few, GemmFloat.KC_FEW_ROWS));
        assertEquals(2, GemmFloat.kBlocks(few, GemmFloat.KC_FEW_ROWS + 1), "few rows: shorter k blocks");
        assertEquals(GemmFloat.MC, GemmFloat.rowsFor(GemmFloat.KC_FEW_ROWS));
        for (int k = 1; k <= kc; k += 29) {
            int r = GemmFloat.rowsFor(k);
            assertEquals(0, r % GemmFloat.MR, "whole panels, k=" + k);
            assertTrue((long) r * k <= GemmFloat.A_BLOCK, "A block within its buffer, k=" + k);
        }
    }

    @Test
    void twoThreadsGiveTheSameBitsAsOne() {
        // each element of C is computed by one thread in the same order either way; the first shape
        // is split over threads by rows, the second (few rows) and the third (a small A) by columns,
        // a transposed A packed whole by each thread; every transpose variant
        SplittableRandom rng = new SplittableRandom(42);
        for (int[] mnk : new int[][] {{300, 200, 600}, {GemmFloat.SPLIT_COLUMNS_ROWS - 5, 200, 600}, {256, 256, 256}})
            for (int v = 0; v < 4; v++) {
                int m = mnk[0], n = mnk[1], k = mnk[2];
                boolean ta = (v & 1) != 0, tb = (v & 2) != 0;
                int lda = ta ? m : k, ldb = tb ? k : n;
                float[] a = randomF(rng, m * k), b = randomF(rng, k * n), c1 = new float[m * n], c2 = new float[m * n];
                Parallel.setThreads(1);
                Gemm.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, 0f, c1, 0, n);
                Parallel.setThreads(2);
                Gemm.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, 0f, c2, 0, n);
                assertTrue(java.util.Arrays.equals(c1, c2),
                    "results differ between 1 and 2 threads for " + m + "×" + n + "×" + k + " tA=" + ta + " tB=" + tb);
            }
    }

    @Test
    void twoThreadsGiveTheSameBitsAsOneInFloat64() {
        // n = 256 and 100×200×600 split by columns (op(A)'s block fits in L2; a transposed A packed by both
        // threads together, one k block or two), 300×200×600 by rows; every transpose variant
        SplittableRandom rng = new SplittableRandom(7);
        for (int[] mnk : new int[][] {{256, 256, 256}, {100, 200, 600}, {300, 200, 600}}) {
            int m = mnk[0], n = mnk[1], k = mnk[2];
            double[] a = randomD(rng, m * k), b = randomD(rng, k * n);
            for (int v = 0; v < 4; v++) {
                boolean ta = (v & 1) != 0, tb = (v & 2) != 0;
                double[] c1 = new double[m * n], c2 = new double[m * n];
                Parallel.setThreads(1);
                Gemm.gemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, 0.0, c1, 0, n);
                Parallel.setThreads(2);
                Gemm.gemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, 0.0, c2, 0, n);
                assertTrue(java.util.Arrays.equals(c1, c2), "results differ between 1 and 2 threads for "
                    + m + "x" + n + "x" + k + (ta ? " A transposed" : "") + (tb ? " B transposed" : ""));
                double[] expect = new double[m * n];
                Gemm.gemmScalar(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, 0.0, expect, 0, n);
                for (int i = 0; i < expect.length; i++)
                    assertEquals(expect[i], c2[i], 1e-12 * k, "C[" + i / n + "][" + i % n + "]");
            }
        }
    }

    private static float[] randomF(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rng.nextDouble() * 2 - 1);
        return x;
    }

    private static double[] randomD(SplittableRandom rng, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rng.nextDouble() * 2 - 1;
        return x;
    }
}
