package dev.nabla.bench.jmh;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Convolutions;
import dev.nabla.nn.CrossEntropyLoss;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Linear;
import dev.nabla.nn.MaxPool2d;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Convolution and pooling on the shapes of a small MNIST CNN, batch 64, float32: the first
 * convolution (1 → 16 channels, 28×28, 3×3, padding 1; no input gradient, as for a network's first
 * layer), the second (16 → 32 channels, 14×14, with the input gradient), a 2×2 max pooling of
 * [64, 16, 28, 28], each forward and backward; and one whole training step of
 * Conv(1,16)-ReLU-MaxPool-Conv(16,32)-ReLU-MaxPool-Flatten-Linear(1568,10) with softmax
 * cross-entropy and SGD. Forward only: {@code conv2Forward} (no graph recorded).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBench {
    private static final int N = 64;

    @Param({"1", "2"})
    public int threads;

    private Tensor image, hidden, pooled, labels;
    private Conv2d conv1, conv2;
    private Sequential cnn;
    private SGD sgd;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        SplittableRandom rng = new SplittableRandom(5);
        image = Tensor.of(NdArray.rand(rng, DType.FLOAT32, N, 1, 28, 28));
        hidden = Tensor.of(NdArray.randn(rng, DType.FLOAT32, N, 16, 14, 14)).requiresGrad(true);
        pooled = Tensor.of(NdArray.randn(rng, DType.FLOAT32, N, 16, 28, 28)).requiresGrad(true);
        float[] y = new float[N];
        for (int i = 0; i < N; i++) y[i] = rng.nextInt(10);
        labels = Tensor.of(NdArray.of(y, N));
        conv1 = new Conv2d(1, 16, 3, 1, 1, true, DType.FLOAT32, rng);
        conv2 = new Conv2d(16, 32, 3, 1, 1, true, DType.FLOAT32, rng);
        cnn = new Sequential(new Conv2d(1, 16, 3, 1, 1, true, DType.FLOAT32, rng), new ReLU(), new MaxPool2d(2),
            new Conv2d(16, 32, 3, 1, 1, true, DType.FLOAT32, rng), new ReLU(), new MaxPool2d(2), new Flatten(),
            new Linear(32 * 7 * 7, 10, true, DType.FLOAT32, rng));
        sgd = new SGD(cnn.parameters(), 0.01);
    }

    @Benchmark
    public Tensor conv1Step() {
        conv1.zeroGrad();
        conv1.forward(image).sum().backward();
        return conv1.weight().grad();
    }

    @Benchmark
    public Tensor conv2Step() {
        conv2.zeroGrad();
        hidden.zeroGrad();
        conv2.forward(hidden).sum().backward();
        return hidden.grad();
    }

    @Benchmark
    public Tensor conv2Forward() {
        try (var off = dev.nabla.autograd.GradMode.set(false)) {
            return conv2.forward(hidden);
        }
    }

    @Benchmark
    public Tensor poolStep() {
        pooled.zeroGrad();
        Convolutions.maxPool2d(pooled, 2).sum().backward();
        return pooled.grad();
    }

    @Benchmark
    public float cnnStep() {
        sgd.zeroGrad();
        Tensor l = loss.forward(cnn.forward(image), labels);
        l.backward();
        sgd.step();
        return (float) l.item();
    }
}
