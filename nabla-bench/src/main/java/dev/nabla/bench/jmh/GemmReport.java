package dev.nabla.bench.jmh;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link GemmBench} in JMH's sample mode (JMH options on the command line narrow it, e.g.
 * {@code -p n=256,1024 -p threads=1}) and prints GFLOP/s = 2n³ / time, for the median and for the
 * best sampled call, per size, dtype, transpose variant and thread count, as a Markdown table.
 */
public final class GemmReport {
    private GemmReport() {}

    public static void main(String[] args) throws Exception {
        Options cli = new CommandLineOptions(args);
        // sample every call: the median and the best call are robust to a machine shared with other work
        Options opts = new OptionsBuilder().parent(cli).include(GemmBench.class.getSimpleName())
            .mode(Mode.SampleTime).timeUnit(TimeUnit.MICROSECONDS).build();
        Collection<RunResult> results = new Runner(opts).run();
        List<String> rows = new ArrayList<>();
        for (RunResult r : results) {
            var p = r.getParams();
            int n = Integer.parseInt(p.getParam("n"));
            var stats = r.getPrimaryResult().getStatistics();
            double median = stats.getPercentile(50), best = stats.getMin();
            String dtype = p.getBenchmark().endsWith("float32") ? "f32" : "f64";
            double flop = 2.0 * n * n * n;
            rows.add(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.1f | %.1f | %.1f µs |", dtype, n, p.getParam("trans"),
                p.getParam("threads"), flop / (median * 1e3), flop / (best * 1e3), median));
        }
        System.out.println("| dtype | n | op | threads | GFLOP/s (median call) | GFLOP/s (best call) | median time |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        rows.forEach(System.out::println);
    }
}
