package dev.nabla.bench.jmh;

import dev.nabla.array.NdArray;
import dev.nabla.data.DataLoader;
import dev.nabla.data.TensorDataset;
import dev.nabla.nn.CrossEntropyLoss;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.SGD;
import dev.nabla.parallel.Parallel;
import dev.nabla.train.Mlp;
import dev.nabla.train.Objective;
import dev.nabla.train.Trainer;
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
 * One epoch of {@link Trainer#fit} as a user runs it: the 784-256-256-10 ReLU MLP, cross-entropy,
 * SGD (learning rate 0.1), a shuffled {@link DataLoader} over 1,280 MNIST-shaped samples of random
 * pixels: 10 steps of batch 128 per epoch, each batch gathered from the dataset. Unlike
 * {@link MlpStepBench}, which steps on one fixed batch, this includes the loader, the metrics and the
 * Trainer's bookkeeping. One call runs {@value #EPOCHS} epochs, {@value #STEPS} steps: the score ÷
 * {@value #STEPS} is the time per step and, with {@code -prof gc}, gc.alloc.rate.norm ÷ {@value
 * #STEPS} the bytes a step allocates. (Each call's {@link dev.nabla.train.History} copies the list of
 * all epochs so far, 8 bytes each: about 1,000 epochs into a run, under 100 bytes a step.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainerEpochBench {
    /** Epochs per call, and the steps (batches) they take. */
    public static final int EPOCHS = 10, STEPS = 10 * EPOCHS;
    private static final int BATCH = 128, FEATURES = 784, CLASSES = 10;

    @Param({"1", "2"})
    public int threads;

    private Trainer trainer;
    private DataLoader loader;
    private int epochs;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        int n = STEPS / EPOCHS * BATCH;
        SplittableRandom rng = new SplittableRandom(11);
        float[] x = new float[n * FEATURES], y = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
        for (int i = 0; i < n; i++) y[i] = rng.nextInt(CLASSES);
        TensorDataset data = new TensorDataset(NdArray.of(x, n, FEATURES), NdArray.of(y, n));
        Sequential model = new Mlp(FEATURES, List.of(256, 256), CLASSES, "relu").build(new SplittableRandom(1));
        trainer = new Trainer(model, new SGD(model.parameters(), 0.1), new Objective.ClassIndices(new CrossEntropyLoss()));
        loader = new DataLoader(data, BATCH, true, 5, false);
        epochs = 0;
    }

    /** The next {@value #EPOCHS} epochs; returns the last one's mean training loss. */
    @Benchmark
    public double epochs() {
        epochs += EPOCHS;
        return trainer.fit(loader, null, epochs).last().trainLoss();
    }
}
