package dev.nabla.bench.jmh;

import dev.nabla.array.DType;
import dev.nabla.autograd.Tensor;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;
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

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One optimizer step over the parameters of the 784-256-256-10 MLP (269,322 float32 values, gradients
 * set once): plain SGD and Adam, on 1 or 2 threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class OptimizerStepBench {
    @Param({"sgd", "adam"})
    public String rule;

    @Param({"1", "2"})
    public int threads;

    private Optimizer optimizer;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        SplittableRandom rng = new SplittableRandom(3);
        int[][] shapes = {{256, 784}, {256}, {256, 256}, {256}, {10, 256}, {10}};
        List<Tensor> params = new java.util.ArrayList<>();
        for (int[] s : shapes) {
            Tensor p = Tensor.randn(rng, DType.FLOAT32, s).mul(0.01).detach().requiresGrad(true);
            p.setGrad(Tensor.randn(rng, DType.FLOAT32, s).mul(1e-6).detach());
            params.add(p);
        }
        optimizer = rule.equals("sgd") ? new SGD(params, 0.1) : new Adam(params, 1e-3);
    }

    @Benchmark
    public Optimizer step() {
        optimizer.step();
        return optimizer;
    }
}
