package dev.nabla.bench.jmh;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.kernels.BinaryOp;
import dev.nabla.kernels.Elementwise;
import dev.nabla.kernels.Reduce;
import dev.nabla.kernels.Softmax;
import dev.nabla.kernels.UnaryOp;
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
 * Element-wise and reduction kernels on the sizes an MLP step sees (a [rows, cols] activation,
 * float32): ReLU, its derivative mask, exp, a product, a bias add broadcast over rows (through
 * NdArray, as the layers use it), the column sum of a bias gradient, and row log-softmax.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBench {
    @Param({"128"})
    public int rows;

    @Param({"256", "10"})
    public int cols;

    private float[] a, b, out, colSum;
    private NdArray matrix, bias;

    @Setup
    public void setup() {
        int n = rows * cols;
        SplittableRandom rng = new SplittableRandom(1);
        a = new float[n]; b = new float[n]; out = new float[n]; colSum = new float[cols];
        for (int i = 0; i < n; i++) { a[i] = (float) rng.nextGaussian(); b[i] = (float) rng.nextGaussian(); }
        matrix = NdArray.of(a.clone(), rows, cols);
        bias = NdArray.randn(rng, DType.FLOAT32, cols);
    }

    @Benchmark public float[] relu() { Elementwise.unary(UnaryOp.RELU, 0f, 0f, a, 0, 1, out, 0, a.length); return out; }
    @Benchmark public float[] reluMask() { Elementwise.unary(UnaryOp.STEP, 0f, 0f, a, 0, 1, out, 0, a.length); return out; }
    @Benchmark public float[] exp() { Elementwise.unary(UnaryOp.EXP, 0f, 0f, a, 0, 1, out, 0, a.length); return out; }
    @Benchmark public float[] mul() { Elementwise.binary(BinaryOp.MUL, a, 0, 1, b, 0, 1, out, 0, a.length); return out; }
    @Benchmark public NdArray biasAdd() { return matrix.add(bias); }
    @Benchmark public NdArray biasGradient() { return matrix.sum(false, 0); }

    @Benchmark
    public float[] columnSumKernel() {
        java.util.Arrays.fill(colSum, 0f);
        for (int r = 0; r < rows; r++) Reduce.accumulate(colSum, 0, a, r * cols, cols);
        return colSum;
    }

    @Benchmark public float[] logSoftmax() { Softmax.logSoftmax(a, 0, out, 0, rows, cols); return out; }
}
