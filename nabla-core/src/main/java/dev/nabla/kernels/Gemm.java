package dev.nabla.kernels;

import dev.nabla.parallel.Parallel;

/**
 * General matrix multiplication on row-major arrays: {@code C = op(A) · op(B) + beta · C}, with
 * {@code op(A)} of shape m×k and {@code op(B)} of shape k×n. Not transposed, element (i, p) of A sits
 * at {@code aOff + i·lda + p}; transposed ({@code transA}), at {@code aOff + p·lda + i}: so the
 * transposed products that backward needs read their operands in place, without a copy.
 *
 * <p>Products of at least {@link #PARALLEL_MIN_FMAS} multiply-adds run on the worker pool of
 * {@link Parallel} (each thread computes its own rows or columns of C); smaller ones on the calling
 * thread, and tiny ones (under 4096 multiply-adds) by a plain loop, where packing would not pay.
 * The blocked kernels (packing, register-blocked SIMD micro-kernel) are described in
 * {@code GemmFloat} and {@code GemmDouble}. {@link #gemmScalar} is the plain triple loop that tests
 * hold all of this to. C is modified; A and B are only read, and must not overlap C.
 */
public final class Gemm {
    private Gemm() {}

    /** Products with fewer multiply-adds than this run on one thread (the hand-off costs microseconds). */
    public static final long PARALLEL_MIN_FMAS = 1L << 18;
    private static final long SMALL_FMAS = 4096;

    /**
     * Where k block kb of {@code blocks} starts when k steps are cut into blocks of equal size (within
     * one step); block kb runs to {@code blockStart(k, blocks, kb + 1)}. Both blocked products use it.
     */
    static int blockStart(int k, int blocks, int kb) { return (int) ((long) k * kb / blocks); }

    /** Most elements of C computed through its transpose ({@link #narrow}): the per-thread buffer's size. */
    static final int NARROW_MAX = 1 << 15;
    private static final ThreadLocal<float[]> NARROW_F = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<double[]> NARROW_D = ThreadLocal.withInitial(() -> new double[0]);

    /**
     * Whether C (m × n) is computed as Cᵀ = op(B)ᵀ op(A)ᵀ into a buffer and copied back transposed: when
     * C has at most half a kernel tile's columns and at least a tile's width of rows (a classifier's
     * logits, [batch, 10]). C's n columns would fill a tile of nr columns (zero-padded) for every row
     * panel; Cᵀ's n rows fill about n/MR row panels instead. MLP step's x Wᵀ, 128 × 10 × 256, float32,
     * one thread: see the bench README ("narrow products").
     */
    static boolean narrow(int m, int n, int nr) { return 2 * n <= nr && m >= nr && (long) m * n <= NARROW_MAX; }

    /** How many threads a product of m·n·k multiply-adds is split over. */
    static int threadsFor(int m, int n, int k) {
        long fmas = (long) m * n * k;
        if (fmas < PARALLEL_MIN_FMAS || Parallel.insideLoop()) return 1;
        return (int) Math.max(1, Math.min(Parallel.threads(), fmas / (PARALLEL_MIN_FMAS / 2)));
    }

    // ================================================================ float32

