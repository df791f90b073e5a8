package dev.nabla.kernels;

import dev.nabla.parallel.Parallel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The blocked float64 product behind {@link Gemm}: C += op(A) · op(B) for row-major operands.
 *
 * <p>Blocking (Goto/BLIS): op(B) is packed one k block at a time (at most {@link #KC} rows, the
 * blocks of equal size; for a chunk of columns) into panels {@link #NR} columns wide (k-major inside a
 * panel, so the micro-kernel reads it front to back), and that block stays cached while every row
 * block of A uses it; rows of op(A) are packed per block of about {@link #A_BLOCK} elements
 * ({@link #rowsFor}; row blocks evened out, no thin last block) into panels
 * {@link #MR} rows tall. The micro-kernel keeps an MR×NR tile of C in 2·MR vector registers and
 * performs one broadcast of A and two FMAs per row and k step. With 512-bit vectors that is an 8×16
 * tile: 16 FMAs per 10 loads, which runs at the FMA units' peak from L1 (a 6×16 tile was 1-3 % slower
 * in cache, and 256, 512 and 1024 rows are not whole panels of six). Edge tiles go through a
 * zero-padded scratch tile. An op(A) read by rows in place (see {@link #packsA}) is gone through
 * row panel by row panel within groups of B panels instead (see {@link #ROWS_OUTER_B}).
 *
 * <p>Packing is what the product loses to its kernel (measured on a 2-core AVX-512 machine, 1
 * thread, n = 1024: skipping the pack of A, or of B, gained 3 to 8 % each). So every packing path
 * moves whole vectors: B eight rows at a time (one row at a time across all panels wrote 64 KiB-apart
 * panels, the same cache sets); a transposed B as 8×8 tiles transposed in registers (element by
 * element it wrote a cache line per element); A as 8×8 tiles transposed in registers; a transposed A
 * one k step of up to ten panels at a time, each k step's eight elements one vector copy (see {@link
 * #PACK_GROUP}; with six-row tiles, whose k steps are not whole lines, one k step across all panels
 * left lines half written in L1 sets that every panel shares, and sixteen k steps per panel at a time
 * were faster). Measured with six-row tiles (GemmReport -bound, median call
 * ÷ in-cache kernel, 1 thread, all four transpose variants, two back-to-back runs each): n = 512
 * 80-88 → 90-97 %, n = 1024 79-90 → 86-92 %. What is left (n = 1024, 1 thread) is about 3-6 % for
 * packing B and 2-5 % for packing A (the gain from skipping each), at about 1 ns per element, which
 * looks like the operands' reads from memory rather than the copying. Fusing a pack into the kernel
 * calls that first use it (reading the operand in place, storing it packed on the way) did not hide
 * that: A fused was no faster for NN and 2-3 % slower for a transposed A; B fused gained 1 % at n = 256
 * and 512 and lost 1 % at 1024. With six-row tiles and the same rows per A block at any kc, KC 256,
 * 384 or 1024 were no better than 512 and MC from 48 to 120 rows made no difference; with eight-row
 * tiles, k blocks of up to 1024 whose A blocks keep to 320 KiB (40 rows) are faster on two threads
 * (see {@link #KC}). Starting the accumulators from C, to fetch C early, was 2-3 % slower (the FMAs
 * wait for it).
 * Packing a B too large for L2 reads each step's lines one step ahead (see {@link #touch}): 1-2 %
 * at n = 512 to 1024.
 *
 * <p>Threads: when op(A)'s k block is small (at most {@link #SMALL_A} elements, 512 KiB: n = 256 squared),
 * C is split into column ranges, a few per thread: each task packs its own panels of B and computes
 * all rows with them, and each thread reads A in place (see {@link #packsA}) or packs its own copy of it (see
 * {@link #packAll}), which fits in every core's L2. There is no barrier between packing B and using
 * it, and no row panel left over for one thread. Measured with six-row tiles, 2 threads, n = 256,
 * median calls against the row split below (in-process A/B, two runs): NN and NT 83 → 88 % of twice
 * the kernel, TN and TT 83 → 84-85 %. Otherwise each k block of B is packed by all threads together,
 * then C is split into row ranges (or, when op(A) has too few rows, into panel ranges), a few per
 * thread. Either way no two threads write the same element.
 *
 * <p>Note on the code: everything the micro-kernel touches is written out inline. A vector passed to
 * a method the JIT does not inline is boxed on the heap, which costs a factor of four.
 */
final class GemmDouble {
    private GemmDouble() {}

    static final VectorSpecies<Double> DS = Elementwise.DS;
    static final int V = DS.length();
    /**
     * Rows per tile: eight with 8-lane vectors (16 accumulators of the 32 registers; 256, 512 and 1024
     * rows are whole panels, and the kernel ran 1-3 % faster than with six rows in cache), six with
     * narrower vectors, which have 16 registers. The kernels' rows 6 and 7 are dropped by the JIT then.
     */
    static final int MR = V == 8 ? 8 : 6;
    static final int NR = 2 * V;
    /**
     * Most k steps per block; a longer k is cut into blocks of equal size ({@link #kBlock}). The
     * kernel's in-cache rate is the same for kc = 256…1024 (127-129 GFLOP/s on an AVX-512 core with
     * its A panels in L2), while each k block costs a read and write of all of C and a barrier, so
     * doubles use up to 1024 (a B panel of 128 KiB, read from L2) with A blocks of fewer rows
     * ({@link #rowsFor}). Against 512 (in-process A/B, alternating, median call, n = 1024): two
     * threads NN 9.83 → 9.55 ms, TT 10.60 → 10.07, NT 10.67 → 10.25, TN 9.89 → 9.74; one thread
     * within 1 % (NN 19.12 → 19.08, TT 19.25 → 19.04); n = 768 NN 8.18 → 7.92 ms (1 thread), 4.10 →
     * 4.00 (2); n = 2048 NN (2 threads) 97.4 → 88.8 ms. Blocks of 2048 were no better than 1024.
     */
    static final int KC = 1024;
    /** Doubles in a block of packed A (320 KiB, held in L2 beside a B panel): {@link #rowsFor} rows of a k block. */
    static final int A_BLOCK = 80 * 512;
    /** Most rows in a block of packed A (10 panels, at kc ≤ 512); row blocks are evened out up to 1.5 times a block's rows. */
    static final int MC = 10 * MR;

    /** Rows per block of packed A for a k block of kc steps: A_BLOCK / kc in whole panels, at most MC (40 rows at kc = 1024). */
    static int rowsFor(int kc) { return Math.min(MC, Math.max(MR, A_BLOCK / kc / MR * MR)); }

    /** How many k blocks of equal size (within one step), at most KC steps each, a product cuts k into. */
    static int kBlocks(int k) { return (k + KC - 1) / KC; }

    /** Steps in the longest of those k blocks. */
    static int kBlock(int k) {
        int blocks = kBlocks(k);
        return (k + blocks - 1) / blocks;
    }
    /**
     * Tasks per thread in a parallel product (see {@link Parallel#forEach}). Two, not float's four: each
     * task of a row split packs its own rows of A and streams all of packed B, so smaller tasks repeat
     * that (2 threads, n = 256, the calls not slowed by other work: 80-83 % of twice the kernel with four, 83-87 % with two).
     */
    private static final int TASKS_PER_THREAD = 2;
    /** Most doubles in one packed k block of B (8 MiB, an L3's worth); wider products go in column chunks. */
    private static final int MAX_PACK = 1 << 20;

    /**
     * Most elements of op(A)'s k block (512 KiB) for which a parallel product splits C by columns: each
     * task packs its own panels of B and reads all of A, which then stays in every core's L2.
     */
    static final int SMALL_A = 1 << 16;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final double[] packA = new double[A_BLOCK + A_BLOCK / 2 + MR * KC];
        final double[] tile = new double[MR * NR];
        double[] packB = new double[0];
        /** All of op(A)'s current k block, packed (column split): this thread's own copy. */
        double[] fullA = new double[0];
        /** The k block (a number from {@link #BLOCKS}) that {@link #fullA} holds. */
        long fullABlock = -1;
    }

    /** Numbers the k blocks of column-split products, so that a thread knows whether its packed A is current. */
    private static final java.util.concurrent.atomic.AtomicLong BLOCKS = new java.util.concurrent.atomic.AtomicLong();

    /**
     * C[m×n] = op(A)[m×k] · op(B)[k×n] (overwrite) or C += op(A) · op(B), on up to {@code threads}
     * threads. Overwriting, the first k block stores its tiles without reading C (C's old contents
     * are never read, and need not be zeroed first); k must be at least 1.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean overwrite, int threads) {
        int nPanels = (n + NR - 1) / NR, mPanels = (m + MR - 1) / MR;
        int kBlocks = kBlocks(k), kcTop = kBlock(k);
        int chunk = Math.max(1, Math.min(nPanels, MAX_PACK / (kcTop * NR)));
        // op(A)'s k block fits in L2 beside B: split C by columns (see the class comment)
        boolean smallA = (long) m * kcTop <= SMALL_A;
        boolean packA = packsA(transA, lda, smallA, k);
        Scratch own = SCRATCH.get();
        int need = chunk * NR * kcTop;
        if (own.packB.length < need) own.packB = new double[need];
        double[] packB = own.packB;
        for (int jc = 0; jc < nPanels; jc += chunk) {
            int np = Math.min(chunk, nPanels - jc), j0 = jc * NR;
            // one k block of B at a time: the packed block (kc × np·NR) stays cached while every row block uses it
            for (int kb = 0; kb < kBlocks; kb++) {
                int p0 = Gemm.blockStart(k, kBlocks, kb), kc = Gemm.blockStart(k, kBlocks, kb + 1) - p0, pk = p0;
                boolean add = !overwrite || p0 > 0;
                if (threads <= 1) {
                    packB(transB, b, bOff, ldb, n, j0, pk, kc, 0, np, packB);
                    compute(packA, null, transA, m, n, a, aOff, lda, packB, j0, pk, kc, c, cOff, ldc, add, 0, m, 0, np);
                    continue;
                }
                // a few tasks per thread, claimed dynamically: a descheduled thread holds up one task, not a share
                if (smallA && np >= threads) {
                    // split by columns: op(A)'s block, when it must be packed, is packed by each thread for
                    // itself; each task packs its own panels of B into its thread's buffer and reuses each
                    // one for every row while it is in L1; there is no row panel left over for one thread
                    long block = BLOCKS.incrementAndGet();
                    int tasks = Math.min(np, TASKS_PER_THREAD * threads);
                    Parallel.forEach(tasks, t -> {
                        Scratch s = SCRATCH.get();
                        int g0 = t * np / tasks, g1 = (t + 1) * np / tasks, j = j0 + g0 * NR;
                        if (s.packB.length < (g1 - g0) * NR * kc) s.packB = new double[(g1 - g0) * NR * kc];
                        packB(transB, b, bOff, ldb, n, j, pk, kc, 0, g1 - g0, s.packB);
                        double[] fullA = packA ? packAll(transA, m, a, aOff, lda, pk, kc, s, block) : null;
                        compute(packA, fullA, transA, m, n, a, aOff, lda, s.packB, j, pk, kc, c, cOff, ldc, add, 0, m, 0, g1 - g0);
                    });
                    continue;
                }
                int packTasks = Math.min(np, TASKS_PER_THREAD * threads);
                Parallel.forEach(packTasks, t -> packB(transB, b, bOff, ldb, n, j0, pk, kc,
                    t * np / packTasks, (t + 1) * np / packTasks, packB));
                if (mPanels >= 2 * threads || np < threads) {
                    int tasks = Math.min(mPanels, TASKS_PER_THREAD * threads);
                    Parallel.forEach(tasks, t -> {
                        int r0 = Math.min(m, t * mPanels / tasks * MR), r1 = Math.min(m, (t + 1) * mPanels / tasks * MR);
                        compute(packA, null, transA, m, n, a, aOff, lda, packB, j0, pk, kc, c, cOff, ldc, add, r0, r1, 0, np);
                    });
                } else {
                    int tasks = Math.min(np, TASKS_PER_THREAD * threads);
                    Parallel.forEach(tasks, t -> compute(packA, null, transA, m, n, a, aOff, lda, packB, j0, pk, kc, c, cOff, ldc,
                        add, 0, m, t * np / tasks, (t + 1) * np / tasks));
                }
            }
        }
    }

    /**
     * Whether the kernel reads op(A) through a packed copy rather than in place.
     *
     * <p>A transposed A holds the MR values of a k step side by side, so the kernel can read them in
     * place, lda apart from one k step to the next, when op(A)'s block is small (the column split,
     * where each thread would otherwise pack all of it for itself), k is at most 256
     * steps (a packed B panel, kc·NR doubles, then fits in L1) and lda is a multiple of 32 doubles:
     * the k steps' lines then fall in at most 16 of L1's 64 sets and leave the rest of the B panel in
     * place. Measured (in-process, old and new builds alternating, median call, µs, 1 / 2 threads):
     * n = 256 TN 310 → 290 / 161 → 154, TT 300 → 298 / 165 → 154; n = 128 TN 39.0 → 37.2 / 21.3 → 19.2;
     * n = 192 TT 129 → 123 / 71 → 65; n = 224 TN 200 → 198 / 122 → 114. Where the stride spreads over
     * every set (lda 200 or 248) it was 5-10 % slower than packing, and with k = 512 (B panel from
     * L2) or a large op(A) (n = 1024: 20 %) slower too; those pack.
     *
     * <p>An A (not transposed) whose rows start a multiple of 4 KiB apart puts all rows of a tile in the same L1 sets, where
     * they evict each other; at 2 KiB apart, every other row shares sets, which costs less than packing
     * when op(A)'s block is small (measured with six-row tiles, 1 thread: n = 256 read in place 92 % of
     * the kernel, packed 89 %; n = 768 and 256×256×512 packed 88-89 %, in place 83-85 %; with eight-row
     * tiles n = 256 at 2 threads: in place 85 %, packed 81 %). A larger op(A) (rows split among threads)
     * with k past 192 steps, where a B panel and eight rows of A no longer fit L1 side by side, is packed
     * whatever its lda (eight-row tiles, in-process A/B, alternating, median call, in place → packed, two
     * runs each): n = 320 NN 1 thread 596 → 584 and 648 → 632 µs, 2 threads 305 → 299 and 369 → 338;
     * 128 × 784 · (784 × 784) NT 1 thread 1687 → 1642 and 1705 → 1675 µs, 2 threads 952 → 877; n = 384
     * NT 1 thread 1085 → 1076, 2 threads 629 → 580. A small op(A) (n = 256 on one thread) gained
     * nothing from packing (306 → 308 and 309 → 312 µs), and where each thread would pack all of it
     * (the column split, n = 200 on two threads) it lost 6 %.
     */
    static boolean packsA(boolean transA, int lda, boolean smallA, int k) {
        if (transA) return !(smallA && k <= 256 && lda % 32 == 0);
        return lda % 512 == 0 || !smallA && (lda % 256 == 0 || k > 192);
    }

    /**
     * All rows of op(A), columns p0..p0+kc, packed into this thread's whole-A buffer (panel ip at
     * ip·MR·kc): packed by the thread's first task of the k block (numbered {@code block}), reused by the
     * thread's later tasks. Each thread packs its own copy rather than sharing one packed by all threads:
     * lines one core writes and another then reads must travel between the cores, and on this
     * project's 2-vCPU machine some runs (a fresh JVM's, for its whole life) paid for that: with one
     * shared copy, 2 threads, n = 256 TT, about one JVM in five (and two JMH forks in three) ran at
     * 215-250 µs a call rather than 160, with the pack of A four times slower; with a copy per thread,
     * one run in 26 was slower (199 µs), at about 2 µs more a call in the others. In JMH the TT row
     * then read 84 % of the kernel in one run and 74 % in another (forks at 177 and 198 µs): a milder
     * slow state remains.
     */
    private static double[] packAll(boolean transA, int m, double[] a, int aOff, int lda, int p0, int kc, Scratch s, long block) {
        int size = (m + MR - 1) / MR * MR * kc;
        if (s.fullA.length < size) s.fullA = new double[size];
        if (s.fullABlock != block) {
            for (int i0 = 0, mc = rowsFor(kc); i0 < m; i0 += mc) packA(transA, a, aOff, lda, i0, Math.min(mc, m - i0), p0, kc, s.fullA, i0 * kc);
            s.fullABlock = block;
        }
        return s.fullA;
    }

    /**
     * Packs rows p0..p0+kc of panels jp0..jp1-1 of the column chunk starting at column j0 of op(B):
     * panel jp at jp·kc·NR, k-major inside (NR values per k step), columns past n zero.
     */
    private static void packB(boolean transB, double[] b, int bOff, int ldb, int n, int j0, int p0, int kc,
                              int jp0, int jp1, double[] dst) {
        if (!transB) {
            // full panels eight rows of B at a time: a few read streams (prefetched), and a few write streams
            // (one panel each); all rows at once would write every panel in turn, 64 KiB apart: the same cache sets
            int full = Math.min(jp1, jp0 + Math.max(0, (n - j0 - jp0 * NR) / NR));
            // a k block of B larger than L2 comes from memory: each step first reads one element of every
            // line of the next step's eight rows (see touch)
            boolean ahead = (long) kc * n > FROM_MEMORY;
            double sink = 0;
            for (int q0 = 0; q0 < kc; q0 += 8) {
                int q1 = Math.min(kc, q0 + 8);
                if (ahead && q1 < kc) sink += touch(b, bOff + (p0 + q1) * ldb + j0 + jp0 * NR, ldb, Math.min(8, kc - q1), (full - jp0) * NR);
                for (int jp = jp0; jp < full; jp++)
                    for (int p = q0; p < q1; p++) {
                        int s = bOff + (p0 + p) * ldb + j0 + jp * NR, d = jp * kc * NR + p * NR;
                        DoubleVector.fromArray(DS, b, s).intoArray(dst, d);
                        DoubleVector.fromArray(DS, b, s + V).intoArray(dst, d + V);
                    }
            }
            if (sink == SINK_NEVER) sinkHole = sink; // uses the touched values, so the loads stay
            jp0 = full;
        }
        for (int jp = jp0; jp < jp1; jp++) {
            int j = j0 + jp * NR, cols = Math.min(NR, n - j), base = jp * kc * NR;
            if (!transB) {
                for (int p = 0; p < kc; p++) {
                    int s = bOff + (p0 + p) * ldb + j, d = base + p * NR;
                    for (int q = 0; q < cols; q++) dst[d + q] = b[s + q];
                    for (int q = cols; q < NR; q++) dst[d + q] = 0.0;
                }
            } else if (cols == NR && Transpose.hasTile8()) {
                // column q of the panel is row j + q of the stored Bᵀ: 8×8 tiles transposed in registers
                for (int h = 0; h < NR; h += 8)
                    for (int p = 0; p + 8 <= kc; p += 8)
                        Transpose.tile8(b, bOff + (j + h) * ldb + p0 + p, ldb, dst, base + p * NR + h, NR);
                for (int q = 0; q < NR; q++) {
                    int s = bOff + (j + q) * ldb + p0;
                    for (int p = kc & ~7; p < kc; p++) dst[base + p * NR + q] = b[s + p];
                }
            } else {
                for (int q = 0; q < cols; q++) {
                    int s = bOff + (j + q) * ldb + p0;
                    for (int p = 0; p < kc; p++) dst[base + p * NR + q] = b[s + p];
                }
                for (int q = cols; q < NR; q++)
                    for (int p = 0; p < kc; p++) dst[base + p * NR + q] = 0.0;
            }
        }
    }

    /** Packs rows i0..i0+mc, columns p0..p0+kc of op(A) into MR-row panels (panel, then k, then row) from dst[dOff]. */
    private static void packA(boolean transA, double[] a, int aOff, int lda, int i0, int mc, int p0, int kc, double[] dst, int dOff) {
        int full = MR == 8 && Transpose.hasTile8() ? mc / MR : 0;
        if (transA && full > 0) {
            // the MR elements of a k step are contiguous in a transposed A: one vector copy per panel and
            // k step, one k step of up to PACK_GROUP panels at a time (see PACK_GROUP)
            int groups = (full + PACK_GROUP - 1) / PACK_GROUP;
            for (int g = 0; g < groups; g++) {
                int g0 = g * full / groups, g1 = (g + 1) * full / groups;
                for (int p = 0; p < kc; p++) {
                    int s = aOff + (p0 + p) * lda + i0, d = dOff + p * MR;
                    for (int ip = g0; ip < g1; ip++)
                        DoubleVector.fromArray(DS, a, s + ip * MR).intoArray(dst, d + ip * MR * kc);
                }
            }
        } else if (!transA && full > 0) {
            // eight rows × eight k steps at a time, transposed in registers
            for (int ip = 0; ip < full; ip++) {
                int s = aOff + (i0 + ip * MR) * lda + p0, base = dOff + ip * MR * kc;
                for (int p = 0; p + 8 <= kc; p += 8)
                    Transpose.tile8(a, s + p, lda, dst, base + p * MR, MR);
                for (int p = kc & ~7; p < kc; p++)
                    for (int r = 0; r < MR; r++) dst[base + p * MR + r] = a[s + r * lda + p];
            }
        } else {
            full = 0;
        }
        packAPanels(transA, a, aOff, lda, i0 + full * MR, mc - full * MR, p0, kc, dst, dOff + full * MR * kc);
    }

    /**
     * Most panels of a transposed A that {@link #packA} fills one k step at a time. The panels are MR·kc
     * doubles apart, for kc a multiple of 64 a multiple of 4 KiB: their k steps share L1 sets, so more panels than
     * L1's twelve ways evict lines that the next k step's stores would complete; a block of more panels
     * goes in groups of at most this many. Measured on a 2-core AVX-512 machine (ns per element packed,
     * source in cache / source read from memory), against sixteen k steps of one panel at a time: 80
     * rows, kc = 512: 0.32 → 0.20 / 0.50 → 0.31-0.38; 40 rows, kc = 1024: 0.34 → 0.21 / 0.86 → 0.56;
     * 120 rows, kc = 512 (two groups): 0.24 → 0.18 / 0.50 → 0.44 (one group of 15 panels: 0.55 / 0.55).
     * The whole product (in-process A/B, alternating, median call, 1 thread): n = 512 TN 2.445 → 2.405
     * ms, TT 2.481 → 2.447; n = 1024 TN 19.79 → 19.54, TT 20.09 → 19.76; n = 768 TN 8.16 → 7.99;
     * 2 threads n = 1024 TT 9.99 → 9.78, TN 11.01 → 10.83.
     */
    static final int PACK_GROUP = 10;

    /**
     * Most doubles of packed B (512 KiB, half an L2) that {@link #compute} goes through row panel by row
     * panel when op(A) is read by rows in place: each tile's eight rows of A then stay in L1 while the
     * group's B panels come from L2 one after the other, rather than each B panel staying in L1 while
     * eight rows of A come from L2 for every tile (eight lines of different rows in use at a time,
     * which the hardware fetches less well than the one line of a packed panel). Measured on a 2-core
     * AVX-512 machine: the kernels alone, B 512 KiB and A 176 KiB in L2, kc = 256, 1 thread: reading
     * rows in place 108-111 GFLOP/s panel by panel, 112-115 row panel by row panel (a packed A: 116-120
     * either way). The product (in-process A/B, alternating, median call, 1 thread): n = 256 NN 313.9 →
     * 305.9 µs, NT 322.3 → 310.6; 1024 × 1024 × 128 (B 1 MiB, two groups) NN 2648 → 2493; 256 × 1024 ×
     * 256 (four groups) 1283 → 1258; n = 128 NN 40.1 → 39.0; 2 threads, n = 256 NT 157.5 → 154.9 µs.
     * One group over all of a B of 1 or 2 MiB was 3-7 % slower than panel by panel; against groups of
     * 512 KiB, groups of 256 KiB were within 1 % either way (n = 256 NT, 1024 × 1024 × 128 NN) and of
     * 768 KiB the same or 4 % slower. The float product gained nothing from the same order (its tiles
     * have six rows, and a row's line holds sixteen k steps).
     */
    static final int ROWS_OUTER_B = 1 << 16;

    /** Doubles in a k block of B (1 MiB, one core's L2) beyond which packing it reads ahead. */
    static final int FROM_MEMORY = 1 << 17;
    private static final double SINK_NEVER = -0x1.23456789abcdp-1000;
    /** Written only if the touched values sum to SINK_NEVER, and never read: it keeps the JIT from dropping the loads. */
    @SuppressWarnings("unused")
    private static double sinkHole;

    /**
     * Reads one element of every cache line of rows [0, rows) × [0, cols) from s (rows ld apart), two
     * independent sums: the lines the next packing step copies are on their way while this step copies.
     * Java has no prefetch instruction; these are loads whose sum is compared, never stored. Measured
     * on a 2-core AVX-512 machine (one thread, B's 512 × 1024 block from memory, 16 matrices in turn):
     * packing B 0.57-0.62 ns per element without, 0.33-0.36 with (a plain copy: 0.31); the whole product
     * (in-process A/B, median call) n = 1024 NN 18.89 → 18.67 ms on one thread, 9.99 → 9.93 and
     * 10.57 → 10.42 on two, TN 10.24 → 10.16; n = 768 NN 8.52 → 8.39 ms (1 thread), 4.31 → 4.24 (2);
     * n = 512 NN 2.41 → 2.36 ms. With B in L2 (n = 256) it was 1 % slower, hence {@link #FROM_MEMORY}.
     * The same for a transposed A (0.79 → 0.69 ns per element) made no difference to the product.
     */
    private static double touch(double[] x, int s, int ld, int rows, int cols) {
        double t0 = 0, t1 = 0;
        int r = 0;
        for (; r + 1 < rows; r += 2)
            for (int q = 0; q < cols; q += 8) { t0 += x[s + r * ld + q]; t1 += x[s + (r + 1) * ld + q]; }
        for (; r < rows; r++)
            for (int q = 0; q < cols; q += 8) t0 += x[s + r * ld + q];
        return t0 + t1;
    }

    /** {@link #packA} element by element, from dst[dOff]: the edges, and narrow vectors. */
    private static void packAPanels(boolean transA, double[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                                    double[] dst, int dOff) {
        for (int ip = 0; ip * MR < mc; ip++) {
            int base = dOff + ip * MR * kc, rows = Math.min(MR, mc - ip * MR), i = i0 + ip * MR;
            if (!transA && rows == MR && MR == 6) {
                // (narrow vectors) the six rows read side by side, the panel written front to back
                int s0 = aOff + i * lda + p0, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda, s4 = s3 + lda, s5 = s4 + lda;
                for (int p = 0, d = base; p < kc; p++, d += MR) {
                    dst[d] = a[s0 + p]; dst[d + 1] = a[s1 + p]; dst[d + 2] = a[s2 + p];
                    dst[d + 3] = a[s3 + p]; dst[d + 4] = a[s4 + p]; dst[d + 5] = a[s5 + p];
                }
            } else if (!transA) {
                for (int r = 0; r < rows; r++) {
                    int s = aOff + (i + r) * lda + p0;
                    for (int p = 0; p < kc; p++) dst[base + p * MR + r] = a[s + p];
                }
                for (int r = rows; r < MR; r++)
                    for (int p = 0; p < kc; p++) dst[base + p * MR + r] = 0.0;
            } else {
                for (int p = 0; p < kc; p++) {
                    int s = aOff + (p0 + p) * lda + i, d = base + p * MR;
                    for (int r = 0; r < rows; r++) dst[d + r] = a[s + r];
                    for (int r = rows; r < MR; r++) dst[d + r] = 0.0;
                }
            }
        }
    }

    /**
     * C[r0..r1, panels jp0..jp1 of the chunk at j0] (+)= op(A)[rows, p0..p0+kc] · packed B block:
     * added when {@code add}, else stored over C.
     */
    private static void compute(boolean pack, double[] fullA, boolean transA, int m, int n, double[] a, int aOff, int lda,
                                double[] packB, int j0, int p0, int kc, double[] c, int cOff, int ldc, boolean add,
                                int r0, int r1, int jp0, int jp1) {
        Scratch s = SCRATCH.get();
        double[] packA = fullA != null ? fullA : s.packA, tile = s.tile;
        // row blocks of equal size, about rowsFor(kc) rows (at most 1.5 times that): no thin last block that would
        // stream every panel of B for a few rows
        int rows = rowsFor(kc), blocks = Math.max(1, (r1 - r0 + rows / 2) / rows);
        int step = ((r1 - r0 + blocks - 1) / blocks + MR - 1) / MR * MR;
        for (int i0 = r0; i0 < r1; i0 += step) {
            int mc = Math.min(step, r1 - i0);
            // panels of packed A for this block: packed now, or at their place in the whole of a packed A
            int aBase = fullA != null ? i0 * kc : 0;
            if (pack && fullA == null) packA(transA, a, aOff, lda, i0, mc, p0, kc, packA, 0);
            // the tiles panel by panel (each B panel kept in L1 while the block's rows of A stream from L2), or,
            // for A read by rows in place, row panel by row panel within groups of panels (see ROWS_OUTER_B)
            boolean rowsOuter = !pack && !transA;
            int rowPanels = (mc + MR - 1) / MR, group = rowsOuter ? Math.max(1, ROWS_OUTER_B / (kc * NR)) : jp1 - jp0;
            for (int g0 = jp0; g0 < jp1; g0 += group) {
                int panels = Math.min(group, jp1 - g0);
                for (int t = 0; t < panels * rowPanels; t++) {
                    int jp = g0 + (rowsOuter ? t % panels : t / rowPanels), ip = rowsOuter ? t / panels : t % rowPanels;
                    int j = j0 + jp * NR, nr = Math.min(NR, n - j), bIdx = jp * kc * NR;
                    int mr = Math.min(MR, mc - ip * MR), cIdx = cOff + (i0 + ip * MR) * ldc + j;
                    // op(A) read in place, unpacked: its rows (A not transposed), or its k steps (transposed)
                    int row = aOff + (i0 + ip * MR) * lda + p0, col = aOff + p0 * lda + i0 + ip * MR;
                    if (mr == MR && nr == NR) {
                        if (pack) kernel(kc, packA, aBase + ip * MR * kc, MR, packB, bIdx, c, cIdx, ldc, add);
                        else if (transA) kernel(kc, a, col, lda, packB, bIdx, c, cIdx, ldc, add);
                        else kernelRows(kc, a, row, lda, MR, packB, bIdx, c, cIdx, ldc, add);
                    } else {
                        if (pack) kernel(kc, packA, aBase + ip * MR * kc, MR, packB, bIdx, tile, 0, NR, false);
                        else if (transA && mr == MR) kernel(kc, a, col, lda, packB, bIdx, tile, 0, NR, false);
                        else if (transA) {
                            // the last rows of a transposed A read in place: this panel packed (zero-padded)
                            packAPanels(true, a, aOff, lda, i0 + ip * MR, mr, p0, kc, packA, 0);
                            kernel(kc, packA, 0, MR, packB, bIdx, tile, 0, NR, false);
                        }
                        else kernelRows(kc, a, row, lda, mr, packB, bIdx, tile, 0, NR, false);
                        for (int r = 0; r < mr; r++)
                            for (int q = 0; q < nr; q++)
                                c[cIdx + r * ldc + q] = add ? c[cIdx + r * ldc + q] + tile[r * NR + q] : tile[r * NR + q];
                    }
                }
            }
        }
    }

    /**
     * C[MR × NR] += Apanel[kc × MR]ᵀ · Bpanel[kc × NR], the tile held in 2·MR vector registers. The MR
     * values of A for k step p start at pa[aIdx + p·aStep]: aStep is MR for a packed panel, lda for a
     * transposed A read in place (see {@link #packsA}).
     */
    static void kernel(int kc, double[] pa, int aIdx, int aStep, double[] pb, int bIdx, double[] c, int cIdx, int ldc, boolean add) {
        DoubleVector c00 = DoubleVector.zero(DS), c01 = DoubleVector.zero(DS);
        DoubleVector c10 = DoubleVector.zero(DS), c11 = DoubleVector.zero(DS);
        DoubleVector c20 = DoubleVector.zero(DS), c21 = DoubleVector.zero(DS);
        DoubleVector c30 = DoubleVector.zero(DS), c31 = DoubleVector.zero(DS);
        DoubleVector c40 = DoubleVector.zero(DS), c41 = DoubleVector.zero(DS);
        DoubleVector c50 = DoubleVector.zero(DS), c51 = DoubleVector.zero(DS);
        DoubleVector c60 = DoubleVector.zero(DS), c61 = DoubleVector.zero(DS);
        DoubleVector c70 = DoubleVector.zero(DS), c71 = DoubleVector.zero(DS);
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR, ai = aIdx + p * aStep;
            DoubleVector b0 = DoubleVector.fromArray(DS, pb, bi), b1 = DoubleVector.fromArray(DS, pb, bi + V);
            DoubleVector x = DoubleVector.broadcast(DS, pa[ai]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(DS, pa[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(DS, pa[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(DS, pa[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(DS, pa[ai + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(DS, pa[ai + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            if (MR == 8) {
                x = DoubleVector.broadcast(DS, pa[ai + 6]);
                c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
                x = DoubleVector.broadcast(DS, pa[ai + 7]);
                c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
            }
        }
        if (add) {
            int i = cIdx;
            DoubleVector.fromArray(DS, c, i).add(c00).intoArray(c, i);
            DoubleVector.fromArray(DS, c, i + V).add(c01).intoArray(c, i + V);
            i += ldc;
            DoubleVector.fromArray(DS, c, i).add(c10).intoArray(c, i);
            DoubleVector.fromArray(DS, c, i + V).add(c11).intoArray(c, i + V);
            i += ldc;
            DoubleVector.fromArray(DS, c, i).add(c20).intoArray(c, i);
            DoubleVector.fromArray(DS, c, i + V).add(c21).intoArray(c, i + V);
            i += ldc;
            DoubleVector.fromArray(DS, c, i).add(c30).intoArray(c, i);
            DoubleVector.fromArray(DS, c, i + V).add(c31).intoArray(c, i + V);
            i += ldc;
            DoubleVector.fromArray(DS, c, i).add(c40).intoArray(c, i);
            DoubleVector.fromArray(DS, c, i + V).add(c41).intoArray(c, i + V);
            i += ldc;
            DoubleVector.fromArray(DS, c, i).add(c50).intoArray(c, i);
            DoubleVector.fromArray(DS, c, i + V).add(c51).intoArray(c, i + V);
            if (MR == 8) {
                i += ldc;
                DoubleVector.fromArray(DS, c, i).add(c60).intoArray(c, i);
                DoubleVector.fromArray(DS, c, i + V).add(c61).intoArray(c, i + V);
                i += ldc;
                DoubleVector.fromArray(DS, c, i).add(c70).intoArray(c, i);
                DoubleVector.fromArray(DS, c, i + V).add(c71).intoArray(c, i + V);
            }
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
            if (MR == 8) {
                i += ldc;
                c60.intoArray(c, i);
                c61.intoArray(c, i + V);
                i += ldc;
                c70.intoArray(c, i);
                c71.intoArray(c, i + V);
            }
        }
    }

    /**
     * The micro-kernel reading op(A) in place: row r of the tile is a[row + r·lda + p]. Same tile
     * and FMAs as {@link #kernel}; it saves packing A when A is not transposed. Tile rows at or past
     * {@code rows} repeat row 0 (an edge tile: the caller keeps only the valid rows).
     */
    static void kernelRows(int kc, double[] a, int row, int lda, int rows, double[] pb, int bIdx, double[] c, int cIdx, int ldc, boolean add) {
        int r0 = row, r1 = rows > 1 ? row + lda : row, r2 = rows > 2 ? row + 2 * lda : row;
        int r3 = rows > 3 ? row + 3 * lda : row, r4 = rows > 4 ? row + 4 * lda : row, r5 = rows > 5 ? row + 5 * lda : row;
        int r6 = rows > 6 ? row + 6 * lda : row, r7 = rows > 7 ? row + 7 * lda : row;
        DoubleVector c00 = DoubleVector.zero(DS), c01 = DoubleVector.zero(DS);
        DoubleVector c10 = DoubleVector.zero(DS), c11 = DoubleVector.zero(DS);
        DoubleVector c20 = DoubleVector.zero(DS), c21 = DoubleVector.zero(DS);
        DoubleVector c30 = DoubleVector.zero(DS), c31 = DoubleVector.zero(DS);
        DoubleVector c40 = DoubleVector.zero(DS), c41 = DoubleVector.zero(DS);
        DoubleVector c50 = DoubleVector.zero(DS), c51 = DoubleVector.zero(DS);
        DoubleVector c60 = DoubleVector.zero(DS), c61 = DoubleVector.zero(DS);
        DoubleVector c70 = DoubleVector.zero(DS), c71 = DoubleVector.zero(DS);
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            DoubleVector b0 = DoubleVector.fromArray(DS, pb, bi), b1 = DoubleVector.fromArray(DS, pb, bi + V);
            DoubleVector x = DoubleVector.broadcast(DS, a[r0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(DS, a[r1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(DS, a[r2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(DS, a[r3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(DS, a[r4 + p]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(DS, a[r5 + p]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            if (MR == 8) {
                x = DoubleVector.broadcast(DS, a[r6 + p]);
                c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
                x = DoubleVector.broadcast(DS, a[r7 + p]);
                c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
            }
        }
        if (add) {
            int i = cIdx;
            DoubleVector.fromArray(DS, c, i).add(c00).intoArray(c, i);
            DoubleVector.fromArray(DS, c, i + V).add(c01).intoArray(c, i + V);
            i += ldc;
            DoubleVector.fromArray(DS, c, i).add(c10).intoArray(c, i);
            DoubleVector.fromArray(DS, c, i + V).add(c11).intoArray(c, i + V);
            i += ldc;
            DoubleVector.fromArray(DS, c, i).add(c20).intoArray(c, i);
            DoubleVector.fromArray(DS, c, i + V).add(c21).intoArray(c, i + V);
            i += ldc;
            DoubleVector.fromArray(DS, c, i).add(c30).intoArray(c, i);
            DoubleVector.fromArray(DS, c, i + V).add(c31).intoArray(c, i + V);
            i += ldc;
            DoubleVector.fromArray(DS, c, i).add(c40).intoArray(c, i);
            DoubleVector.fromArray(DS, c, i + V).add(c41).intoArray(c, i + V);
            i += ldc;
            DoubleVector.fromArray(DS, c, i).add(c50).intoArray(c, i);
            DoubleVector.fromArray(DS, c, i + V).add(c51).intoArray(c, i + V);
            if (MR == 8) {
                i += ldc;
                DoubleVector.fromArray(DS, c, i).add(c60).intoArray(c, i);
                DoubleVector.fromArray(DS, c, i + V).add(c61).intoArray(c, i + V);
                i += ldc;
                DoubleVector.fromArray(DS, c, i).add(c70).intoArray(c, i);
                DoubleVector.fromArray(DS, c, i + V).add(c71).intoArray(c, i + V);
            }
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
            if (MR == 8) {
                i += ldc;
                c60.intoArray(c, i);
                c61.intoArray(c, i + V);
                i += ldc;
                c70.intoArray(c, i);
                c71.intoArray(c, i + V);
            }
        }
    }
}
