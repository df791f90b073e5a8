package dev.nabla.bench.jmh;

import dev.nabla.array.DType;
import dev.nabla.autograd.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The autograd engine's own cost: a chain of {@value #OPS} ops on one-element float32 tensors
 * (add, mul, tanh, scalar multiply, in turn), forward and backward. The score is time per op
 * ({@code @OperationsPerInvocation}), so it reads directly as "µs per tiny op".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class AutogradTinyBench {
    static final int OPS = 100;

    private Tensor x, w;

    @Setup
    public void setup() {
        x = Tensor.scalar(DType.FLOAT32, 0.5).requiresGrad(true);
        w = Tensor.scalar(DType.FLOAT32, 0.9).requiresGrad(true);
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public double forwardBackward() {
        x.zeroGrad();
        w.zeroGrad();
        Tensor h = x;
        for (int i = 0; i < OPS; i += 4) h = h.add(x).mul(w).tanh().mul(0.5);
        h.backward();
        return x.grad().item();
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public double forwardOnly() {
        Tensor h = x;
        for (int i = 0; i < OPS; i += 4) h = h.add(x).mul(w).tanh().mul(0.5);
        return h.item();
    }
}
