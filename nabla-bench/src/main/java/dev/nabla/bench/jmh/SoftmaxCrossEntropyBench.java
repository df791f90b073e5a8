package dev.nabla.bench.jmh;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.nn.Losses;
import dev.nabla.nn.Reduction;
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

/** Softmax cross-entropy on [batch, classes] logits, forward and backward through the Tensor API. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SoftmaxCrossEntropyBench {
    @Param({"128"})
    public int batch;

    @Param({"10", "1000"})
    public int classes;

    private Tensor logits, target;

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(3);
        logits = Tensor.of(NdArray.randn(rng, DType.FLOAT32, batch, classes)).requiresGrad(true);
        float[] y = new float[batch];
        for (int i = 0; i < batch; i++) y[i] = rng.nextInt(classes);
        target = Tensor.of(NdArray.of(y, batch));
    }

    @Benchmark
    public Tensor forward() {
        try (var ignored = Tensor.noGrad()) {
            return Losses.crossEntropy(logits, target, Reduction.MEAN);
        }
    }

    @Benchmark
    public Tensor forwardBackward() {
        logits.zeroGrad();
        Losses.crossEntropy(logits, target, Reduction.MEAN).backward();
        return logits.grad();
    }
}
