package dev.nabla.kernels;

import dev.nabla.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The blocked float32 product behind {@link Gemm}: C += op(A) · op(B) for row-major operands.
 *
 * <p>Blocking (Goto/BLIS): op(B) is packed, for a chunk of columns and all of k, into panels
 * {@link #NR} columns wide (k-major inside a panel, so the micro-kernel reads it front to back);
 * k is cut into blocks of equal size ({@link #kBlocks}); rows of op(A) are
 * packed per block of {@link #rowsFor} rows (about {@link #A_BLOCK} elements) into panels {@link #MR} rows tall. The
 * micro-kernel keeps an MR×NR tile of C in 2·MR vector registers and performs one broadcast of A and
 * two FMAs per row and k step. With 512-bit vectors that is a 6×32 tile: 12 FMAs per 8 loads, which
 * runs at the FMA units' peak from L1. Edge tiles go through a zero-padded scratch tile.
 *
 * <p>Threads: when op(A) has few rows or is small ({@link #SPLIT_COLUMNS_ROWS}, {@link #SMALL_A}), C
 * is split into panel ranges, a few per thread: each task packs its own panels of B and computes
 * all rows with them, reading A in place or from a packed copy that each thread makes once ({@link
 * #FULL_A}). Otherwise B's panels are packed by all threads together, then C is split into row
 * ranges (or, when there are too few row panels, into panel ranges), a few per thread. Either way no
 * two threads write the same element.
 *
 * <p>Note on the code: everything the micro-kernel touches is written out inline. A vector passed to
 * a method the JIT does not inline is boxed on the heap, which costs a factor of four.
 */
final class GemmFloat {
    private GemmFloat() {}

    static final VectorSpecies<Float> FS = Elementwise.FS;
    static final int V = FS.length();
    static final int MR = 6;
    static final int NR = 2 * V;
    /**
     * Most k steps per block in a product of more than {@link #SPLIT_COLUMNS_ROWS} rows; {@link
     * #KC_FEW_ROWS} in one of fewer. Each k block costs a pass over all of C and, on several threads,
     * a hand-off. With 1024 steps a B panel is 128 KiB, read from L2, and the A blocks get fewer rows
     * ({@link #rowsFor}). Against 512 (in-process A/B, alternating, median call; TN and TT together
     * with a faster pack of a transposed A than the one before {@link #COPY_SLACK}'s): n = 1024 one
     * thread NN 10.10 → 9.55 ms, NT 10.28 → 9.59, TN 10.99 → 10.76, TT 10.99 → 10.82; two threads NN
     * 5.26 → 5.04, NT 5.27 → 5.05, TN 5.58 → 5.48, TT 5.39 → 5.26; n = 768 NN 4.30 → 4.09 (1 thread),
     * 2.11 → 2.03 (2). (512 against 256 had gained 3-6 % at n = 1024 on two threads.) The block does
     * not depend on the threads, so that a product gives the same bits on any number of them.
     */
    static final int KC = 1024;
    /**
     * Most k steps per block in a product of few rows (a layer's, on a batch): a B panel (kc × NR
     * floats, 32 KiB) stays in L1 while every row uses it. With 512, the MLP's 128 × 784 · (256 ×
     * 784)ᵀ was 2.5 % slower on one thread (256.5 → 262.8 µs: a panel of 392 k steps overflows L1).
     */
    static final int KC_FEW_ROWS = 256;
    /** Most rows in a block of packed A (at kc ≤ 256). */
    static final int MC = 20 * MR;
    /** Floats in a block of packed A (120 KiB): {@link #rowsFor} rows of a k block. */
    static final int A_BLOCK = MC * 256;

    /** Rows per block of packed A for a k block of kc steps: A_BLOCK / kc in whole panels, at most MC (60 rows at kc = 512, 30 at 1024). */
    static int rowsFor(int kc) { return Math.min(MC, Math.max(MR, A_BLOCK / kc / MR * MR)); }

    /** How many k blocks of equal size (within one step) a product of m rows cuts k into. */
    static int kBlocks(int m, int k) {
        int most = m > SPLIT_COLUMNS_ROWS ? KC : KC_FEW_ROWS;
        return (k + most - 1) / most;
    }
    /**
     * Products with at most this many rows, or with at most {@link #SMALL_A} elements of op(A), are
     * split over threads by columns (see {@link #gemm}): a row split would give each task a few row
     * panels, so that each packed panel of B would be read from L2 for every few tiles instead of once
     * for all of them.
     */
    static final int SPLIT_COLUMNS_ROWS = 2 * MC;
    /** Tasks per thread in a parallel product (see {@link Parallel#forEach}). */
    private static final int TASKS_PER_THREAD = 4;
    /** Most floats of packed B held at once (16 MiB); wider products are done in column chunks. */
    private static final int MAX_PACK = 4 << 20;

    /**
     * Lanes that {@link #packA} writes past a transposed A's k step (and past the block): it copies
     * each k step's MR elements as one whole vector of the kernel's species, unmasked. Measured
     * (in-process, median call, 1 thread): the pack of n = 1024 TN took 0.8 ns per element, against
     * 1.2 with copies masked to MR lanes of 256-bit vectors and 1.4 with 512-bit ones (the product
     * 10.55 → 9.98 ms TN, 10.38 → 9.99 TT; two threads TT 6.04 → 5.62; n = 768 TN two threads 2.63 →
     * 2.42). Copies of another species (256-bit vectors) were as fast in a process that multiplied
     * only with a transposed A, but 3 times slower (n = 256 TN, 0.21 → 0.59 ns per element) after
     * products of an untransposed A had run first: the JIT's profile of the Vector API's shared code
     * had seen the kernel's species only.
     */
    static final int COPY_SLACK = Math.max(0, V - MR);

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        /** A block of packed A, and room for the lanes that {@link #packA}'s copies write past its end. */
        final float[] packA = new float[A_BLOCK + COPY_SLACK];
        final float[] tile = new float[MR * NR];
        float[] packB = new float[0];
        /** All of op(A), packed (column split): this thread's own copy. */
        float[] fullA = new float[0];
        /** The product (a number from {@link #PRODUCTS}) whose A {@link #fullA} holds. */
        long fullAProduct = -1;
    }

    /** Numbers the column-split products, so that a thread knows whether its packed A is current. */
    private static final java.util.concurrent.atomic.AtomicLong PRODUCTS = new java.util.concurrent.atomic.AtomicLong();

    /**
     * C[m×n] = op(A)[m×k] · op(B)[k×n] (overwrite) or C += op(A) · op(B), on up to {@code threads}
     * threads. Overwriting, the first k block stores its tiles without reading C (C's old contents
     * are never read, and need not be zeroed first); k must be at least 1.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean overwrite, int threads) {
        int nPanels = (n + NR - 1) / NR, mPanels = (m + MR - 1) / MR, blocks = kBlocks(m, k);
        int chunk = (int) Math.max(1, Math.min(nPanels, MAX_PACK / ((long) k * NR)));
        Scratch own = SCRATCH.get();
        int need = (int) Math.min((long) Math.min(chunk, nPanels) * NR * k, Integer.MAX_VALUE);
        if (own.packB.length < need) own.packB = new float[need];
        float[] packB = own.packB;
        // a column split packs an A that needs packing whole, once per thread for all column chunks (see FULL_A)
        boolean packAll = packsA(transA, lda) && (long) m * k <= FULL_A;
        long product = packAll && threads > 1 ? PRODUCTS.incrementAndGet() : 0;
        for (int jc = 0; jc < nPanels; jc += chunk) {
            int np = Math.min(chunk, nPanels - jc), j0 = jc * NR;
            if (threads <= 1) {
                packB(transB, b, bOff, ldb, k, blocks, n, j0, np, 0, np, packB);
                compute(transA, m, n, k, blocks, a, aOff, lda, null, packB, j0, np, c, cOff, ldc, overwrite, 0, m, 0, np);
                continue;
            }
            if ((m <= SPLIT_COLUMNS_ROWS || (long) m * k <= SMALL_A) && np >= 2) {
                // few rows, or a small A: each task packs its own panels of B and computes every row
                // against them, in one hand-off, each packed panel reused by all the rows while it is in
                // cache; an A that must be packed is packed whole once per thread (see FULL_A)
                int tasks = Math.min(np, TASKS_PER_THREAD * threads);
                Parallel.forEach(tasks, t -> {
                    int jp0 = t * np / tasks, jp1 = (t + 1) * np / tasks;
                    packB(transB, b, bOff, ldb, k, blocks, n, j0, np, jp0, jp1, packB);
                    float[] fullA = packAll ? packAll(transA, m, k, blocks, a, aOff, lda, product) : null;
                    compute(transA, m, n, k, blocks, a, aOff, lda, fullA, packB, j0, np, c, cOff, ldc, overwrite, 0, m, jp0, jp1);
                });
                continue;
            }
            // a few tasks per thread, claimed dynamically: a descheduled thread holds up one task, not a share
            int packTasks = Math.min(np, TASKS_PER_THREAD * threads);
            Parallel.forEach(packTasks, t -> packB(transB, b, bOff, ldb, k, blocks, n, j0, np,
                t * np / packTasks, (t + 1) * np / packTasks, packB));
            if (mPanels >= 2 * threads || np < threads) {
                int tasks = Math.min(mPanels, TASKS_PER_THREAD * threads);
                Parallel.forEach(tasks, t -> {
                    int r0 = Math.min(m, t * mPanels / tasks * MR), r1 = Math.min(m, (t + 1) * mPanels / tasks * MR);
                    compute(transA, m, n, k, blocks, a, aOff, lda, null, packB, j0, np, c, cOff, ldc, overwrite, r0, r1, 0, np);
                });
            } else {
                int tasks = Math.min(np, TASKS_PER_THREAD * threads);
                Parallel.forEach(tasks, t -> compute(transA, m, n, k, blocks, a, aOff, lda, null, packB, j0, np, c, cOff, ldc, overwrite,
                    0, m, t * np / tasks, (t + 1) * np / tasks));
            }
        }
    }

    /**
     * Packs panels jp0..jp1-1 of the column chunk starting at column j0 (np panels in all) of op(B),
     * for every k: block p0 (rows p0..p0+kc) starts at p0·np·NR, its panel jp at jp·kc·NR within.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int k, int blocks, int n, int j0, int np,
                              int jp0, int jp1, float[] dst) {
        for (int kb = 0; kb < blocks; kb++) {
            int p0 = Gemm.blockStart(k, blocks, kb), kc = Gemm.blockStart(k, blocks, kb + 1) - p0;
            for (int jp = jp0; jp < jp1; jp++) {
                int j = j0 + jp * NR, cols = Math.min(NR, n - j), base = p0 * np * NR + jp * kc * NR;
                if (!transB) {
                    for (int p = 0; p < kc; p++) {
                        int s = bOff + (p0 + p) * ldb + j, d = base + p * NR;
                        if (cols == NR) {
                            FloatVector.fromArray(FS, b, s).intoArray(dst, d);
                            FloatVector.fromArray(FS, b, s + V).intoArray(dst, d + V);
                        } else {
                            for (int q = 0; q < cols; q++) dst[d + q] = b[s + q];
                            for (int q = cols; q < NR; q++) dst[d + q] = 0f;
                        }
                    }
                } else if (cols == NR && Transpose.hasTile16()) {
                    // column q of the panel is row j + q of the stored Bᵀ: transpose 16×16 tiles in registers
                    for (int h = 0; h < NR; h += 16)
                        for (int p = 0; p + 16 <= kc; p += 16)
                            Transpose.tile16(b, bOff + (j + h) * ldb + p0 + p, ldb, dst, base + p * NR + h, NR);
                    int tail = kc & ~15;
                    for (int q = 0; q < NR; q++) {
                        int s = bOff + (j + q) * ldb + p0;
                        for (int p = tail; p < kc; p++) dst[base + p * NR + q] = b[s + p];
                    }
                } else {
                    for (int q = 0; q < cols; q++) {
                        int s = bOff + (j + q) * ldb + p0;
                        for (int p = 0; p < kc; p++) dst[base + p * NR + q] = b[s + p];
                    }
                    for (int q = cols; q < NR; q++)
                        for (int p = 0; p < kc; p++) dst[base + p * NR + q] = 0f;
                }
            }
        }
    }

    /**
     * Whether the kernel reads op(A) through a packed copy: a transposed A, and one whose rows start a
     * multiple of 2 KiB apart (they fall into the same few L1 sets and evict each other).
     */
    private static boolean packsA(boolean transA, int lda) { return transA || lda % 512 == 0; }

    /**
     * Most elements of op(A) (256 KiB: n = 256 squared) for which a product of many rows is split by
     * columns too: A then stays in every core's L2. Measured on two threads (in-process A/B,
     * alternating, median call, µs): n = 256 NN 107.8 → 81.8, NT 121.6 → 95.1, TN 116.7 → 99.4, TT
     * 135.1 → 117.4; the MLP's 256 × 784 · 128 TN 134.8 → 132.5. At n = 512 it was no faster (NN
     * 689 → 709, TN 714 → 716).
     */
    static final int SMALL_A = 1 << 16;

    /**
     * Most elements of op(A) (4 MiB) that a column split packs whole, once per thread, when the kernel
     * reads A packed ({@link #packsA}); a larger one is packed block by block in every task. Against
     * that (2 threads, in-process A/B, median call, µs): 200 × 512 · 512 TN 359.6 → 300.1, 128 × 784 ·
     * 256 TN 169.1 → 146.4.
     */
    static final int FULL_A = 1 << 20;

    /**
     * All of op(A) packed into this thread's {@link Scratch#fullA}, unless it already holds this
     * product's: k block p0 (of kc steps) from p0·mPad, its row block i0 from there at i0·kc, laid
     * out as {@link #packA} lays out a block.
     */
    private static float[] packAll(boolean transA, int m, int k, int blocks, float[] a, int aOff, int lda, long product) {
        Scratch s = SCRATCH.get();
        int mPad = (m + MR - 1) / MR * MR;
        if (s.fullA.length < mPad * k + COPY_SLACK) s.fullA = new float[mPad * k + COPY_SLACK];
        if (s.fullAProduct != product) {
            for (int kb = 0; kb < blocks; kb++) {
                int p0 = Gemm.blockStart(k, blocks, kb), kc = Gemm.blockStart(k, blocks, kb + 1) - p0, rows = rowsFor(kc);
                for (int i0 = 0; i0 < m; i0 += rows)
                    packA(transA, a, aOff, lda, i0, Math.min(rows, m - i0), p0, kc, s.fullA, p0 * mPad + i0 * kc);
            }
            s.fullAProduct = product;
        }
        return s.fullA;
    }

    /** Packs rows i0..i0+mc, columns p0..p0+kc of op(A) into MR-row panels (panel, then k, then row). */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] dst, int dOff) {
        for (int ip = 0; ip * MR < mc; ip++) {
            int base = dOff + ip * MR * kc, rows = Math.min(MR, mc - ip * MR), i = i0 + ip * MR;
            if (!transA) {
                for (int r = 0; r < rows; r++) {
                    int s = aOff + (i + r) * lda + p0;
                    for (int p = 0; p < kc; p++) dst[base + p * MR + r] = a[s + p];
                }
                for (int r = rows; r < MR; r++)
                    for (int p = 0; p < kc; p++) dst[base + p * MR + r] = 0f;
            } else if (rows == MR && V >= MR) {
                // the MR elements of a k step are contiguous in a transposed A: one vector copy each
                // (see COPY_SLACK), the copies' lanes past MR overwritten by the next k steps' copies
                int p = 0;
                for (; p < kc && aOff + (p0 + p) * lda + i + V <= a.length; p++)
                    FloatVector.fromArray(FS, a, aOff + (p0 + p) * lda + i).intoArray(dst, base + p * MR);
                for (; p < kc; p++) {
                    int s = aOff + (p0 + p) * lda + i, d = base + p * MR;
                    for (int r = 0; r < MR; r++) dst[d + r] = a[s + r];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int s = aOff + (p0 + p) * lda + i, d = base + p * MR;
                    for (int r = 0; r < rows; r++) dst[d + r] = a[s + r];
                    for (int r = rows; r < MR; r++) dst[d + r] = 0f;
                }
            }
        }
    }

    /** C[r0..r1, panels jp0..jp1 of the chunk at j0] += op(A) · packed B. */
    private static void compute(boolean transA, int m, int n, int k, int blocks, float[] a, int aOff, int lda, float[] fullA,
                                float[] packB, int j0, int np, float[] c, int cOff, int ldc, boolean overwrite, int r0, int r1,
                                int jp0, int jp1) {
        Scratch s = SCRATCH.get();
        float[] packA = fullA != null ? fullA : s.packA, tile = s.tile;
        boolean packed = packsA(transA, lda), pack = packed && fullA == null;
        int mPad = (m + MR - 1) / MR * MR;
        // k blocks outside, row blocks inside: one k block of packed B is used by all the row blocks
        // of this range while it is still in cache
        for (int kb = 0; kb < blocks; kb++) {
            int p0 = Gemm.blockStart(k, blocks, kb), kc = Gemm.blockStart(k, blocks, kb + 1) - p0, rows = rowsFor(kc);
            boolean add = !overwrite || p0 > 0;
            for (int i0 = r0; i0 < r1; i0 += rows) {
                int mc = Math.min(rows, r1 - i0);
                if (pack) packA(transA, a, aOff, lda, i0, mc, p0, kc, packA, 0);
                int aBase = fullA != null ? p0 * mPad + i0 * kc : 0;
                int bBase = p0 * np * NR;
                for (int jp = jp0; jp < jp1; jp++) {
                    int j = j0 + jp * NR, nr = Math.min(NR, n - j), bIdx = bBase + jp * kc * NR;
                    for (int ip = 0; ip * MR < mc; ip++) {
                        int mr = Math.min(MR, mc - ip * MR), cIdx = cOff + (i0 + ip * MR) * ldc + j;
                        // op(A) not transposed: the kernel reads its rows in place, unpacked
                        int row = aOff + (i0 + ip * MR) * lda + p0;
                        if (mr == MR && nr == NR) {
                            if (packed) kernel(kc, packA, aBase + ip * MR * kc, packB, bIdx, c, cIdx, ldc, add);
                            else kernelRows(kc, a, row, lda, MR, packB, bIdx, c, cIdx, ldc, add);
                        } else {
                            if (packed) kernel(kc, packA, aBase + ip * MR * kc, packB, bIdx, tile, 0, NR, false);
                            else kernelRows(kc, a, row, lda, mr, packB, bIdx, tile, 0, NR, false);
                            for (int r = 0; r < mr; r++)
                                for (int q = 0; q < nr; q++)
                                    c[cIdx + r * ldc + q] = add ? c[cIdx + r * ldc + q] + tile[r * NR + q] : tile[r * NR + q];
                        }
                    }
                }
            }
        }
    }

    /** C[MR × NR] += Apanel[kc × MR]ᵀ · Bpanel[kc × NR], the tile held in twelve vector registers. */
    static void kernel(int kc, float[] pa, int aIdx, float[] pb, int bIdx, float[] c, int cIdx, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(FS), c01 = FloatVector.zero(FS);
        FloatVector c10 = FloatVector.zero(FS), c11 = FloatVector.zero(FS);
        FloatVector c20 = FloatVector.zero(FS), c21 = FloatVector.zero(FS);
        FloatVector c30 = FloatVector.zero(FS), c31 = FloatVector.zero(FS);
        FloatVector c40 = FloatVector.zero(FS), c41 = FloatVector.zero(FS);
        FloatVector c50 = FloatVector.zero(FS), c51 = FloatVector.zero(FS);
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR, ai = aIdx + p * MR;
            FloatVector b0 = FloatVector.fromArray(FS, pb, bi), b1 = FloatVector.fromArray(FS, pb, bi + V);
            FloatVector x = FloatVector.broadcast(FS, pa[ai]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(FS, pa[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(FS, pa[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(FS, pa[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(FS, pa[ai + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(FS, pa[ai + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        if (add) {
            int i = cIdx;
            FloatVector.fromArray(FS, c, i).add(c00).intoArray(c, i);
            FloatVector.fromArray(FS, c, i + V).add(c01).intoArray(c, i + V);
            i += ldc;
            FloatVector.fromArray(FS, c, i).add(c10).intoArray(c, i);
            FloatVector.fromArray(FS, c, i + V).add(c11).intoArray(c, i + V);
            i += ldc;
            FloatVector.fromArray(FS, c, i).add(c20).intoArray(c, i);
            FloatVector.fromArray(FS, c, i + V).add(c21).intoArray(c, i + V);
            i += ldc;
            FloatVector.fromArray(FS, c, i).add(c30).intoArray(c, i);
            FloatVector.fromArray(FS, c, i + V).add(c31).intoArray(c, i + V);
            i += ldc;
            FloatVector.fromArray(FS, c, i).add(c40).intoArray(c, i);
            FloatVector.fromArray(FS, c, i + V).add(c41).intoArray(c, i + V);
            i += ldc;
            FloatVector.fromArray(FS, c, i).add(c50).intoArray(c, i);
            FloatVector.fromArray(FS, c, i + V).add(c51).intoArray(c, i + V);
        } else {
            int i = cIdx;
            c00.intoArray(c, i);
            c01.intoArray(c, i + V);
            i += ldc;
            c10.intoArray(c, i);
            c11.intoArray(c, i + V);
            i += ldc;
            c20.intoArray(c, i);
            c21.intoArray(c, i + V);
            i += ldc;
            c30.intoArray(c, i);
            c31.intoArray(c, i + V);
            i += ldc;
            c40.intoArray(c, i);
            c41.intoArray(c, i + V);
            i += ldc;
            c50.intoArray(c, i);
            c51.intoArray(c, i + V);
        }
    }

    /**
     * The micro-kernel reading op(A) in place: row r of the tile is a[row + r·lda + p]. Same tile
     * and FMAs as {@link #kernel}; it saves packing A when A is not transposed. Tile rows at or past
     * {@code rows} repeat row 0 (an edge tile: the caller keeps only the valid rows).
     */
    static void kernelRows(int kc, float[] a, int row, int lda, int rows, float[] pb, int bIdx, float[] c, int cIdx, int ldc, boolean add) {
        int r0 = row, r1 = rows > 1 ? row + lda : row, r2 = rows > 2 ? row + 2 * lda : row;
        int r3 = rows > 3 ? row + 3 * lda : row, r4 = rows > 4 ? row + 4 * lda : row, r5 = rows > 5 ? row + 5 * lda : row;
        FloatVector c00 = FloatVector.zero(FS), c01 = FloatVector.zero(FS);
        FloatVector c10 = FloatVector.zero(FS), c11 = FloatVector.zero(FS);
        FloatVector c20 = FloatVector.zero(FS), c21 = FloatVector.zero(FS);
        FloatVector c30 = FloatVector.zero(FS), c31 = FloatVector.zero(FS);
        FloatVector c40 = FloatVector.zero(FS), c41 = FloatVector.zero(FS);
        FloatVector c50 = FloatVector.zero(FS), c51 = FloatVector.zero(FS);
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(FS, pb, bi), b1 = FloatVector.fromArray(FS, pb, bi + V);
            FloatVector x = FloatVector.broadcast(FS, a[r0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(FS, a[r1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(FS, a[r2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(FS, a[r3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(FS, a[r4 + p]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(FS, a[r5 + p]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        if (add) {
            int i = cIdx;
            FloatVector.fromArray(FS, c, i).add(c00).intoArray(c, i);
            FloatVector.fromArray(FS, c, i + V).add(c01).intoArray(c, i + V);
            i += ldc;
            FloatVector.fromArray(FS, c, i).add(c10).intoArray(c, i);
            FloatVector.fromArray(FS, c, i + V).add(c11).intoArray(c, i + V);
            i += ldc;
            FloatVector.fromArray(FS, c, i).add(c20).intoArray(c, i);
            FloatVector.fromArray(FS, c, i + V).add(c21).intoArray(c, i + V);
            i += ldc;
            FloatVector.fromArray(FS, c, i).add(c30).intoArray(c, i);
            FloatVector.fromArray(FS, c, i + V).add(c31).intoArray(c, i + V);
            i += ldc;
            FloatVector.fromArray(FS, c, i).add(c40).intoArray(c, i);
            FloatVector.fromArray(FS, c, i + V).add(c41).intoArray(c, i + V);
            i += ldc;
            FloatVector.fromArray(FS, c, i).add(c50).intoArray(c, i);
            FloatVector.fromArray(FS, c, i + V).add(c51).intoArray(c, i + V);
        } else {
            int i = cIdx;
            c00.intoArray(c, i);
            c01.intoArray(c, i + V);
            i += ldc;
            c10.intoArray(c, i);
            c11.intoArray(c, i + V);
            i += ldc;
            c20.intoArray(c, i);
            c21.intoArray(c, i + V);
            i += ldc;
            c30.intoArray(c, i);
            c31.intoArray(c, i + V);
            i += ldc;
            c40.intoArray(c, i);
            c41.intoArray(c, i + V);
            i += ldc;
            c50.intoArray(c, i);
            c51.intoArray(c, i + V);
        }
    }
}
