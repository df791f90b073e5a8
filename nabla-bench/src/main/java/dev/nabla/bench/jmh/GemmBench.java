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
 * C = op(A) op(B) for square n×n matrices, float32 and float64, every transpose variant (NN, TN,
 * NT, TT: T means the operand is read transposed in place), on 1 or 2 threads. GFLOP/s =
 * 2n³ / time; {@link GemmReport} runs this and prints them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBench {
    @Param({"64", "128", "256", "512", "1024"})
    public int n;

    @Param({"NN", "TN", "NT", "TT"})
    public String trans;

    @Param({"1", "2"})
    public int threads;

    private float[] af, bf, cf;
    private double[] ad, bd, cd;
    private boolean ta, tb;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        ta = trans.charAt(0) == 'T';
        tb = trans.charAt(1) == 'T';
        SplittableRandom rng = new SplittableRandom(n);
        af = new float[n * n]; bf = new float[n * n]; cf = new float[n * n];
        ad = new double[n * n]; bd = new double[n * n]; cd = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            af[i] = (float) rng.nextDouble(); bf[i] = (float) rng.nextDouble();
            ad[i] = af[i]; bd[i] = bf[i];
        }
    }

    @Benchmark
    public float[] float32() {
        Gemm.gemm(ta, tb, n, n, n, af, 0, n, bf, 0, n, 0f, cf, 0, n);
        return cf;
    }

    @Benchmark
    public double[] float64() {
        Gemm.gemm(ta, tb, n, n, n, ad, 0, n, bd, 0, n, 0.0, cd, 0, n);
        return cd;
    }
}