    /** C = op(A) · op(B) + beta · C (float32). */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        boolean blocked = k > 0 && (long) m * n * k >= SMALL_FMAS;
        if (blocked && narrow(m, n, GemmFloat.NR)) {
            // Cᵀ = op(B)ᵀ op(A)ᵀ, whose n rows fill the kernel's tiles where C's n columns would pad them
            float[] t = NARROW_F.get();
            if (t.length < m * n) NARROW_F.set(t = new float[NARROW_MAX]);
            GemmFloat.gemm(!transB, !transA, n, m, k, b, bOff, ldb, a, aOff, lda, t, 0, m, true, threadsFor(m, n, k));
            for (int i = 0; i < m; i++)
                for (int j = 0, ci = cOff + i * ldc; j < n; j++)
                    c[ci + j] = beta == 0f ? t[j * m + i] : beta == 1f ? c[ci + j] + t[j * m + i] : beta * c[ci + j] + t[j * m + i];
            return;
        }
        if (blocked && beta == 0f) {
            // the blocked kernels overwrite C in their first k block: no zeroing pass over C
            GemmFloat.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, true, threadsFor(m, n, k));
            return;
        }
        if (beta != 1f) {
            for (int i = 0; i < m; i++)
                if (beta == 0f) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                else Elementwise.unary(UnaryOp.MUL_SCALAR, beta, 0f, c, cOff + i * ldc, 1, c, cOff + i * ldc, n);
        }
        if (k == 0) return;
        if (!blocked) { gemmSmall(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc); return; }
        GemmFloat.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, false, threadsFor(m, n, k));
    }

    private static void gemmSmall(boolean transA, boolean transB, int m, int n, int k,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) {
                float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                int ci = cOff + i * ldc;
                if (transB) for (int j = 0; j < n; j++) c[ci + j] += av * b[bOff + j * ldb + p];
                else for (int j = 0; j < n; j++) c[ci + j] += av * b[bOff + p * ldb + j];
            }
    }

    /** The scalar twin: C = op(A) op(B) + beta C by the textbook triple loop, accumulating in double. */
    public static void gemmScalar(boolean transA, boolean transB, int m, int n, int k,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (double) (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p])
                        * (transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]);
                int ci = cOff + i * ldc + j;
                c[ci] = (float) (s + (beta == 0f ? 0.0 : beta * c[ci]));
            }
    }

    // ================================================================ float64

    /** C = op(A) · op(B) + beta · C (float64). */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        boolean blocked = k > 0 && (long) m * n * k >= SMALL_FMAS;
        if (blocked && narrow(m, n, GemmDouble.NR)) {
            // Cᵀ = op(B)ᵀ op(A)ᵀ, whose n rows fill the kernel's tiles where C's n columns would pad them
            double[] t = NARROW_D.get();
            if (t.length < m * n) NARROW_D.set(t = new double[NARROW_MAX]);
            GemmDouble.gemm(!transB, !transA, n, m, k, b, bOff, ldb, a, aOff, lda, t, 0, m, true, threadsFor(m, n, k));
            for (int i = 0; i < m; i++)
                for (int j = 0, ci = cOff + i * ldc; j < n; j++)
                    c[ci + j] = beta == 0.0 ? t[j * m + i] : beta == 1.0 ? c[ci + j] + t[j * m + i] : beta * c[ci + j] + t[j * m + i];
            return;
        }
        if (blocked && beta == 0.0) {
            // the blocked kernels overwrite C in their first k block: no zeroing pass over C
            GemmDouble.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, true, threadsFor(m, n, k));
            return;
        }
        if (beta != 1.0) {
            for (int i = 0; i < m; i++)
                if (beta == 0.0) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0.0);
                else Elementwise.unary(UnaryOp.MUL_SCALAR, beta, 0.0, c, cOff + i * ldc, 1, c, cOff + i * ldc, n);
        }
        if (k == 0) return;
        if (!blocked) { gemmSmall(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc); return; }
        GemmDouble.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, false, threadsFor(m, n, k));
    }

    private static void gemmSmall(boolean transA, boolean transB, int m, int n, int k,
                                  double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) {
                double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                int ci = cOff + i * ldc;
                if (transB) for (int j = 0; j < n; j++) c[ci + j] += av * b[bOff + j * ldb + p];
                else for (int j = 0; j < n; j++) c[ci + j] += av * b[bOff + p * ldb + j];
            }
    }

    public static void gemmScalar(boolean transA, boolean transB, int m, int n, int k,
                                  double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                  double beta, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p])
                        * (transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]);
                int ci = cOff + i * ldc + j;
                c[ci] = s + (beta == 0.0 ? 0.0 : beta * c[ci]);
            }
    }
}
