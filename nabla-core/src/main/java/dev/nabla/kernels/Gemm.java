package dev.nabla.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * General matrix multiplication on row-major arrays: {@code C = op(A) · op(B) + beta · C}, with
 * {@code op(A)} of shape m×k and {@code op(B)} of shape k×n. Not transposed, element (i, p) of A sits
 * at {@code aOff + i·lda + p}; transposed ({@code transA}), at {@code aOff + p·lda + i}: so the
 * transposed products that backward needs read their operands in place, without a copy.
 *
 * <p>Structure (Goto/BLIS): the k dimension is cut into blocks of {@link #KC}, rows of A into blocks
 * of {@link #MC}; each block of A is packed into MR-row panels and each block of B into NR-column
 * panels laid out contiguously, and a register-blocked SIMD micro-kernel computes an MR×NR tile of C
 * from one pair of panels with fused multiply-adds. Edges are handled by zero-padding the panels and
 * writing back only the valid part of the tile. {@link #gemmScalar} is the plain triple loop that
 * tests hold this to.
 */
public final class Gemm {
    private Gemm() {}

    private static final VectorSpecies<Float> FS = Elementwise.FS;
    private static final VectorSpecies<Double> DS = Elementwise.DS;
    static final int MR = 6;
    static final int KC = 256;
    static final int MC = 96;
    private static final int FNR = 2 * FS.length();
    private static final int DNR = 2 * DS.length();

    private static final ThreadLocal<float[][]> F_BUFFERS =
        ThreadLocal.withInitial(() -> new float[][] {new float[MC * KC], new float[0], new float[MR * FNR]});
    private static final ThreadLocal<double[][]> D_BUFFERS =
        ThreadLocal.withInitial(() -> new double[][] {new double[MC * KC], new double[0], new double[MR * DNR]});

    // ================================================================ float32

    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        if (beta != 1f) {
            for (int i = 0; i < m; i++)
                if (beta == 0f) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                else Elementwise.unary(UnaryOp.MUL_SCALAR, beta, 0f, c, cOff + i * ldc, 1, c, cOff + i * ldc, n);
        }
        if (k == 0) return;
        if ((long) m * n * k < 4096) { gemmSmall(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc); return; }
        float[][] buf = F_BUFFERS.get();
        float[] packA = buf[0];
        int nPanels = (n + FNR - 1) / FNR;
        if (buf[1].length < nPanels * FNR * KC) buf[1] = new float[nPanels * FNR * KC];
        float[] packB = buf[1];
        float[] tile = buf[2];
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            packB(transB, b, bOff, ldb, p0, kc, n, packB);
            for (int i0 = 0; i0 < m; i0 += MC) {
                int mc = Math.min(MC, m - i0);
                packA(transA, a, aOff, lda, i0, mc, p0, kc, packA);
                for (int jp = 0; jp < nPanels; jp++) {
                    int j0 = jp * FNR, nr = Math.min(FNR, n - j0);
                    for (int ip = 0; ip * MR < mc; ip++) {
                        int mr = Math.min(MR, mc - ip * MR);
                        int cIdx = cOff + (i0 + ip * MR) * ldc + j0;
                        if (mr == MR && nr == FNR) {
                            microKernel(kc, packA, ip * MR * kc, packB, jp * FNR * kc, c, cIdx, ldc);
                        } else {
                            java.util.Arrays.fill(tile, 0f);
                            microKernel(kc, packA, ip * MR * kc, packB, jp * FNR * kc, tile, 0, FNR);
                            for (int r = 0; r < mr; r++)
                                for (int q = 0; q < nr; q++) c[cIdx + r * ldc + q] += tile[r * FNR + q];
                        }
                    }
                }
            }
        }
    }

    /** Packs rows i0..i0+mc, columns p0..p0+kc of op(A) into MR-row panels: panel-major, then k, then row. */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] dst) {
        for (int ip = 0; ip * MR < mc; ip++) {
            int base = ip * MR * kc, rows = Math.min(MR, mc - ip * MR);
            for (int p = 0; p < kc; p++) {
                int d = base + p * MR;
                for (int r = 0; r < MR; r++) {
                    int i = i0 + ip * MR + r;
                    dst[d + r] = r < rows
                        ? (transA ? a[aOff + (p0 + p) * lda + i] : a[aOff + i * lda + p0 + p]) : 0f;
                }
            }
        }
    }

    /** Packs rows p0..p0+kc of op(B) into NR-column panels: panel-major, then k, then column. */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int n, float[] dst) {
        for (int j0 = 0, jp = 0; j0 < n; j0 += FNR, jp++) {
            int cols = Math.min(FNR, n - j0), base = jp * FNR * kc;
            for (int p = 0; p < kc; p++) {
                int d = base + p * FNR;
                if (!transB && cols == FNR) {
                    System.arraycopy(b, bOff + (p0 + p) * ldb + j0, dst, d, FNR);
                } else {
                    for (int q = 0; q < FNR; q++)
                        dst[d + q] = q < cols
                            ? (transB ? b[bOff + (j0 + q) * ldb + p0 + p] : b[bOff + (p0 + p) * ldb + j0 + q]) : 0f;
                }
            }
        }
    }

    /** C[6 × 2V] += Apanel[kc × 6]ᵀ · Bpanel[kc × 2V], twelve vector accumulators held in registers. */
    private static void microKernel(int kc, float[] pa, int aIdx, float[] pb, int bIdx, float[] c, int cIdx, int ldc) {
        int v = FS.length();
        FloatVector c00 = FloatVector.zero(FS), c01 = FloatVector.zero(FS);
        FloatVector c10 = FloatVector.zero(FS), c11 = FloatVector.zero(FS);
        FloatVector c20 = FloatVector.zero(FS), c21 = FloatVector.zero(FS);
        FloatVector c30 = FloatVector.zero(FS), c31 = FloatVector.zero(FS);
        FloatVector c40 = FloatVector.zero(FS), c41 = FloatVector.zero(FS);
        FloatVector c50 = FloatVector.zero(FS), c51 = FloatVector.zero(FS);
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * 2 * v, ai = aIdx + p * MR;
            FloatVector b0 = FloatVector.fromArray(FS, pb, bi);
            FloatVector b1 = FloatVector.fromArray(FS, pb, bi + v);
            FloatVector a0 = FloatVector.broadcast(FS, pa[ai]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(FS, pa[ai + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(FS, pa[ai + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(FS, pa[ai + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(FS, pa[ai + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(FS, pa[ai + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
        }
        addRow(c, cIdx, c00, c01, v);
        addRow(c, cIdx + ldc, c10, c11, v);
        addRow(c, cIdx + 2 * ldc, c20, c21, v);
        addRow(c, cIdx + 3 * ldc, c30, c31, v);
        addRow(c, cIdx + 4 * ldc, c40, c41, v);
        addRow(c, cIdx + 5 * ldc, c50, c51, v);
    }

    private static void addRow(float[] c, int idx, FloatVector x0, FloatVector x1, int v) {
        FloatVector.fromArray(FS, c, idx).add(x0).intoArray(c, idx);
        FloatVector.fromArray(FS, c, idx + v).add(x1).intoArray(c, idx + v);
    }

    private static void gemmSmall(boolean transA, boolean transB, int m, int n, int k,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) {
                float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                if (av == 0f) continue;
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

    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        if (beta != 1.0) {
            for (int i = 0; i < m; i++)
                if (beta == 0.0) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0.0);
                else Elementwise.unary(UnaryOp.MUL_SCALAR, beta, 0.0, c, cOff + i * ldc, 1, c, cOff + i * ldc, n);
        }
        if (k == 0) return;
        if ((long) m * n * k < 4096) { gemmSmall(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc); return; }
        double[][] buf = D_BUFFERS.get();
        double[] packA = buf[0];
        int nPanels = (n + DNR - 1) / DNR;
        if (buf[1].length < nPanels * DNR * KC) buf[1] = new double[nPanels * DNR * KC];
        double[] packB = buf[1];
        double[] tile = buf[2];
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            packB(transB, b, bOff, ldb, p0, kc, n, packB);
            for (int i0 = 0; i0 < m; i0 += MC) {
                int mc = Math.min(MC, m - i0);
                packA(transA, a, aOff, lda, i0, mc, p0, kc, packA);
                for (int jp = 0; jp < nPanels; jp++) {
                    int j0 = jp * DNR, nr = Math.min(DNR, n - j0);
                    for (int ip = 0; ip * MR < mc; ip++) {
                        int mr = Math.min(MR, mc - ip * MR);
                        int cIdx = cOff + (i0 + ip * MR) * ldc + j0;
                        if (mr == MR && nr == DNR) {
                            microKernel(kc, packA, ip * MR * kc, packB, jp * DNR * kc, c, cIdx, ldc);
                        } else {
                            java.util.Arrays.fill(tile, 0.0);
                            microKernel(kc, packA, ip * MR * kc, packB, jp * DNR * kc, tile, 0, DNR);
                            for (int r = 0; r < mr; r++)
                                for (int q = 0; q < nr; q++) c[cIdx + r * ldc + q] += tile[r * DNR + q];
                        }
                    }
                }
            }
        }
    }

    private static void packA(boolean transA, double[] a, int aOff, int lda, int i0, int mc, int p0, int kc, double[] dst) {
        for (int ip = 0; ip * MR < mc; ip++) {
            int base = ip * MR * kc, rows = Math.min(MR, mc - ip * MR);
            for (int p = 0; p < kc; p++) {
                int d = base + p * MR;
                for (int r = 0; r < MR; r++) {
                    int i = i0 + ip * MR + r;
                    dst[d + r] = r < rows
                        ? (transA ? a[aOff + (p0 + p) * lda + i] : a[aOff + i * lda + p0 + p]) : 0.0;
                }
            }
        }
    }

    private static void packB(boolean transB, double[] b, int bOff, int ldb, int p0, int kc, int n, double[] dst) {
        for (int j0 = 0, jp = 0; j0 < n; j0 += DNR, jp++) {
            int cols = Math.min(DNR, n - j0), base = jp * DNR * kc;
            for (int p = 0; p < kc; p++) {
                int d = base + p * DNR;
                if (!transB && cols == DNR) {
                    System.arraycopy(b, bOff + (p0 + p) * ldb + j0, dst, d, DNR);
                } else {
                    for (int q = 0; q < DNR; q++)
                        dst[d + q] = q < cols
                            ? (transB ? b[bOff + (j0 + q) * ldb + p0 + p] : b[bOff + (p0 + p) * ldb + j0 + q]) : 0.0;
                }
            }
        }
    }

    private static void microKernel(int kc, double[] pa, int aIdx, double[] pb, int bIdx, double[] c, int cIdx, int ldc) {
        int v = DS.length();
        DoubleVector c00 = DoubleVector.zero(DS), c01 = DoubleVector.zero(DS);
        DoubleVector c10 = DoubleVector.zero(DS), c11 = DoubleVector.zero(DS);
        DoubleVector c20 = DoubleVector.zero(DS), c21 = DoubleVector.zero(DS);
        DoubleVector c30 = DoubleVector.zero(DS), c31 = DoubleVector.zero(DS);
        DoubleVector c40 = DoubleVector.zero(DS), c41 = DoubleVector.zero(DS);
        DoubleVector c50 = DoubleVector.zero(DS), c51 = DoubleVector.zero(DS);
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * 2 * v, ai = aIdx + p * MR;
            DoubleVector b0 = DoubleVector.fromArray(DS, pb, bi);
            DoubleVector b1 = DoubleVector.fromArray(DS, pb, bi + v);
            DoubleVector a0 = DoubleVector.broadcast(DS, pa[ai]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(DS, pa[ai + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(DS, pa[ai + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(DS, pa[ai + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(DS, pa[ai + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(DS, pa[ai + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
        }
        addRow(c, cIdx, c00, c01, v);
        addRow(c, cIdx + ldc, c10, c11, v);
        addRow(c, cIdx + 2 * ldc, c20, c21, v);
        addRow(c, cIdx + 3 * ldc, c30, c31, v);
        addRow(c, cIdx + 4 * ldc, c40, c41, v);
        addRow(c, cIdx + 5 * ldc, c50, c51, v);
    }

    private static void addRow(double[] c, int idx, DoubleVector x0, DoubleVector x1, int v) {
        DoubleVector.fromArray(DS, c, idx).add(x0).intoArray(c, idx);
        DoubleVector.fromArray(DS, c, idx + v).add(x1).intoArray(c, idx + v);
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
