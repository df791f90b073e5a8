package dev.nabla.bench.jmh;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.kernels.Fused;
import dev.nabla.nn.Losses;
import dev.nabla.nn.Reduction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Fused kernels against the separate ops they replace, on the MLP's shapes (batch 128): a
 * 784→256 linear layer with ReLU (matmul, bias add, relu: three arrays, versus one GEMM and one
 * in-place pass), the ReLU backward, and softmax cross-entropy with its gradient on [128, 10].
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dnabla.threads=1"})
public class FusedBench {
    private static final int N = 128, IN = 784, OUT = 256, C = 10;

    private NdArray x, w, b, g, yAct, logits;
    private float[] y, gradZ, out;
    private int[] labels;
    private Tensor logitsT, target;

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(9);
        x = NdArray.rand(rng, DType.FLOAT32, N, IN);
        w = NdArray.randn(rng, DType.FLOAT32, OUT, IN).mul(0.05);
        b = NdArray.randn(rng, DType.FLOAT32, OUT);
        g = NdArray.randn(rng, DType.FLOAT32, N, OUT);
        yAct = NdArray.randn(rng, DType.FLOAT32, N, OUT);
        logits = NdArray.randn(rng, DType.FLOAT32, N, C);
        y = new float[N * OUT];
        out = new float[N * OUT];
        gradZ = new float[N * C];
        labels = new int[N];
        float[] lf = new float[N];
        for (int i = 0; i < N; i++) { labels[i] = rng.nextInt(C); lf[i] = labels[i]; }
        logitsT = Tensor.of(logits).requiresGrad(true);
        target = Tensor.of(NdArray.of(lf, N));
    }

    @Benchmark public NdArray linearReluSeparate() { return x.matmul(w.transpose(0, 1)).add(b).unary(dev.nabla.kernels.UnaryOp.RELU); }

    @Benchmark
    public float[] linearReluFused() {
        Fused.linear(N, IN, OUT, x.floatData(), 0, IN, w.floatData(), 0, IN, b.floatData(), 0, Fused.Activation.RELU, y, 0, OUT);
        return y;
    }

    @Benchmark public NdArray reluBackwardSeparate() { return g.mul(yAct.unary(dev.nabla.kernels.UnaryOp.STEP)); }

    @Benchmark
    public float[] reluBackwardFused() {
        Fused.reluBackward(g.floatData(), 0, yAct.floatData(), 0, out, 0, N * OUT);
        return out;
    }

    @Benchmark
    public Tensor crossEntropyAutograd() {
        logitsT.zeroGrad();
        Losses.crossEntropy(logitsT, target, Reduction.MEAN).backward();
        return logitsT.grad();
    }

    @Benchmark
    public float crossEntropyFused() {
        return Fused.softmaxCrossEntropy(N, C, logits.floatData(), 0, C, labels, 0, gradZ, 0, C);
    }
}
