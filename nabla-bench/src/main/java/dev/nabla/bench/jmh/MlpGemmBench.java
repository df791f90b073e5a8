package dev.nabla.bench.jmh;

import dev.nabla.kernels.Gemm;
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
 * The float32 products of one training step of the 784-256-256-10 MLP at batch 128, each on its own,
 * as the API calls them (Linear's forward x Wᵀ reads W transposed in place; backward's ∂x = g W and
 * ∂W = gᵀ x, the last accumulating into the gradient with beta 1). GFLOP/s = 2·m·n·k / time; the
 * step's time in products is the sum over the shapes. {@code shape} names the product:
 * {@code fwd1} [128×784]·[784×256]ᵀ … {@code dw1} [256×128]ᵀ·[128×784].
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MlpGemmBench {
    /** name: transA, transB, m, n, k, beta. */
    @Param({"fwd1", "fwd2", "fwd3", "dx3", "dw3", "dx2", "dw2", "dw1"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private boolean ta, tb;
    private int m, n, k, lda, ldb;
    private float beta;
    private float[] a, b, c;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        int batch = 128, in = 784, h = 256, out = 10;
        switch (shape) {
            case "fwd1" -> set(false, true, batch, h, in, 0f);     // x Wᵀ
            case "fwd2" -> set(false, true, batch, h, h, 0f);
            case "fwd3" -> set(false, true, batch, out, h, 0f);
            case "dx3" -> set(false, false, batch, h, out, 0f);    // g W
            case "dw3" -> set(true, false, out, h, batch, 1f);     // gᵀ x, into the gradient
            case "dx2" -> set(false, false, batch, h, h, 0f);
            case "dw2" -> set(true, false, h, h, batch, 1f);
            case "dw1" -> set(true, false, h, in, batch, 1f);
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        }
        SplittableRandom rng = new SplittableRandom(7);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextDouble();
        for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextDouble();
    }

    private void set(boolean ta, boolean tb, int m, int n, int k, float beta) {
        this.ta = ta; this.tb = tb; this.m = m; this.n = n; this.k = k; this.beta = beta;
        lda = ta ? m : k;
        ldb = tb ? k : n;
    }

    @Benchmark
    public float[] product() {
        Gemm.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, beta, c, 0, n);
        return c;
    }
}
