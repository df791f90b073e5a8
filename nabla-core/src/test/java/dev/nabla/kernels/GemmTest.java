package dev.nabla.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packed, register-blocked GEMM against its scalar twin (the textbook triple loop), for all four
 * transpose combinations, in float32 and float64, on every combination of m, n, k in
 * {1, 3, 17, 63, 130} plus shapes that cross the blocking sizes (MR = 6 rows, NR = two vectors,
 * MC = 96, KC = 256). Operands sit at an offset inside larger arrays with leading dimensions longer
 * than their rows, and C has padding columns that must stay untouched.
 */
class GemmTest {
    static final int[] SIZES = {1, 3, 17, 63, 130};
    static final int[][] BLOCK_CROSSING = {{97, 33, 257}, {6, 32, 256}, {7, 31, 300}, {200, 70, 520}, {12, 16, 1}, {96, 48, 64},
        // narrow C, computed through its transpose (Gemm.narrow): the MLP's logits, a tall one, float's limits (n = 16, m = 33)
        {128, 10, 256}, {1000, 8, 40}, {33, 16, 200}};

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (int m : SIZES) for (int n : SIZES) for (int k : SIZES) shapes.add(new int[] {m, n, k});
        shapes.addAll(List.of(BLOCK_CROSSING));
        for (int[] s : shapes)
            for (boolean ta : new boolean[] {false, true})
                for (boolean tb : new boolean[] {false, true})
                    c.add(Arguments.of(s[0], s[1], s[2], ta, tb));
        return c.stream();
    }

    static Stream<Arguments> betaCases() {
        List<Arguments> c = new ArrayList<>();
        for (int[] s : new int[][] {{3, 5, 7}, {17, 63, 130}, {97, 33, 257}, {130, 10, 64}})
            for (double beta : new double[] {0, 1, 0.5, -2})
                c.add(Arguments.of(s[0], s[1], s[2], beta));
        return c.stream();
    }

    /** One problem: A, B, C with offsets and padded leading dimensions, in float64 (float32 is derived). */
    record Problem(int m, int n, int k, boolean ta, boolean tb, double[] a, int aOff, int lda,
                   double[] b, int bOff, int ldb, double[] c, int cOff, int ldc) {
        static Problem random(int m, int n, int k, boolean ta, boolean tb, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
            int lda = aCols + 3, ldb = bCols + 5, ldc = n + 2;
            int aOff = 4, bOff = 2, cOff = 1;
            double[] a = fill(rng, aOff + aRows * lda + 3), b = fill(rng, bOff + bRows * ldb + 3);
            double[] c = fill(rng, cOff + m * ldc + 2);
            return new Problem(m, n, k, ta, tb, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }

        private static double[] fill(SplittableRandom rng, int len) {
            double[] v = new double[len];
            for (int i = 0; i < len; i++) v[i] = rng.nextDouble(-1, 1);
            return v;
        }

        double aAt(int i, int p) { return ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p]; }
        double bAt(int p, int j) { return tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]; }

        /** Σ_p |A_ip B_pj| + |beta C_ij|: the scale of the rounding error of entry (i, j). */
        double magnitude(int i, int j, double beta) {
            double s = Math.abs(beta * c[cOff + i * ldc + j]);
            for (int p = 0; p < k; p++) s += Math.abs(aAt(i, p) * bAt(p, j));
            return s;
        }

        boolean inside(int idx) {
            int r = idx - cOff;
            return r >= 0 && r / ldc < m && r % ldc < n;
        }
    }

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    @ParameterizedTest(name = "float64 m={0} n={1} k={2} transA={3} transB={4}")
    @MethodSource("cases")
    void float64MatchesScalarTwin(int m, int n, int k, boolean ta, boolean tb) {
        check64(Problem.random(m, n, k, ta, tb, m * 10007L + n * 101L + k), 0.0);
    }

    @ParameterizedTest(name = "float32 m={0} n={1} k={2} transA={3} transB={4}")
    @MethodSource("cases")
    void float32MatchesScalarTwin(int m, int n, int k, boolean ta, boolean tb) {
        check32(Problem.random(m, n, k, ta, tb, m * 10007L + n * 101L + k), 0.0);
    }

    @ParameterizedTest(name = "beta={3} m={0} n={1} k={2}")
    @MethodSource("betaCases")
    void betaScalesTheOldC(int m, int n, int k, double beta) {
        for (boolean ta : new boolean[] {false, true}) {
            Problem p = Problem.random(m, n, k, ta, !ta, 99);
            check64(p, beta);
            check32(p, beta);
        }
    }

    @ParameterizedTest(name = "beta=0 ignores NaN in C, m={0} n={1} k={2}")
    @MethodSource("betaCases")
    void betaZeroDoesNotReadC(int m, int n, int k, double ignored) {
        Problem p = Problem.random(m, n, k, false, false, 5);
        double[] c = p.c.clone();
        java.util.Arrays.fill(c, Double.NaN);
        Gemm.gemm(false, false, m, n, k, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, 0.0, c, p.cOff, p.ldc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                if (Double.isNaN(c[p.cOff + i * p.ldc + j])) fail("C[" + i + "][" + j + "] is NaN: the old C was read with beta = 0");
    }

    private static void check64(Problem p, double beta) {
        double[] simd = p.c.clone(), twin = p.c.clone();
        Gemm.gemm(p.ta, p.tb, p.m, p.n, p.k, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, beta, simd, p.cOff, p.ldc);
        Gemm.gemmScalar(p.ta, p.tb, p.m, p.n, p.k, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, beta, twin, p.cOff, p.ldc);
        for (int idx = 0; idx < simd.length; idx++) {
            if (!p.inside(idx)) { assertEquals(p.c[idx], simd[idx], 0.0, "C outside the m×n block changed at " + idx); continue; }
            int i = (idx - p.cOff) / p.ldc, j = (idx - p.cOff) % p.ldc;
            double tol = 2 * (p.k + 1) * 1.12e-16 * p.magnitude(i, j, beta);
            if (Math.abs(simd[idx] - twin[idx]) > tol)
                fail("C[" + i + "][" + j + "]: packed " + simd[idx] + ", twin " + twin[idx] + ", tolerance " + tol);
        }
    }

    private static void check32(Problem p, double beta) {
        float[] a = toFloat(p.a), b = toFloat(p.b), c = toFloat(p.c);
        float[] simd = c.clone(), twin = c.clone();
        Gemm.gemm(p.ta, p.tb, p.m, p.n, p.k, a, p.aOff, p.lda, b, p.bOff, p.ldb, (float) beta, simd, p.cOff, p.ldc);
        Gemm.gemmScalar(p.ta, p.tb, p.m, p.n, p.k, a, p.aOff, p.lda, b, p.bOff, p.ldb, (float) beta, twin, p.cOff, p.ldc);
        for (int idx = 0; idx < simd.length; idx++) {
            if (!p.inside(idx)) { assertEquals(c[idx], simd[idx], 0f, "C outside the m×n block changed at " + idx); continue; }
            int i = (idx - p.cOff) / p.ldc, j = (idx - p.cOff) % p.ldc;
            double tol = 2 * (p.k + 1) * 6e-8 * p.magnitude(i, j, beta) + 1e-30;
            if (Math.abs(simd[idx] - twin[idx]) > tol)
                fail("C[" + i + "][" + j + "]: packed " + simd[idx] + ", twin " + twin[idx] + ", tolerance " + tol);
        }
    }
}
