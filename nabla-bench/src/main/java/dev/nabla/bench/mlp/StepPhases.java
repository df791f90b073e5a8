package dev.nabla.bench.mlp;

import dev.nabla.bench.Launch;
import dev.nabla.parallel.Parallel;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Where a step of the MLP workload through the library's API ({@link NablaMlp}) spends its time, in
 * one JVM: each step's phases timed (the batch gathered from a shuffled 10,000-sample set by {@link
 * MlpData#fill}, set-up, forward, loss, backward, SGD step), and the median of each phase and
 * the median, mean and tail of whole steps over the measured steps. The mean is what an epoch's
 * throughput sees; a mean far above the median means slow steps (a descheduled thread, the JIT still
 * compiling: see the warm-up).
 *
 * <p>Arguments ({@code --help} describes them): {@code THREADS [STEPS [WARMUP_SECONDS]]} (default 4,000 steps after 12 s). Random
 * pixels stand in for MNIST: the step's work does not depend on the values. Run from the repository
 * root after the bench build:
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xmn64m -Xmx512m \
 *     -cp "nabla-bench/target/classes:$(cat nabla-bench/target/classpath.txt)" dev.nabla.bench.mlp.StepPhases 2
 * </pre>
 */
@Command(name = "StepPhases", mixinStandardHelpOptions = true, version = Launch.VERSION,
    description = "Times each phase of the API's MLP step in one JVM: the median of each phase, and the median, mean and tail of whole steps.")
public final class StepPhases implements Callable<Integer> {
    private StepPhases() {}

    private static final int BATCH = 128, SAMPLES = 10_000;
    private static final String[] PHASES = {"batch", "set-up", "forward", "loss", "backward", "sgd"};

    @Parameters(index = "0", paramLabel = "THREADS", description = "Threads of Nabla's pool, at least 1.")
    int threads;

    @Parameters(index = "1", arity = "0..1", paramLabel = "STEPS", defaultValue = "4000",
        description = "Measured steps, at least 1 (default: ${DEFAULT-VALUE}).")
    int steps;

    @Parameters(index = "2", arity = "0..1", paramLabel = "WARMUP_SECONDS", defaultValue = "12",
        description = "Seconds of warm-up steps before them, at least 0 (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StepPhases()).execute(args));
    }

    @Override
    public Integer call() {
        Launch.require(spec, threads >= 1, "THREADS: at least 1, not " + threads);
        Launch.require(spec, steps >= 1, "STEPS: at least 1, not " + steps);
        Launch.require(spec, warmupSeconds >= 0, "WARMUP_SECONDS: at least 0, not " + warmupSeconds);
        Parallel.setThreads(threads);
        MlpData data = MlpData.random(SAMPLES, 5);
        int[] order = data.permutation(5, 0);

        NablaMlp engine = new NablaMlp(0.01, BATCH, 1);
        float[] x = new float[BATCH * MlpData.FEATURES];
        int[] y = new int[BATCH];
        long[] at = new long[5];
        double[][] phase = new double[PHASES.length][steps];
        double[] total = new double[steps];
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        int batches = SAMPLES / BATCH;
        for (int s = -1, i = 0; s < steps; i++) {
            if (s < 0 && System.nanoTime() >= warmEnd) s = 0;
            long t0 = System.nanoTime();
            data.fill(order, i % batches * BATCH, BATCH, x, y);
            long t1 = System.nanoTime();
            engine.step(x, y, BATCH, at);
            if (s < 0) continue;
            phase[0][s] = (t1 - t0) / 1e3;
            phase[1][s] = (at[0] - t1) / 1e3;
            for (int p = 1; p < 5; p++) phase[p + 1][s] = (at[p] - at[p - 1]) / 1e3;
            total[s] = (at[4] - t0) / 1e3;
            s++;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "StepPhases threads=%d steps=%d, median µs per phase:", threads, steps));
        for (int p = 0; p < PHASES.length; p++) line.append(String.format(Locale.ROOT, " %s %.1f", PHASES[p], median(phase[p])));
        System.out.println(line);
        double mean = Arrays.stream(total).average().orElse(Double.NaN);
        double[] sorted = total.clone();
        Arrays.sort(sorted);
        double med = sorted[steps / 2], slow = Arrays.stream(total).filter(t -> t > 2 * med).sum();
        System.out.printf(Locale.ROOT, "whole step: median %.1f µs, mean %.1f µs (%.0f samples/s), 90th %.0f, 99th %.0f, max %.0f; "
                + "steps over twice the median: %.1f %% of the time%n", med, mean, BATCH / (mean / 1e6),
            sorted[steps * 9 / 10], sorted[Math.min(steps - 1, steps * 99 / 100)], sorted[steps - 1], 100 * slow / Arrays.stream(total).sum());
        return 0;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
