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
 * adds two columns: the median GFLOP/s as a fraction of the one-thread in-cache rate times the thread
 * count, and as a fraction of the in-cache rate measured with as many threads at once as the product
 * used (each thread on its own panels): what the kernels' arithmetic allows on that many cores of
 * this machine, where the cores share caches, memory and power with each other and with other work.
 *
 * <p>With {@code -paired} first it runs {@link GemmPairedReport} instead: the kernel and each product
 * measured in turn, round after round, so that both see the same state of a shared machine.
 */
public final class GemmReport {
    private GemmReport() {}

    /** JMH's pattern for GemmKernelBench's block benchmarks, the in-cache bound. */
    private static final String KERNEL_BLOCKS = GemmKernelBench.class.getSimpleName() + "\\.float(32|64)Block";

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("-paired")) {
            GemmPairedReport.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        boolean bound = args.length > 0 && args[0].equals("-bound");
        if (bound) args = Arrays.copyOfRange(args, 1, args.length);
        Options cli = new CommandLineOptions(args);
        // sample every call: the median and the best call are robust to a machine shared with other work
        OptionsBuilder b = new OptionsBuilder();
        b.parent(cli).include("\\." + GemmBench.class.getSimpleName() + "\\."); // not MlpGemmBench
        if (bound) b.include(KERNEL_BLOCKS);
        Options opts = b.mode(Mode.SampleTime).timeUnit(TimeUnit.MICROSECONDS).build();
        Collection<RunResult> results = new Runner(opts).run();
        // per-thread in-cache kernel rate, by "dtype threads"
        Map<String, Double> kernelRate = new HashMap<>();
        List<RunResult> gemm = new ArrayList<>();
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().contains(GemmKernelBench.class.getSimpleName())) putKernelRate(kernelRate, r, 1);
            else gemm.add(r);
        }
        if (bound) {
            // the kernels again on each thread count the products used, all threads at once
            var threadCounts = new java.util.TreeSet<Integer>();
            for (RunResult r : gemm) threadCounts.add(Integer.parseInt(r.getParams().getParam("threads")));
            for (int t : threadCounts) {
                if (t <= 1) continue;
                // the command line's iteration counts, times, forks and excludes, but not its includes or params
                var k = new OptionsBuilder().include(KERNEL_BLOCKS)
                    .threads(t).mode(Mode.SampleTime).timeUnit(TimeUnit.MICROSECONDS);
                if (cli.getWarmupIterations().hasValue()) k.warmupIterations(cli.getWarmupIterations().get());
                if (cli.getWarmupTime().hasValue()) k.warmupTime(cli.getWarmupTime().get());
                if (cli.getMeasurementIterations().hasValue()) k.measurementIterations(cli.getMeasurementIterations().get());
                if (cli.getMeasurementTime().hasValue()) k.measurementTime(cli.getMeasurementTime().get());
                if (cli.getForkCount().hasValue()) k.forks(cli.getForkCount().get());
                for (String e : cli.getExcludes()) k.exclude(e);
                for (RunResult r : new Runner(k.build()).run()) putKernelRate(kernelRate, r, t);
            }
            System.out.println("In-cache micro-kernel (GemmKernelBench block, median call, per thread, on 1 thread and with all threads at once):");
            new java.util.TreeMap<>(kernelRate).forEach((k, g) -> System.out.printf(Locale.ROOT, "  %s thread(s): %.1f GFLOP/s per thread%n", k, g));
        }
        System.out.println("| dtype | n | op | threads | GFLOP/s (median call) | GFLOP/s (best call) | median time |"
            + (bound ? " ÷ (1-thread kernel × threads) | ÷ kernel on as many threads |" : ""));
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |" + (bound ? " --- | --- |" : ""));
        for (RunResult r : gemm) {
            var p = r.getParams();
            int n = Integer.parseInt(p.getParam("n")), threads = Integer.parseInt(p.getParam("threads"));
            var stats = r.getPrimaryResult().getStatistics();
            double median = stats.getPercentile(50), best = stats.getMin();
            String dtype = p.getBenchmark().endsWith("float32") ? "f32" : "f64";
            double flop = 2.0 * n * n * n, gflops = flop / (median * 1e3);
            String row = String.format(Locale.ROOT, "| %s | %d | %s | %d | %.1f | %.1f | %.1f µs |", dtype, n, p.getParam("trans"),
                threads, gflops, flop / (best * 1e3), median);
            if (bound) {
                Double k1 = kernelRate.get(dtype + " 1"), kt = kernelRate.get(dtype + " " + threads);
                row += k1 == null ? " – |" : String.format(Locale.ROOT, " %.0f %% |", 100 * gflops / (k1 * threads));
                row += kt == null ? " – |" : String.format(Locale.ROOT, " %.0f %% |", 100 * gflops / (kt * threads));
            }
            System.out.println(row);
        }
    }

    /** Records a GemmKernelBench block result's per-thread GFLOP/s (flop per call ÷ median call) under "dtype threads". */
    private static void putKernelRate(Map<String, Double> rates, RunResult r, int threads) {
        var p = r.getParams();
        String dtype = p.getBenchmark().contains("float32") ? "f32" : "f64";
        double perCall = r.getPrimaryResult().getStatistics().getPercentile(50);
        int kc = Integer.parseInt(p.getParam("kc"));
        rates.put(dtype + " " + threads, GemmKernelBench.flopPerCall(p.getBenchmark(), kc) / (perCall * 1e3));
    }
}
