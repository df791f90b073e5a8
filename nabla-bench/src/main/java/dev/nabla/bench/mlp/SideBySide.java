package dev.nabla.bench.mlp;

import dev.nabla.bench.Launch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs the MLP workload ({@link MlpRun}) in Nabla (through its API, and as hand-written backprop on
 * its kernels: {@link NablaKernelsMlp}), DJL-PyTorch, DL4J and (when python3 with NumPy is there) NumPy, each in its own process, alternating engines within each repetition so that a
 * change in the machine's load hits all of them alike, and prints a table: the median over the
 * repetitions of each run's samples/s, the spread, Nabla's ratio to each engine, and the peak
 * resident memory (VmHWM) of each process.
 *
 * <p>With {@code --model cnn} every engine trains the small CNN of {@link MlpRun.Model#CNN} instead;
 * nabla-kernels and numpy, which have only the MLP, are then left out.
 *
 * <p>Options ({@code --help} lists them): {@code --model mlp --threads 1,2 --reps 3 --epochs 15 --warmup 20 --warmup-seconds 5
 * --engines nabla,nabla-kernels,djl,dl4j,numpy --data DIR --djl-cache DIR --python python3
 * --nabla-jvm "-XX:+UseSerialGC -Xmn32m -Xmx512m"} (the JVM options of Nabla's process: a small young
 * generation keeps the garbage of each step in a region that is reused, which holds the resident
 * memory down). Each engine's thread settings are {@link Launch}'s.
 */
@Command(name = "SideBySide", mixinStandardHelpOptions = true, version = Launch.VERSION, sortOptions = false,
    description = "Trains the MLP workload in each engine, each run in its own process, and prints a table of samples/s, ratios and peak memory.")
public final class SideBySide implements Callable<Integer> {
    private SideBySide() {}

    private record Result(String engine, int threads, double samplesPerSecond, double peakRssMb, double loss) {}

    /** The engines, by the name --engines takes, and the table's name for each. */
    private static final Map<String, String> NAMES = Map.of("nabla", "nabla", "nabla-kernels", "nabla-kernels", "djl", "djl-pytorch", "dl4j", "dl4j", "numpy", "numpy");

    @Mixin Launch.RoundOptions rounds;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "mlp", converter = MlpRun.ModelConverter.class,
        description = "The network: mlp (784-256-256-10) or cnn (two 3×3 convolutions with max pooling; nabla, djl and dl4j only) (default: ${DEFAULT-VALUE}).")
    MlpRun.Model model;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "15", description = "Measured epochs of each run (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "20", description = "Warm-up epochs of each run, at least (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "5",
        description = "Seconds of warm-up training of each run, at least (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--engines", split = ",", paramLabel = "ENGINE", defaultValue = "nabla,nabla-kernels,djl,dl4j,numpy",
        description = "Engines: nabla, nabla-kernels, djl, dl4j, numpy, any of them followed by @ and an OpenBLAS core type, "
            + "such as numpy@SkylakeX (default: ${DEFAULT-VALUE}).")
    List<String> engines;

    @Option(names = "--data", paramLabel = "DIR",
        description = "The MNIST folder (default: $NABLA_MNIST_DIR, else ../shared/data/mnist or shared/data/mnist from the working folder upwards).")
    String data;

    @Option(names = "--nabla-jvm", paramLabel = "OPTIONS", defaultValue = "-XX:+UseSerialGC -Xmn32m -Xmx512m",
        description = "JVM options of Nabla's processes (default: \"${DEFAULT-VALUE}\").")
    String nablaJvm;

    @Spec CommandSpec spec;

    public static void main(String[] args) {
        // the scripts name --djl-cache before the user's options, which may name it again
        System.exit(new CommandLine(new SideBySide()).setOverwrittenOptionsAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Launch.require(spec, epochs >= 1, "--epochs: at least 1, not " + epochs);
        Launch.checkEngines(spec, engines, NAMES.keySet(), NAMES.keySet(), "nabla, nabla-kernels, djl, dl4j, numpy, any of them @ an OpenBLAS core type");
        if (model != MlpRun.Model.MLP) {
            List<String> mlpOnly = engines.stream().filter(e -> List.of("nabla-kernels", "numpy").contains(Launch.engineOf(e))).toList();
            if (!mlpOnly.isEmpty()) System.err.println("side-by-side: " + String.join(", ", mlpOnly) + " train the MLP only: left out of --model cnn");
            engines = new ArrayList<>(engines);
            engines.removeAll(mlpOnly);
            Launch.require(spec, !engines.isEmpty(), "--model cnn: no engine left (nabla, djl and dl4j train it)");
        }
        Launch.Settings settings = rounds.prepare(spec, engines, nablaJvm, "side-by-side");
        List<Result> results = new ArrayList<>();
        Launch.rounds("side-by-side", rounds.reps, rounds.threads, engines, (engine, t) -> results.add(runOne(engine, t, settings)));
        System.out.println();
        System.out.println("Model: " + model.name().toLowerCase(Locale.ROOT));
        printTable(results, engines, rounds.threads);
        return 0;
    }

    private Result runOne(String engine, int t, Launch.Settings settings) throws IOException, InterruptedException {
        List<String> workload = new ArrayList<>(List.of("--model", model.name().toLowerCase(Locale.ROOT), "--threads", String.valueOf(t), "--epochs", String.valueOf(epochs),
            "--warmup", String.valueOf(warmup), "--warmup-seconds", String.valueOf(warmupSeconds)));
        if (data != null) workload.addAll(List.of("--data", data));
        String core = Launch.coreOf(engine);
        List<String> lines = switch (Launch.engineOf(engine)) {
            case "nabla" -> Launch.run(Launch.Kind.NABLA, NablaMlp.class.getName(), t, workload, settings, core);
            case "nabla-kernels" -> Launch.run(Launch.Kind.NABLA, NablaKernelsMlp.class.getName(), t, workload, settings, core);
            case "djl" -> Launch.run(Launch.Kind.DJL, DjlMlp.class.getName(), t, workload, settings, core);
            case "dl4j" -> Launch.run(Launch.Kind.ND4J, Dl4jMlp.class.getName(), t, workload, settings, core);
            // numpy: checkEngines let no other name through
            default -> Launch.run(Launch.Kind.PYTHON, Launch.pythonScript("mlp_numpy.py").toString(), t, workload, settings, core);
        };
        Map<String, String> kv = Launch.fields(lines.getLast());
        return new Result(kv.get("engine") + (core == null ? "" : "@" + core), Integer.parseInt(kv.get("threads")), Double.parseDouble(kv.get("samples_per_s")),
            Double.parseDouble(kv.get("peak_rss_mb")), Double.parseDouble(kv.get("loss")));
    }

    private static void printTable(List<Result> results, List<String> engines, int[] threads) {
        System.out.println();
        System.out.println("| engine | threads | samples/s (median) | min - max | Nabla / engine | peak RSS MB (max) | runs |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (int t : threads) {
            double nabla = median(results, "nabla", t);
            for (String e : engines) {
                String name = NAMES.get(Launch.engineOf(e)) + (Launch.coreOf(e) == null ? "" : "@" + Launch.coreOf(e));
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
