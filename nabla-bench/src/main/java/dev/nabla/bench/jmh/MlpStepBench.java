package dev.nabla.bench.jmh;

import dev.nabla.bench.mlp.MlpData;
import dev.nabla.bench.mlp.NablaKernelsMlp;
import dev.nabla.bench.mlp.NablaMlp;
import dev.nabla.parallel.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One training step of the 784-256-256-10 MLP (forward, cross-entropy, backward, SGD) on a batch of
 * random pixels, as {@link NablaMlp} takes it, and as {@link NablaKernelsMlp} does it on the kernels. With {@code -prof gc}, gc.alloc.rate.norm is the
 * memory a steady-state step allocates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MlpStepBench {
    @Param({"128"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private NablaMlp engine;
    private NablaKernelsMlp kernels;
    private float[] x;
    private int[] y;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        engine = new NablaMlp(0.01, batch, 1);
        kernels = new NablaKernelsMlp(0.01, batch, 1);
        SplittableRandom rng = new SplittableRandom(5);
        x = new float[batch * MlpData.FEATURES];
        y = new int[batch];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
        for (int i = 0; i < batch; i++) y[i] = rng.nextInt(MlpData.CLASSES);
    }

    /** The step through the library's API (nn, autograd, SGD). */
    @Benchmark
    public float step() { return engine.step(x, y, batch); }

    /** The same step as hand-written backprop on the GEMM and fused kernels ({@link NablaKernelsMlp}). */
    @Benchmark
    public float kernelsStep() { return kernels.step(x, y, batch); }
}
