package dev.nabla.kernels;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The GEMM micro-kernels alone, on packed panels that stay in cache: the rate the blocked product
 * could reach if packing, edges, C traffic beyond the tile and threads cost nothing. This is the
 * bound that {@code GemmBench}'s GFLOP/s are compared with.
 *
 * <p>{@code l1}: one A panel (MR×kc) and one B panel (kc×NR) used over and over, all in L1.
 * {@code block}: the two inner loops of the blocked product on cached data: for each of {@link #PANELS}
 * B panels, each of {@link #A_PANELS} MR-row panels of packed A (20·MR×kc, held in L2; for float64,
 * whose k blocks are longer, the panels of one of the product's A blocks, {@code GemmDouble.rowsFor(kc)}
 * rows, used in turn: 5 distinct panels, 320 KiB, at kc = 1024), the C tiles added into a
 * (20·MR)×(PANELS·NR) array. One JMH operation is one kernel call: GFLOP/s = {@link #flopPerCall} × calls
 * per second ({@code GemmReport -bound} prints them next to the product's rates).
 *
 * <p>Lives in {@code dev.nabla.kernels} (split across nabla-core and nabla-bench on the class path)
 * so that it calls the package-private kernels directly, with no public hook in the library.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmKernelBench {
    /** B panels, and MR-row panels of A, per invocation of the block benchmarks. */
    static final int PANELS = 4, A_PANELS = 20;

    /** k steps per kernel call; 0 means the product's own KC. */
    @Param({"0"})
    public int kc;

    private int kcF, kcD, aPanelsD;
    private float[] aF, bF, cF;
    private double[] aD, bD, cD;

    @Setup
    public void setup() {
        kcF = kc > 0 ? kc : defaultKc(true);
        kcD = kc > 0 ? kc : defaultKc(false);
        aPanelsD = Math.min(A_PANELS, GemmDouble.rowsFor(kcD) / GemmDouble.MR);
        SplittableRandom rng = new SplittableRandom(1);
        aF = new float[A_PANELS * GemmFloat.MR * kcF]; bF = new float[PANELS * kcF * GemmFloat.NR];
        cF = new float[A_PANELS * GemmFloat.MR * PANELS * GemmFloat.NR];
        aD = new double[aPanelsD * GemmDouble.MR * kcD]; bD = new double[PANELS * kcD * GemmDouble.NR];
        cD = new double[A_PANELS * GemmDouble.MR * PANELS * GemmDouble.NR];
        for (int i = 0; i < aF.length; i++) aF[i] = (float) (rng.nextDouble() - 0.5) * 1e-3f;
        for (int i = 0; i < bF.length; i++) bF[i] = (float) (rng.nextDouble() - 0.5) * 1e-3f;
        for (int i = 0; i < aD.length; i++) aD[i] = (rng.nextDouble() - 0.5) * 1e-3;
        for (int i = 0; i < bD.length; i++) bD[i] = (rng.nextDouble() - 0.5) * 1e-3;
    }

    /** Kernel calls per invocation of the l1 benchmarks. */
    static final int L1_CALLS = 64;

    @Benchmark
    @OperationsPerInvocation(L1_CALLS)
    public float[] float32L1() {
        for (int t = 0; t < L1_CALLS; t++) GemmFloat.kernel(kcF, aF, 0, bF, 0, cF, 0, GemmFloat.NR, true);
        return cF;
    }

    @Benchmark
    @OperationsPerInvocation(L1_CALLS)
    public double[] float64L1() {
        for (int t = 0; t < L1_CALLS; t++) GemmDouble.kernel(kcD, aD, 0, GemmDouble.MR, bD, 0, cD, 0, GemmDouble.NR, true);
        return cD;
    }

    @Benchmark
    @OperationsPerInvocation(PANELS * A_PANELS)
    public float[] float32Block() {
        int nr = GemmFloat.NR, mr = GemmFloat.MR, ldc = PANELS * nr;
        for (int jp = 0; jp < PANELS; jp++)
            for (int ip = 0; ip < A_PANELS; ip++)
                GemmFloat.kernel(kcF, aF, ip * mr * kcF, bF, jp * kcF * nr, cF, ip * mr * ldc + jp * nr, ldc, true);
        return cF;
    }

    @Benchmark
    @OperationsPerInvocation(PANELS * A_PANELS)
    public double[] float64Block() {
        int nr = GemmDouble.NR, mr = GemmDouble.MR, ldc = PANELS * nr;
        for (int jp = 0; jp < PANELS; jp++)
            for (int ip = 0; ip < A_PANELS; ip++)
                GemmDouble.kernel(kcD, aD, ip % aPanelsD * mr * kcD, mr, bD, jp * kcD * nr, cD, ip * mr * ldc + jp * nr, ldc, true);
        return cD;
    }

    /**
     * The k steps of each kernel call in the float32 or float64 product of an m-row op(A) with k
     * columns: its longest k block (see {@code GemmFloat.kBlocks}, {@code GemmDouble.kBlock}). A call
     * over fewer k steps spreads its fixed work (zeroing the tile's registers, adding the tile into C)
     * over fewer multiply-adds, so it runs slower than one over {@code KC} steps.
     */
    public static int productKc(boolean f32, int m, int k) {
        if (!f32) return GemmDouble.kBlock(k);
        int blocks = GemmFloat.kBlocks(m, k);
        return (k + blocks - 1) / blocks;
    }

    /** The k steps per kernel call at {@code kc = 0} (the default): {@code GemmFloat.KC} or {@code GemmDouble.KC}, the longest k block of any product. */
    public static int defaultKc(boolean f32) { return f32 ? GemmFloat.KC : GemmDouble.KC; }

    /** Kernel calls in one invocation of the block benchmarks. */
    public static int blockCalls() { return PANELS * A_PANELS; }

    /** Floating-point operations of one kernel call (one JMH operation) for a benchmark name and kc. */
    public static double flopPerCall(String benchmark, int kc) {
        boolean f32 = benchmark.contains("float32");
        int k = kc > 0 ? kc : defaultKc(f32);
        return 2.0 * k * (f32 ? GemmFloat.MR * GemmFloat.NR : GemmDouble.MR * GemmDouble.NR);
    }
}
