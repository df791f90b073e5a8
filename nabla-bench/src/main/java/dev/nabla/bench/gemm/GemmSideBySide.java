package dev.nabla.bench.gemm;

import dev.nabla.bench.Launch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the GEMM workload ({@link GemmRun}) in Nabla, DJL-PyTorch, ND4J (DL4J's OpenBLAS backend) and
 * (when python3 with NumPy is there) NumPy, each engine in its own process that goes through every
 * case, the engines' order rotated from one repetition to the next, and prints a table per dtype:
 * each engine's GFLOP/s (the median over repetitions of each run's median call), and Nabla's ratio
 * to the best peer of that row.
 *
 * <p>An engine may be named with an OpenBLAS core type, {@code numpy@SkylakeX} (see {@link Launch}).
 *
 * <p>Options ({@code --help} lists them): {@code --threads 1,2 --reps 3 --engines nabla,djl,nd4j,numpy
 * --dtypes float32,float64 --sizes 256,512,1024 --trans NN,TN,NT,TT --seconds 1 --warmup-seconds 1
 * --djl-cache DIR --python python3 --nabla-jvm ""}. Each engine's thread settings are {@link Launch}'s.
 */
@Command(name = "GemmSideBySide", mixinStandardHelpOptions = true, version = Launch.VERSION, sortOptions = false,
    description = "Times the GEMM workload in each engine, each in its own process, and prints a table of GFLOP/s per dtype.")
public final class GemmSideBySide implements Callable<Integer> {
    private GemmSideBySide() {}

    private record Result(String engine, String dtype, int n, String trans, int threads, double gflops, double best) {}

    /** The engines, by the name --engines takes, and the table's name for each. */
    private static final Map<String, String> NAMES = Map.of("nabla", "nabla", "djl", "djl-pytorch", "nd4j", "nd4j", "numpy", "numpy");

    @Mixin Launch.RoundOptions rounds;

    @Option(names = "--engines", split = ",", paramLabel = "ENGINE", defaultValue = "nabla,djl,nd4j,numpy",
        description = "Engines: nabla, djl, nd4j, numpy; nd4j and numpy may add @ and an OpenBLAS core type, "
            + "such as numpy@SkylakeX (default: ${DEFAULT-VALUE}).")
    List<String> engines;

