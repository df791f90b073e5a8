package dev.nabla.bench.gemm;

import dev.nabla.bench.Launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the GEMM workload ({@link GemmRun}) in Nabla, DJL-PyTorch, ND4J (DL4J's OpenBLAS backend) and
 * (when python3 with NumPy is there) NumPy, each engine in its own process that goes through every
 * case, the engines' order rotated from one repetition to the next, and prints a table per dtype:
 * each engine's GFLOP/s (the median over repetitions of each run's median call), and Nabla's ratio
 * to the best peer of that row.
 *
 * <p>An engine may be named with an OpenBLAS core type, {@code numpy@SkylakeX} (see {@link Launch}).
 *
 * <p>Options: {@code --threads 1,2 --reps 3 --engines nabla,djl,nd4j,numpy --dtypes float32,float64
 * --sizes 256,512,1024 --trans NN,TN,NT,TT --seconds 1 --warmup-seconds 1 --djl-cache DIR --python
 * python3 --nabla-jvm ""}. Each engine's thread settings are {@link Launch}'s.
 */
public final class GemmSideBySide {
    private GemmSideBySide() {}

    private record Result(String engine, String dtype, int n, String trans, int threads, double gflops, double best) {}

    private static final Map<String, String> NAMES = Map.of("nabla", "nabla", "djl", "djl-pytorch", "nd4j", "nd4j", "numpy", "numpy");

    public static void main(String[] args) throws Exception {
        Launch.mainReportingBadInput("gemm side-by-side", args, GemmSideBySide::run);
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("--threads", "1,2");
        defaults.put("--reps", "3");
        defaults.put("--engines", "nabla,djl,nd4j,numpy");
        defaults.put("--dtypes", "float32,float64");
        defaults.put("--sizes", "256,512,1024");
        defaults.put("--trans", "NN,TN,NT,TT");
        defaults.put("--seconds", "1");
        defaults.put("--warmup-seconds", "1");
        defaults.put("--djl-cache", "target/djl-cache");
        defaults.put("--python", "python3");
        defaults.put("--nabla-jvm", "");
        Map<String, String> o = Launch.options("GemmSideBySide", args, defaults);
        int[] threads = Arrays.stream(o.get("--threads").split(",")).mapToInt(Integer::parseInt).toArray();
        int reps = Integer.parseInt(o.get("--reps"));
        List<String> engines = new ArrayList<>(List.of(o.get("--engines").split(",")));
        for (String e : engines)
            if (!NAMES.containsKey(Launch.engineOf(e)) || Launch.coreOf(e) != null && Launch.engineOf(e).equals("nabla"))
                throw new IllegalArgumentException("unknown engine " + e + " (expected nabla, djl, nd4j, numpy; nd4j and numpy may add @ and an OpenBLAS core type)");
        Launch.dropNumpyIfAbsent(engines, o.get("--python"), "gemm side-by-side");
        Files.createDirectories(Path.of(o.get("--djl-cache")));
        Launch.Settings settings = new Launch.Settings(o.get("--nabla-jvm"), o.get("--djl-cache"), o.get("--python"));
        List<Result> results = new ArrayList<>();
        Launch.rounds("gemm side-by-side", reps, threads, engines, (engine, t) -> {
            List<String> workload = List.of("--threads", String.valueOf(t), "--dtypes", o.get("--dtypes"),
                "--sizes", o.get("--sizes"), "--trans", o.get("--trans"), "--seconds", o.get("--seconds"),
                "--warmup-seconds", o.get("--warmup-seconds"));
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
        printTables(results, engines, o, threads);
    }

    /** The table's name for an engine: {@code djl-pytorch}, {@code numpy@SkylakeX}. */
    private static String label(String engine) {
        String core = Launch.coreOf(engine);
        return NAMES.get(Launch.engineOf(engine)) + (core == null ? "" : "@" + core);
    }

    private static void printTables(List<Result> results, List<String> engines, Map<String, String> o, int[] threads) {
        List<String> names = engines.stream().map(GemmSideBySide::label).toList();
        List<String> peers = names.stream().filter(e -> !e.equals("nabla")).toList();
        for (String dtype : o.get("--dtypes").split(",")) {
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
            for (int t : threads)
                for (String size : o.get("--sizes").split(","))
                    for (String trans : o.get("--trans").split(",")) {
                        int n = Integer.parseInt(size);
                        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| n = %d | %s | %d |", n, trans, t));
                        Map<String, Double> med = new LinkedHashMap<>();
                        for (String e : names) {
                            double m = Launch.median(results.stream()
                                .filter(r -> r.engine().equals(e) && r.dtype().equals(dtype) && r.n() == n && r.trans().equals(trans) && r.threads() == t)
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
