package dev.nabla.bench.mlp;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
 * a region that is reused, which holds the resident memory down). The engines' thread settings: Nabla
 * {@code -Dnabla.threads}; DJL {@code -Dai.djl.pytorch.num_threads} and {@code OMP_NUM_THREADS};
 * DL4J and NumPy {@code OMP_NUM_THREADS} and {@code OPENBLAS_NUM_THREADS}. DJL runs offline
 * ({@code -Dai.djl.offline=true}) with the PyTorch native library taken from the Maven artifact on
 * the class path and unpacked into the cache folder.
 */
public final class SideBySide {
    private SideBySide() {}

    private record Result(String engine, int threads, double samplesPerSecond, double peakRssMb, double loss) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--threads", "1,2", "--reps", "3", "--epochs", "15",
            "--warmup", "20", "--warmup-seconds", "5", "--engines", "nabla,nabla-kernels,djl,dl4j,numpy", "--djl-cache", "target/djl-cache", "--python", "python3",
            "--nabla-jvm", "-XX:+UseSerialGC -Xmn64m -Xmx512m"));
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length || !o.containsKey(args[i]) && !args[i].equals("--data"))
                throw new IllegalArgumentException("usage: SideBySide [--option value]..., options " + o.keySet() + " and --data; got " + Arrays.toString(args));
            o.put(args[i], args[i + 1]);
        }
        int[] threads = Arrays.stream(o.get("--threads").split(",")).mapToInt(Integer::parseInt).toArray();
        int reps = Integer.parseInt(o.get("--reps"));
        List<String> engines = new ArrayList<>(List.of(o.get("--engines").split(",")));
        if (engines.contains("numpy") && !hasNumpy(o.get("--python"))) {
            System.err.println("side-by-side: " + o.get("--python") + " with numpy not found; skipping numpy");
            engines.remove("numpy");
        }
        Files.createDirectories(Path.of(o.get("--djl-cache")));
        List<Result> results = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            for (int t : threads) {
                for (int e = 0; e < engines.size(); e++) {
                    String engine = engines.get((e + rep) % engines.size());   // rotate who goes first
                    System.err.printf(Locale.ROOT, "side-by-side: rep %d/%d, %s, %d thread(s), load %s%n",
                        rep + 1, reps, engine, t, loadAverage());
                    results.add(runOne(engine, t, o));
                }
            }
        }
        printTable(results, engines, threads);
    }

    private static Result runOne(String engine, int threads, Map<String, String> o) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<String> workload = List.of("--threads", String.valueOf(threads), "--epochs", o.get("--epochs"),
            "--warmup", o.get("--warmup"), "--warmup-seconds", o.get("--warmup-seconds"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        String n = String.valueOf(threads);
        switch (engine) {
            case "nabla" -> {
                cmd.addAll(List.of(java, "--add-modules", "jdk.incubator.vector", "-Dnabla.threads=" + n));
                cmd.addAll(List.of(o.get("--nabla-jvm").trim().split("\\s+")));
                cmd.addAll(List.of("-cp", cp, NablaMlp.class.getName()));
            }
            case "nabla-kernels" -> {
                cmd.addAll(List.of(java, "--add-modules", "jdk.incubator.vector", "-Dnabla.threads=" + n));
                cmd.addAll(List.of(o.get("--nabla-jvm").trim().split("\\s+")));
                cmd.addAll(List.of("-cp", cp, NablaKernelsMlp.class.getName()));
            }
            case "djl" -> {
                env.put("OMP_NUM_THREADS", n);
                cmd.addAll(List.of(java, "-Dai.djl.offline=true", "-DENGINE_CACHE_DIR=" + new File(o.get("--djl-cache")).getAbsolutePath(),
                    "-Dai.djl.pytorch.num_threads=" + n, "-Dai.djl.pytorch.num_interop_threads=1", "-cp", cp, DjlMlp.class.getName()));
            }
            case "dl4j" -> {
                env.put("OMP_NUM_THREADS", n);
                env.put("OPENBLAS_NUM_THREADS", n);
                cmd.addAll(List.of(java, "-cp", cp, Dl4jMlp.class.getName()));
            }
            case "numpy" -> {
                env.put("OMP_NUM_THREADS", n);
                env.put("OPENBLAS_NUM_THREADS", n);
                cmd.addAll(List.of(o.get("--python"), numpyScript().toString()));
            }
            default -> throw new IllegalArgumentException("unknown engine " + engine + " (expected nabla, nabla-kernels, djl, dl4j, numpy)");
        }
        cmd.addAll(workload);
        if (o.containsKey("--data")) cmd.addAll(List.of("--data", o.get("--data")));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        Result r = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) r = parse(line);
                else System.out.println(line);
            }
        }
        int code = p.waitFor();
        if (code != 0 || r == null)
            throw new IllegalStateException(engine + " with " + threads + " thread(s) failed (exit code " + code + ", no RESULT line)");
        return r;
    }

    private static Result parse(String line) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : line.substring("RESULT ".length()).trim().split("\\s+")) {
            int eq = part.indexOf('=');
            kv.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return new Result(kv.get("engine"), Integer.parseInt(kv.get("threads")), Double.parseDouble(kv.get("samples_per_s")),
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
                String name = names.get(e);
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
        double[] v = results.stream().filter(r -> r.engine().equals(engine) && r.threads() == threads)
            .mapToDouble(Result::samplesPerSecond).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static boolean hasNumpy(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The NumPy runner: beside the classes in the source tree, or next to the working folder. */
    private static Path numpyScript() {
        for (String c : List.of("nabla-bench/src/main/python/mlp_numpy.py", "src/main/python/mlp_numpy.py"))
            if (Files.isRegularFile(Path.of(c))) return Path.of(c).toAbsolutePath();
        throw new IllegalStateException("mlp_numpy.py not found (run from the repository root or nabla-bench)");
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
