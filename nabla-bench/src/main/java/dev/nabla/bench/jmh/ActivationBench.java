package dev.nabla.bench.jmh;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
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
 * An activation's forward and backward through autograd on one hidden layer's pre-activations
 * ([128, 256] float32, standard normal): y = act(x), then y.backward(g). {@code gelu} and
 * {@code gelu_tanh} are the one-op forms ({@link Tensor#gelu}, {@link Tensor#geluTanh}, SIMD);
 * {@code gelu_composed} is the same exact GELU written as the chain of tensor operations
 * x·½·(1 + erf(x/√2)) that {@code nn.GELU} was before, for comparison; {@code relu} is the baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ActivationBench {
    @Param({"relu", "gelu", "gelu_tanh", "gelu_composed"})
    public String act;

    @Param({"1", "2"})
    public int threads;

    private Tensor x, g;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        SplittableRandom rng = new SplittableRandom(1);
        x = Tensor.of(NdArray.randn(rng, DType.FLOAT32, 128, 256)).requiresGrad(true);
        g = Tensor.of(NdArray.randn(rng, DType.FLOAT32, 128, 256));
    }

    @Benchmark
    public Tensor forwardBackward() {
        x.zeroGrad();
        Tensor y = switch (act) {
            case "relu" -> x.relu();
            case "gelu" -> x.gelu();
            case "gelu_tanh" -> x.geluTanh();
            case "gelu_composed" -> x.mul(0.5).mul(x.mul(Math.sqrt(0.5)).erf().add(1.0));
            default -> throw new IllegalArgumentException(act);
        };
        y.backward(g);
        return x.grad();
    }
}