    @Option(names = "--dtypes", split = ",", paramLabel = "DTYPE", defaultValue = "float32,float64",
        description = "Element types: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    List<GemmRun.Dtype> dtypes;

    @Option(names = "--sizes", split = ",", paramLabel = "N", defaultValue = "256,512,1024",
        description = "Sizes n of the n × n matrices, each at least 2 (default: ${DEFAULT-VALUE}).")
    int[] sizes;

    @Option(names = "--trans", split = ",", paramLabel = "OP", defaultValue = "NN,TN,NT,TT",
        description = "Transpose variants: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    List<GemmRun.Trans> trans;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "1", description = "Measured seconds per case and process (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup-seconds", paramLabel = "W", defaultValue = "1", description = "Warm-up seconds per case and process (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--nabla-jvm", paramLabel = "OPTIONS", defaultValue = "", description = "JVM options of Nabla's processes (default: \"${DEFAULT-VALUE}\").")
    String nablaJvm;

    @Spec CommandSpec spec;

    public static void main(String[] args) {
        // the scripts name --djl-cache before the user's options, which may name it again
        System.exit(new CommandLine(new GemmSideBySide()).setOverwrittenOptionsAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        for (int n : sizes) Launch.require(spec, n >= 2, "--sizes: at least 2, not " + n);
        Launch.checkEngines(spec, engines, NAMES.keySet(), Set.of("djl", "nd4j", "numpy"),
            "nabla, djl, nd4j, numpy; nd4j and numpy may add @ and an OpenBLAS core type");
        Launch.Settings settings = rounds.prepare(spec, engines, nablaJvm, "gemm side-by-side");
        List<String> cases = List.of("--dtypes", csv(dtypes.stream()), "--sizes", csv(Arrays.stream(sizes).boxed()),
            "--trans", csv(trans.stream()), "--seconds", String.valueOf(seconds), "--warmup-seconds", String.valueOf(warmupSeconds));
        List<Result> results = new ArrayList<>();
        Launch.rounds("gemm side-by-side", rounds.reps, rounds.threads, engines, (engine, t) -> {
            List<String> workload = new ArrayList<>(List.of("--threads", String.valueOf(t)));
            workload.addAll(cases);
            String core = Launch.coreOf(engine);
            List<String> lines = switch (Launch.engineOf(engine)) {
                case "nabla" -> Launch.run(Launch.Kind.NABLA, NablaGemm.class.getName(), t, workload, settings, core);
                case "djl" -> Launch.run(Launch.Kind.DJL, DjlGemm.class.getName(), t, workload, settings, core);
                case "nd4j" -> Launch.run(Launch.Kind.ND4J, Nd4jGemm.class.getName(), t, workload, settings, core);
                default -> Launch.run(Launch.Kind.PYTHON, Launch.pythonScript("gemm_numpy.py").toString(), t, workload, settings, core);
            };
            for (String line : lines) {
                Map<String, String> kv = Launch.fields(line);
                results.add(new Result(label(engine), kv.get("dtype"), Integer.parseInt(kv.get("n")), kv.get("trans"),
                    Integer.parseInt(kv.get("threads")), Double.parseDouble(kv.get("gflops")), Double.parseDouble(kv.get("best_gflops"))));
            }
        });
        printTables(results);
        return 0;
    }

    /** The values as the runners take a list: comma-separated. */
    private static String csv(Stream<?> values) {
        return values.map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The table's name for an engine: {@code djl-pytorch}, {@code numpy@SkylakeX}. */
    private static String label(String engine) {
        String core = Launch.coreOf(engine);
        return NAMES.get(Launch.engineOf(engine)) + (core == null ? "" : "@" + core);
    }

    private void printTables(List<Result> results) {
        List<String> names = engines.stream().map(GemmSideBySide::label).toList();
        List<String> peers = names.stream().filter(e -> !e.equals("nabla")).toList();
        for (GemmRun.Dtype dtype : dtypes) {
            System.out.println();
            StringBuilder head = new StringBuilder("| " + dtype + " | op | threads |");
            StringBuilder rule = new StringBuilder("| --- | --- | --- |");
            for (String e : names) {
                head.append(' ').append(e).append(" GFLOP/s |");
                rule.append(" --- |");
            }
            boolean ratio = names.contains("nabla") && !peers.isEmpty();
            if (ratio) {
                head.append(" Nabla ÷ best peer |");
                rule.append(" --- |");
            }
            System.out.println(head);
            System.out.println(rule);
            for (int t : rounds.threads)
                for (int n : sizes)
                    for (GemmRun.Trans op : trans) {
                        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| n = %d | %s | %d |", n, op, t));
                        Map<String, Double> med = new LinkedHashMap<>();
                        for (String e : names) {
                            double m = Launch.median(results.stream()
                                .filter(r -> r.engine().equals(e) && r.dtype().equals(dtype.name()) && r.n() == n && r.trans().equals(op.name()) && r.threads() == t)
                                .mapToDouble(Result::gflops).toArray());
                            med.put(e, m);
                            row.append(Double.isNaN(m) ? " - |" : String.format(Locale.ROOT, " %.1f |", m));
                        }
                        if (ratio) {
                            String best = peers.stream().filter(p -> !Double.isNaN(med.get(p)))
                                .max((x, y) -> Double.compare(med.get(x), med.get(y))).orElse(null);
                            row.append(best == null ? " - |" : String.format(Locale.ROOT, " %.2f (%s) |", med.get("nabla") / med.get(best), best));
                        }
                        System.out.println(row);
                    }
        }
    }
}
