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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float64 product at its own block edges (GemmDouble's KC and rows per A block differ from
 * float's): k one short of, at and past a k block (then cut in equal blocks), row counts where the
 * row blocks are evened out (just under and over 1.5 and 2.5 times the rows per block for that k
 * block, at kc = 1024 and at kc ≤ 512), wide B with partial panels, every transpose variant, 1 and 2
 * threads, against the scalar twin; plus overwrite (beta 0) after several k blocks ignoring NaN in C.
 */
class GemmDoubleBlockingTest {
    private static final int SAVED_THREADS = Parallel.threads();

    @AfterAll
    static void restore() { Parallel.setThreads(SAVED_THREADS); }

    static List<Arguments> shapes() {
        int kc = GemmDouble.KC, mr = GemmDouble.MR, nr = GemmDouble.NR;
        int big = rows(kc - 1), small = rows(500);
        assertTrue(big < small, "a long k block has fewer rows per A block: " + big + " vs " + small);
        int[][] mnk = {
            {big + big / 2 - 1, nr + 1, kc - 1}, {big + big / 2 + 1, 2 * nr, kc}, {2 * rows(kc + 1) + rows(kc + 1) / 2 + 5, nr - 3, kc + 1},
            {small + small / 2 + 1, nr + 2, 500}, {2 * small + small / 2 - 3, 2 * nr - 1, 500},
            {mr * 3 + 2, 5 * nr + 7, 2 * kc + 13}, {2 * rows(3 * kc - 7) + 1, 3 * nr, 3 * kc - 7},
            // a transposed A block of more panels than PACK_GROUP: packed in two groups (and an edge panel)
            {(GemmDouble.PACK_GROUP + 1) * mr + 3, nr + 5, 500},
            // B's first k block above FROM_MEMORY: packing B reads ahead (its panels, not the edge's)
            {mr * 2 + 3, GemmDouble.FROM_MEMORY / 552 + 2 * nr + 5, 552},
        };
        List<Arguments> out = new ArrayList<>();
        int seed = 100;
        for (int[] s : mnk)
            for (int threads = 1; threads <= 2; threads++)
                for (int v = 0; v < 4; v++)
                    out.add(Arguments.of(s[0], s[1], s[2], (v & 1) != 0, (v & 2) != 0, threads, seed++));
        return out;
    }

    /** Rows per block of packed A in a product with inner dimension k. */
    private static int rows(int k) { return GemmDouble.rowsFor(GemmDouble.kBlock(k)); }

    @Test
    void kBlocksAreEqualAndRowsPerBlockFollowTheirLength() {
        int kc = GemmDouble.KC;
        assertEquals(kc, GemmDouble.kBlock(kc));
        assertEquals(kc / 2 + 1, GemmDouble.kBlock(kc + 1), "k just past a block: two equal halves");
        assertEquals(kc, GemmDouble.kBlock(3 * kc));
        assertEquals(7, GemmDouble.kBlock(7));
        assertEquals(GemmDouble.MC, GemmDouble.rowsFor(512));
        assertEquals(GemmDouble.MC, GemmDouble.rowsFor(1), "at most MC rows");
        for (int k = 1; k <= kc; k += 37) {
            int r = GemmDouble.rowsFor(k);
            assertEquals(0, r % GemmDouble.MR, "whole panels, k=" + k);
            assertTrue((long) r * k <= GemmDouble.A_BLOCK, "A block within A_BLOCK, k=" + k);
        }
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} tA={3} tB={4} threads={5}")
    @MethodSource("shapes")
    void matchesScalarTwinAtBlockEdges(int m, int n, int k, boolean ta, boolean tb, int threads, int seed) {
        Parallel.setThreads(threads);
        SplittableRandom rng = new SplittableRandom(seed);
        // leading dimensions: one a multiple of 256 (packed-A path), the others not
        int lda = seed % 2 == 0 ? 1024 : (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 4, aOff = 2, bOff = 5, cOff = 1;
        lda = Math.max(lda, ta ? m : k);
        double[] a = random(rng, aOff + (ta ? k : m) * lda), b = random(rng, bOff + (tb ? n : k) * ldb);
        double[] c = random(rng, cOff + m * ldc), expect = c.clone();
        double beta = seed % 3 == 0 ? 0 : seed % 3 == 1 ? 1 : 0.25;
        Gemm.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        Gemm.gemmScalar(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, expect, cOff, ldc);
        for (int i = 0; i < c.length; i++) {
            int row = (i - cOff) / ldc, col = (i - cOff) % ldc;
            boolean inside = i >= cOff && row < m && col < n;
            if (inside) assertEquals(expect[i], c[i], 1e-12 * k * Math.max(1, Math.abs(expect[i])), "C[" + row + "][" + col + "]");
            else assertEquals(expect[i], c[i], 0.0, "element " + i + " outside C was modified");
        }
    }

    /**
     * Transposed operands that end exactly where their arrays end (leading dimension = width, no
     * offset): the packing reads whole vectors past a panel's last element where it may, and must fall
     * back near the end of the array; rows a multiple of MR so that the last row block is all full panels.
     */
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("tightShapes")
    void transposedOperandsEndingAtTheirArraysEnd(int m, int n, int k) {
        SplittableRandom rng = new SplittableRandom(m + 31L * k);
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            double[] a = random(rng, k * m), b = random(rng, n * k);
            double[] c = new double[m * n], expect = new double[m * n];
            Gemm.gemm(true, true, m, n, k, a, 0, m, b, 0, k, 0.0, c, 0, n);
            Gemm.gemmScalar(true, true, m, n, k, a, 0, m, b, 0, k, 0.0, expect, 0, n);
            for (int i = 0; i < c.length; i++)
                assertEquals(expect[i], c[i], 1e-12 * k * Math.max(1, Math.abs(expect[i])), "threads=" + threads + " C[" + i / n + "][" + i % n + "]");
        }
    }

    static List<Arguments> tightShapes() {
        int kc = GemmDouble.KC, mc = GemmDouble.MC, mr = GemmDouble.MR, nr = GemmDouble.NR;
        return List.of(Arguments.of(2 * mc, 2 * nr, kc + 9), Arguments.of(mr, nr, 8), Arguments.of(4 * mr, nr + 8, 17),
            Arguments.of(mc, nr, 1));
    }

    /**
     * A transposed A read in place (a small k block, lda a multiple of 32): full panels through the
     * kernel with a k-step stride of lda, the last rows packed; with an offset, lda wider than m,
     * both B layouts, 1 and 2 threads (column split), overwrite, accumulate and scale; and the same
     * bits on 1 and 2 threads. The rule itself: packsA is false exactly there.
     */
    @Test
    void anAReadByRowsIsPackedWhenItsRowsShareCacheSetsOrItIsLargeWithALongK() {
        assertTrue(GemmDouble.packsA(false, 512, true, 100), "rows 4 KiB apart");
        assertTrue(GemmDouble.packsA(false, 256, false, 100), "rows 2 KiB apart, a large op(A)");
        assertFalse(GemmDouble.packsA(false, 256, true, 256), "rows 2 KiB apart, a small op(A)");
        assertTrue(GemmDouble.packsA(false, 320, false, 320), "a large op(A), k past 192");
        assertFalse(GemmDouble.packsA(false, 320, true, 320), "a small op(A)");
        assertFalse(GemmDouble.packsA(false, 300, false, 150), "k within 192");
    }

    /**
     * An A read by rows in place goes row panel by row panel through groups of B panels (see
     * ROWS_OUTER_B): a small op(A) (column split on two threads) and a large one with a short k (row
     * split), each with more panels than a group, the last group partial and ending in an edge panel, an
     * edge row panel, both B layouts, 1 and 2 threads, overwrite and accumulate; the same bits on 1 and
     * 2 threads.
     */
    @Test
    void anAReadByRowsInPlaceMatchesTheScalarTwinAcrossGroupsOfPanels() {
        int nr = GemmDouble.NR, mr = GemmDouble.MR;
        int[][] mnk = {{mr * 4 + 3, GemmDouble.ROWS_OUTER_B / (700 * nr) * nr + nr + 9, 700},
            {mr * 72 + 5, GemmDouble.ROWS_OUTER_B / (150 * nr) * nr + nr + 9, 150}};
        int seed = 700;
        for (int[] s : mnk) {
            int m = s[0], n = s[1], k = s[2], lda = k + 5;
            assertFalse(GemmDouble.packsA(false, lda, (long) m * k <= GemmDouble.SMALL_A, k), java.util.Arrays.toString(s));
            assertTrue(n > GemmDouble.ROWS_OUTER_B / (k * nr) * nr, "more panels than a group: " + java.util.Arrays.toString(s));
            for (boolean tb : new boolean[] {false, true})
                for (double beta : new double[] {0, 1})
                    matchesScalarTwinOnOneAndTwoThreads(false, tb, m, n, k, lda, 1, 4, beta, seed++, java.util.Arrays.toString(s));
        }
    }

    @Test
    void transposedAReadInPlaceMatchesTheScalarTwin() {
        assertFalse(GemmDouble.packsA(true, 256, true, 256));
        assertFalse(GemmDouble.packsA(true, 96, true, 40));
        assertTrue(GemmDouble.packsA(true, 248, true, 256), "lda not a multiple of 32");
        assertTrue(GemmDouble.packsA(true, 256, true, 257), "k beyond 256");
        assertTrue(GemmDouble.packsA(true, 256, false, 256), "op(A) too large for the column split");
        int[][] mnkLda = {{256, 256, 256, 256}, {100, 70, 200, 128}, {13, 40, 64, 32}, {64, 300, 129, 96}, {90, 33, 1, 96}};
        int seed = 500;
        for (int[] s : mnkLda) {
            int m = s[0], n = s[1], k = s[2], lda = s[3];
            assertFalse(GemmDouble.packsA(true, lda, (long) m * k <= GemmDouble.SMALL_A, k), java.util.Arrays.toString(s));
            for (boolean tb : new boolean[] {false, true})
                for (double beta : new double[] {0, 1, 0.5})
                    matchesScalarTwinOnOneAndTwoThreads(true, tb, m, n, k, lda, 3, 1, beta, seed++, java.util.Arrays.toString(s));
        }
    }

    /**
     * C = op(A) op(B) + beta C on 1 and on 2 threads against the scalar twin, inputs from {@code seed}
     * (ldb and ldc past the operands' widths, C at an offset): every element of C within the
     * tolerance, every element around it untouched, and the same bits on both thread counts.
     */
    private static void matchesScalarTwinOnOneAndTwoThreads(boolean ta, boolean tb, int m, int n, int k, int lda, int aOff, int bOff,
                                                            double beta, long seed, String shape) {
        SplittableRandom rng = new SplittableRandom(seed);
        int ldb = (tb ? k : n) + 2, ldc = n + 3, cOff = 2;
        double[] a = random(rng, aOff + (ta ? k : m) * lda), b = random(rng, bOff + (tb ? n : k) * ldb);
        double[] c0 = random(rng, cOff + m * ldc), expect = c0.clone();
        Gemm.gemmScalar(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, expect, cOff, ldc);
        double[][] got = new double[2][];
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            double[] c = c0.clone();
            Gemm.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            String where = shape + " tB=" + tb + " beta=" + beta + " threads=" + threads;
            for (int i = 0; i < c.length; i++) {
                int row = (i - cOff) / ldc, col = (i - cOff) % ldc;
                if (i >= cOff && row < m && col < n)
                    assertEquals(expect[i], c[i], 1e-12 * k * Math.max(1, Math.abs(expect[i])), where + " C[" + row + "][" + col + "]");
                else assertEquals(expect[i], c[i], 0.0, where + ": element " + i + " outside C was modified");
            }
            got[threads - 1] = c;
        }
        assertArrayEquals(got[0], got[1], shape + " tB=" + tb + ": 1 and 2 threads differ");
    }

    @Test
    void betaZeroOverwritesNaNAcrossSeveralKBlocksAndThreadCountsAgree() {
        int m = GemmDouble.MC * 2 + 7, n = 3 * GemmDouble.NR + 2, k = 2 * GemmDouble.KC + 3;
        SplittableRandom rng = new SplittableRandom(7);
        double[] a = random(rng, m * k), b = random(rng, k * n), expect = new double[m * n];
        Gemm.gemmScalar(false, false, m, n, k, a, 0, k, b, 0, n, 0.0, expect, 0, n);
        double[][] got = new double[2][];
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            double[] c = new double[m * n];
            java.util.Arrays.fill(c, Double.NaN);
            Gemm.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0.0, c, 0, n);
            for (int i = 0; i < c.length; i++)
                assertEquals(expect[i], c[i], 1e-12 * k * Math.max(1, Math.abs(expect[i])), "threads=" + threads + " C[" + i / n + "][" + i % n + "]");
            got[threads - 1] = c;
        }
        // every element of C is summed by one thread in the same order: the same bits either way
        assertArrayEquals(got[0], got[1], "results differ between 1 and 2 threads");
    }

    private static double[] random(SplittableRandom rng, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rng.nextDouble() * 2 - 1;
        return x;
    }
}
