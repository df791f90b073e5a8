package dev.nabla.bench.jmh;

import dev.nabla.kernels.GemmKernelBench;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link GemmBench} in JMH's sample mode (JMH options on the command line narrow it, e.g.
 * {@code -p n=256,1024 -p threads=1}) and prints GFLOP/s = 2n³ / time, for the median and for the
 * best sampled call, per size, dtype, transpose variant and thread count, as a Markdown table.
 *
 * <p>With {@code -bound} first on the command line it also runs, in the same JVM session,
 * {@link GemmKernelBench}'s block benchmarks (each micro-kernel on packed panels held in cache) and
 * adds a column: the median GFLOP/s as a fraction of that in-cache rate times the thread count.
 */
public final class GemmReport {
    private GemmReport() {}

    public static void main(String[] args) throws Exception {
        boolean bound = args.length > 0 && args[0].equals("-bound");
        if (bound) args = Arrays.copyOfRange(args, 1, args.length);
        Options cli = new CommandLineOptions(args);
        // sample every call: the median and the best call are robust to a machine shared with other work
        OptionsBuilder b = new OptionsBuilder();
        b.parent(cli).include("\\." + GemmBench.class.getSimpleName() + "\\."); // not MlpGemmBench
        if (bound) b.include(GemmKernelBench.class.getSimpleName() + "\\.float(32|64)Block");
        Options opts = b.mode(Mode.SampleTime).timeUnit(TimeUnit.MICROSECONDS).build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, Double> kernelRate = new HashMap<>();
        List<RunResult> gemm = new ArrayList<>();
        for (RunResult r : results) {
            var p = r.getParams();
            String dtype = p.getBenchmark().contains("float32") ? "f32" : "f64";
            if (p.getBenchmark().contains(GemmKernelBench.class.getSimpleName())) {
                double perCall = r.getPrimaryResult().getStatistics().getPercentile(50);
                int kc = Integer.parseInt(p.getParam("kc"));
                kernelRate.put(dtype, GemmKernelBench.flopPerCall(p.getBenchmark(), kc) / (perCall * 1e3));
            } else {
                gemm.add(r);
            }
        }
        if (bound) {
            System.out.println("In-cache micro-kernel (GemmKernelBench block, median call, 1 thread):");
            kernelRate.forEach((d, g) -> System.out.printf(Locale.ROOT, "  %s %.1f GFLOP/s%n", d, g));
        }
        System.out.println("| dtype | n | op | threads | GFLOP/s (median call) | GFLOP/s (best call) | median time |"
            + (bound ? " ÷ (kernel × threads) |" : ""));
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |" + (bound ? " --- |" : ""));
        for (RunResult r : gemm) {
            var p = r.getParams();
            int n = Integer.parseInt(p.getParam("n")), threads = Integer.parseInt(p.getParam("threads"));
            var stats = r.getPrimaryResult().getStatistics();
            double median = stats.getPercentile(50), best = stats.getMin();
            String dtype = p.getBenchmark().endsWith("float32") ? "f32" : "f64";
            double flop = 2.0 * n * n * n, gflops = flop / (median * 1e3);
            String row = String.format(Locale.ROOT, "| %s | %d | %s | %d | %.1f | %.1f | %.1f µs |", dtype, n, p.getParam("trans"),
                threads, gflops, flop / (best * 1e3), median);
            Double k = kernelRate.get(dtype);
            if (bound) row += k == null ? " – |" : String.format(Locale.ROOT, " %.0f %% |", 100 * gflops / (k * threads));
            System.out.println(row);
        }
    }
}
