package dev.nabla.bench.mlp;

import dev.nabla.bench.Launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the MLP workload ({@link MlpRun}) in Nabla (through its API, and as hand-written backprop on
 * its kernels: {@link NablaKernelsMlp}), DJL-PyTorch, DL4J and (when python3 with NumPy is there) NumPy, each in its own process, alternating engines within each repetition so that a
 * change in the machine's load hits all of them alike, and prints a table: the median over the
 * repetitions of each run's samples/s, the spread, Nabla's ratio to each engine, and the peak
 * resident memory (VmHWM) of each process.
 *
 * <p>Options: {@code --threads 1,2 --reps 3 --epochs 15 --warmup 20 --warmup-seconds 5 --engines nabla,nabla-kernels,djl,dl4j,numpy
 * --data DIR --djl-cache DIR --python python3 --nabla-jvm "-XX:+UseSerialGC -Xmn64m -Xmx512m"}
 * (the JVM options of Nabla's process: a small young generation keeps the garbage of each step in
 * a region that is reused, which holds the resident memory down). Each engine's thread settings are
 * {@link Launch}'s.
 */
public final class SideBySide {
    private SideBySide() {}

    private record Result(String engine, int threads, double samplesPerSecond, double peakRssMb, double loss) {}

    public static void main(String[] args) throws Exception {
        Launch.mainReportingBadInput("side-by-side", args, SideBySide::run);
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> o = Launch.options("SideBySide", args, new LinkedHashMap<>(Map.of("--threads", "1,2", "--reps", "3", "--epochs", "15",
            "--warmup", "20", "--warmup-seconds", "5", "--engines", "nabla,nabla-kernels,djl,dl4j,numpy", "--djl-cache", "target/djl-cache", "--python", "python3",
            "--nabla-jvm", "-XX:+UseSerialGC -Xmn64m -Xmx512m")), "--data");
        int[] threads = Arrays.stream(o.get("--threads").split(",")).mapToInt(Integer::parseInt).toArray();
        int reps = Integer.parseInt(o.get("--reps"));
        List<String> engines = new ArrayList<>(List.of(o.get("--engines").split(",")));
        Launch.dropNumpyIfAbsent(engines, o.get("--python"), "side-by-side");
        Files.createDirectories(Path.of(o.get("--djl-cache")));
        Launch.Settings settings = new Launch.Settings(o.get("--nabla-jvm"), o.get("--djl-cache"), o.get("--python"));
        List<Result> results = new ArrayList<>();
        Launch.rounds("side-by-side", reps, threads, engines, (engine, t) -> results.add(runOne(engine, t, o, settings)));
        printTable(results, engines, threads);
    }

    private static Result runOne(String engine, int threads, Map<String, String> o, Launch.Settings settings)
        throws IOException, InterruptedException {
        List<String> workload = new ArrayList<>(List.of("--threads", String.valueOf(threads), "--epochs", o.get("--epochs"),
            "--warmup", o.get("--warmup"), "--warmup-seconds", o.get("--warmup-seconds")));
        if (o.containsKey("--data")) workload.addAll(List.of("--data", o.get("--data")));
        String core = Launch.coreOf(engine);
        List<String> lines = switch (Launch.engineOf(engine)) {
            case "nabla" -> Launch.run(Launch.Kind.NABLA, NablaMlp.class.getName(), threads, workload, settings, core);
            case "nabla-kernels" -> Launch.run(Launch.Kind.NABLA, NablaKernelsMlp.class.getName(), threads, workload, settings, core);
            case "djl" -> Launch.run(Launch.Kind.DJL, DjlMlp.class.getName(), threads, workload, settings, core);
            case "dl4j" -> Launch.run(Launch.Kind.ND4J, Dl4jMlp.class.getName(), threads, workload, settings, core);
            case "numpy" -> Launch.run(Launch.Kind.PYTHON, Launch.pythonScript("mlp_numpy.py").toString(), threads, workload, settings, core);
            default -> throw new IllegalArgumentException("unknown engine " + engine + " (expected nabla, nabla-kernels, djl, dl4j, numpy, any of them @ an OpenBLAS core type)");
        };
        Map<String, String> kv = Launch.fields(lines.getLast());
        return new Result(kv.get("engine") + (core == null ? "" : "@" + core), Integer.parseInt(kv.get("threads")), Double.parseDouble(kv.get("samples_per_s")),
            Double.parseDouble(kv.get("peak_rss_mb")), Double.parseDouble(kv.get("loss")));
    }

    private static void printTable(List<Result> results, List<String> engines, int[] threads) {
        Map<String, String> names = Map.of("nabla", "nabla", "nabla-kernels", "nabla-kernels", "djl", "djl-pytorch", "dl4j", "dl4j", "numpy", "numpy");
        System.out.println();
        System.out.println("| engine | threads | samples/s (median) | min - max | Nabla / engine | peak RSS MB (max) | runs |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (int t : threads) {
            double nabla = median(results, "nabla", t);
            for (String e : engines) {
                String name = names.get(Launch.engineOf(e)) + (Launch.coreOf(e) == null ? "" : "@" + Launch.coreOf(e));
                List<Result> rs = results.stream().filter(r -> r.engine().equals(name) && r.threads() == t).toList();
                if (rs.isEmpty()) continue;
                double med = median(results, name, t);
                double min = rs.stream().mapToDouble(Result::samplesPerSecond).min().orElse(0);
                double max = rs.stream().mapToDouble(Result::samplesPerSecond).max().orElse(0);
                double rss = rs.stream().mapToDouble(Result::peakRssMb).max().orElse(Double.NaN);
                System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.0f - %.0f | %s | %.0f | %d |%n", name, t, med, min, max,
                    Double.isNaN(nabla) ? "-" : String.format(Locale.ROOT, "%.2f", nabla / med), rss, rs.size());
            }
        }
    }

    private static double median(List<Result> results, String engine, int threads) {
        return Launch.median(results.stream().filter(r -> r.engine().equals(engine) && r.threads() == threads)
            .mapToDouble(Result::samplesPerSecond).toArray());
    }
}
