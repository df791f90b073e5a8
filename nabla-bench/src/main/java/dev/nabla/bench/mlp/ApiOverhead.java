package dev.nabla.bench.mlp;

import dev.nabla.bench.Launch;
import dev.nabla.parallel.Parallel;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * The library API's cost over backpropagation written by hand on the same kernels, in one JVM: the
 * MLP workload's step through {@link NablaMlp} and through {@link NablaKernelsMlp}, alternating in
 * blocks of 50 steps on one random batch, so that a slow period of a shared machine falls on both.
 * Separate processes ({@code run-mlp}) run minutes apart, and there the host's noise is larger than
 * the few per cent between the two. Prints each engine's fastest, lower-quartile and median block (µs
 * per step) and the API's median over the hand-written median.
 *
 * <p>Arguments ({@code --help} describes them): {@code THREADS [ROUNDS]} (default 60 rounds, after a
 * 10 s warm-up). Run from the repository root after {@code nabla-bench/run-mlp} (or the bench build)
 * has built the module:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp "nabla-bench/target/classes:$(cat nabla-bench/target/classpath.txt)" \
 *     dev.nabla.bench.mlp.ApiOverhead 2
 * </pre>
 */
@Command(name = "ApiOverhead", mixinStandardHelpOptions = true, version = Launch.VERSION,
    description = "The API's step against the hand-written one on the same kernels, alternating in one JVM: µs per step.")
public final class ApiOverhead implements Callable<Integer> {
    private ApiOverhead() {}

    private static final int BATCH = 128, BLOCK = 50;

    @Parameters(index = "0", paramLabel = "THREADS", description = "Threads of Nabla's pool, at least 1.")
    int threads;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ROUNDS", defaultValue = "60",
        description = "Rounds of one block per engine after the 10 s warm-up, at least 1 (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ApiOverhead()).execute(args));
    }

    @Override
    public Integer call() {
        Launch.require(spec, threads >= 1, "THREADS: at least 1, not " + threads);
        Launch.require(spec, rounds >= 1, "ROUNDS: at least 1, not " + rounds);
        Parallel.setThreads(threads);
        MlpRun.Engine[] engines = {new NablaMlp(0.01, BATCH, 1), new NablaKernelsMlp(0.01, BATCH, 1)};
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = new float[BATCH * MlpData.FEATURES];
        int[] y = new int[BATCH];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
        for (int i = 0; i < BATCH; i++) y[i] = rng.nextInt(MlpData.CLASSES);

        long warm = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < warm)
            for (MlpRun.Engine e : engines) for (int s = 0; s < BLOCK; s++) e.step(x, y, BATCH);
        List<List<Double>> micros = List.of(new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < rounds; round++)
            for (int k = 0; k < engines.length; k++) {
                for (int s = 0; s < 5; s++) engines[k].step(x, y, BATCH);   // the other engine's caches out
                long t0 = System.nanoTime();
                for (int s = 0; s < BLOCK; s++) engines[k].step(x, y, BATCH);
                micros.get(k).add((System.nanoTime() - t0) / (BLOCK * 1e3));
            }
        double[] medians = new double[engines.length];
        for (int k = 0; k < engines.length; k++) {
            List<Double> v = micros.get(k);
            Collections.sort(v);
            medians[k] = v.get(v.size() / 2);
            System.out.printf(Locale.ROOT, "%-14s %d thread(s): fastest %.1f, lower quartile %.1f, median %.1f µs per step (%.0f samples/s at the median)%n",
                engines[k].name(), threads, v.get(0), v.get(v.size() / 4), medians[k], BATCH / medians[k] * 1e6);
        }
        System.out.printf(Locale.ROOT, "API median ÷ hand-written median: %.3f%n", medians[0] / medians[1]);
        return 0;
    }
}
