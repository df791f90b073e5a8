package dev.nabla.bench.jmh;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Runs {@link GemmBench} (JMH options on the command line narrow it, e.g. {@code -p n=256,1024
 * -p threads=1}) and prints GFLOP/s = 2n³ / (mean time) per size, dtype, transpose variant and
 * thread count, as a Markdown table.
 */
public final class GemmReport {
    private GemmReport() {}

    public static void main(String[] args) throws Exception {
        Options cli = new CommandLineOptions(args);
        Options opts = new OptionsBuilder().parent(cli).include(GemmBench.class.getSimpleName()).build();
        Collection<RunResult> results = new Runner(opts).run();
        List<String> rows = new ArrayList<>();
        for (RunResult r : results) {
            var p = r.getParams();
            int n = Integer.parseInt(p.getParam("n"));
            double us = r.getPrimaryResult().getScore();
            double err = r.getPrimaryResult().getScoreError();
            String dtype = p.getBenchmark().endsWith("float32") ? "f32" : "f64";
            rows.add(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.1f | %.1f µs ± %.1f |", dtype, n, p.getParam("trans"),
                p.getParam("threads"), 2.0 * n * n * n / (us * 1e3), us, err));
        }
        System.out.println("| dtype | n | op | threads | GFLOP/s | time per product |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        rows.forEach(System.out::println);
    }
}
