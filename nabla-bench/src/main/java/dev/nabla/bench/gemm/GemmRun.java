package dev.nabla.bench.gemm;

import dev.nabla.bench.Launch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * The GEMM workload of the side-by-side comparison, shared by every engine's runner: C = op(A) op(B)
 * for square n × n matrices, float32 or float64, where op(X) is X or the stored X read transposed
 * (NN, TN, NT, TT); each engine is handed the same row-major arrays and reads a transposed operand the
 * way its own API does without copying it (a transposed view, or a transpose flag of its GEMM call).
 * For each case the runner multiplies for a warm-up time, checks four entries of C against a float64
 * dot product (so that every engine is shown to compute the same product), then times each call
 * for the measured time (at least five calls) and prints
 * {@code RESULT engine=... dtype=... n=... trans=... threads=... gflops=... best_gflops=...}:
 * 2n³ over the median call, and over the fastest.
 *
 * <p>Arguments ({@code --help} lists them): {@code --threads N --dtypes float32,float64 --sizes 256,512,1024
 * --trans NN,TN,NT,TT --seconds S --warmup-seconds W}.
 */
public final class GemmRun {
    private GemmRun() {}

    /** One engine's product. */
    public interface Engine extends AutoCloseable {
        String name();

        /**
         * Holds A and B (n × n, row-major, these values, in float32 or float64) and room for C, with
         * op(A) and op(B) read transposed where {@code transA} / {@code transB} say so, without a copy.
         */
        void prepare(boolean float64, int n, double[] a, double[] b, boolean transA, boolean transB);

        /** C = op(A) op(B). */
        void multiply();

        /** C[i][j] of the last product. */
        double entry(int i, int j);

        /** Frees what {@link #prepare} held. */
        void release();

        @Override default void close() {}
    }

    /** An element type, named as the command lines and the RESULT lines spell it. */
    public enum Dtype { float32, float64 }

    /** Which operands are read transposed: NN, TN (A), NT (B), TT (both). */
    public enum Trans {
        NN, TN, NT, TT;

        boolean transA() { return name().charAt(0) == 'T'; }

        boolean transB() { return name().charAt(1) == 'T'; }
    }

    /** Parsed command line. */
    public record Options(int threads, List<Dtype> dtypes, int[] sizes, List<Trans> trans, double seconds, double warmupSeconds) {
        /** Parses the command line with picocli; exits after {@code --help} (status 0) or a bad option or value (status 2). */
        public static Options parse(String[] args) {
            return Launch.parse(new Cli(), args);
        }
    }

    /** The options as picocli fills them. */
    @Command(name = "GemmRun", mixinStandardHelpOptions = true, version = Launch.VERSION, sortOptions = false,
        description = "Times the GEMM workload's cases in one engine and prints a RESULT line for each.")
    private static final class Cli implements Callable<Options> {
        @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads: the size of Nabla's pool; the peers take theirs from their launcher, and this only labels their RESULT lines (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--dtypes", split = ",", paramLabel = "DTYPE", defaultValue = "float32,float64",
            description = "Element types: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        List<Dtype> dtypes;

        @Option(names = "--sizes", split = ",", paramLabel = "N", defaultValue = "256,512,1024",
            description = "Sizes n of the n × n matrices, each at least 2 (default: ${DEFAULT-VALUE}).")
        int[] sizes;

        @Option(names = "--trans", split = ",", paramLabel = "OP", defaultValue = "NN,TN,NT,TT",
            description = "Transpose variants: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        List<Trans> trans;

        @Option(names = "--seconds", paramLabel = "S", defaultValue = "1", description = "Measured seconds per case (default: ${DEFAULT-VALUE}).")
        double seconds;

        @Option(names = "--warmup-seconds", paramLabel = "W", defaultValue = "1", description = "Warm-up seconds per case (default: ${DEFAULT-VALUE}).")
        double warmupSeconds;

        @Spec CommandSpec spec;

        @Override
        public Options call() {
            for (int n : sizes) Launch.require(spec, n >= 2, "--sizes: at least 2, not " + n);
            return new Options(threads, dtypes, sizes, trans, seconds, warmupSeconds);
        }
    }

    /** Runs every case of the options on the engine and prints a RESULT line for each. */
    public static void run(Options o, Engine engine) {
        for (Dtype dtype : o.dtypes())
            for (int n : o.sizes())
                for (Trans t : o.trans()) {
                    boolean ta = t.transA(), tb = t.transB(), f64 = dtype == Dtype.float64;
                    SplittableRandom rng = new SplittableRandom(n);
                    double[] a = new double[n * n], b = new double[n * n];
                    for (int i = 0; i < n * n; i++) {
                        // float32 values, so that both precisions multiply the same numbers
                        a[i] = (float) rng.nextDouble();
                        b[i] = (float) rng.nextDouble();
                    }
                    engine.prepare(f64, n, a, b, ta, tb);
                    long start = System.nanoTime();
                    for (int calls = 0; calls < 3 || System.nanoTime() - start < o.warmupSeconds() * 1e9; calls++) engine.multiply();
                    check(engine, f64, n, a, b, ta, tb, t);
                    List<Long> times = new ArrayList<>();
                    start = System.nanoTime();
                    while (times.size() < 5 || System.nanoTime() - start < o.seconds() * 1e9) {
                        long t0 = System.nanoTime();
                        engine.multiply();
                        times.add(System.nanoTime() - t0);
                    }
                    engine.release();
                    long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
                    double flop = 2.0 * n * n * n;
                    System.out.printf(Locale.ROOT, "RESULT engine=%s dtype=%s n=%d trans=%s threads=%d gflops=%.1f best_gflops=%.1f calls=%d%n",
                        engine.name(), dtype, n, t, o.threads(), flop / sorted[sorted.length / 2], flop / sorted[0], sorted.length);
                    System.err.printf(Locale.ROOT, "%s %s n=%d %s threads=%d: %.1f GFLOP/s (median of %d calls)%n",
                        engine.name(), dtype, n, t, o.threads(), flop / sorted[sorted.length / 2], sorted.length);
                }
    }

    /** Four entries of C against float64 dot products of op(A)'s row and op(B)'s column; exits on a mismatch. */
    private static void check(Engine engine, boolean f64, int n, double[] a, double[] b, boolean ta, boolean tb, Trans t) {
        int[][] at = {{0, 0}, {n - 1, n - 1}, {n / 3, 2 * n / 3}, {n / 2, 1}};
        for (int[] ij : at) {
            double sum = 0, abs = 0;
            for (int p = 0; p < n; p++) {
                double x = ta ? a[p * n + ij[0]] : a[ij[0] * n + p], y = tb ? b[ij[1] * n + p] : b[p * n + ij[1]];
                sum += x * y;
                abs += Math.abs(x * y);
            }
            double got = engine.entry(ij[0], ij[1]), tol = (f64 ? 1e-12 : 1e-4) * abs;
            if (!(Math.abs(got - sum) <= tol)) {
                System.err.printf(Locale.ROOT, "%s %s n=%d %s: C[%d][%d] = %s, expected %s: not the same product%n",
                    engine.name(), f64 ? "float64" : "float32", n, t, ij[0], ij[1], got, sum);
                System.exit(3);
            }
        }
    }
}
