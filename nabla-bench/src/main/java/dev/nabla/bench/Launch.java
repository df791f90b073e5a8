package dev.nabla.bench;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

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
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Starts one engine of a side-by-side run in its own process, with that engine's thread settings, and
 * collects the lines it prints that start with {@code RESULT}. The engines' thread settings: Nabla
 * {@code -Dnabla.threads}; DJL {@code -Dai.djl.pytorch.num_threads} and {@code OMP_NUM_THREADS}; DL4J /
 * ND4J and NumPy {@code OMP_NUM_THREADS} and {@code OPENBLAS_NUM_THREADS}. DJL runs offline
 * ({@code -Dai.djl.offline=true}) with the PyTorch native library taken from the Maven artifact on the
 * class path and unpacked into a cache folder.
 *
 * <p>An engine named with a suffix, {@code numpy@SkylakeX}, runs with {@code OPENBLAS_CORETYPE} set to
 * what follows the {@code @}: OpenBLAS built for many CPUs (as NumPy's and ND4J's are) then uses that
 * CPU's kernels instead of the ones it picks itself. On an AMD Zen 5 host, NumPy's OpenBLAS 0.3.31 picks
 * its Haswell (AVX2) kernels, and with {@code SkylakeX} runs its AVX-512 ones at up to twice the speed.
 *
 * <p>The programs' command lines are parsed by picocli; {@link #parse}, {@link #require} and
 * {@link #checkEngines} are what they share of it.
 */
public final class Launch {
    private Launch() {}

    /** What the programs' {@code -V} prints. */
    public static final String VERSION = "nabla-bench 0.1.0";

    /**
     * The options both side-by-side programs take (a picocli mixin): the thread counts and
     * repetitions of the rounds, and where the peers' processes come from.
     */
    public static final class RoundOptions {
        @Option(names = "--threads", split = ",", paramLabel = "N", defaultValue = "1,2",
            description = "Thread counts, each engine run on each (default: ${DEFAULT-VALUE}).")
        public int[] threads;

        @Option(names = "--reps", paramLabel = "R", defaultValue = "3", description = "Repetitions (default: ${DEFAULT-VALUE}).")
        public int reps;

        @Option(names = "--djl-cache", paramLabel = "DIR", defaultValue = "target/djl-cache",
            description = "Where DJL unpacks the PyTorch library (default: ${DEFAULT-VALUE}).")
        public String djlCache;

        @Option(names = "--python", paramLabel = "PYTHON", defaultValue = "python3", description = "The Python that runs NumPy (default: ${DEFAULT-VALUE}).")
        public String python;

        /**
         * Checks the thread counts and repetitions (a ParameterException of spec's command line),
         * drops the NumPy engines when the Python has no NumPy (see {@link #dropNumpyIfAbsent}), creates
         * the DJL cache folder, and returns the settings the engines' processes start with.
         */
        public Settings prepare(CommandSpec spec, List<String> engines, String nablaJvm, String what) throws IOException {
            for (int t : threads) require(spec, t >= 1, "--threads: at least 1, not " + t);
            require(spec, reps >= 1, "--reps: at least 1, not " + reps);
            dropNumpyIfAbsent(engines, python, what);
            Files.createDirectories(Path.of(djlCache));
            return new Settings(nablaJvm, djlCache, python);
        }
    }

    /** How an engine's process starts. */
    public enum Kind { NABLA, DJL, ND4J, PYTHON }

    /** Where the peers' and Nabla's processes get their settings from. */
    public record Settings(String nablaJvm, String djlCache, String python) {}

    /**
     * Runs {@code target} (a main class, or for {@link Kind#PYTHON} a script) on {@code threads}
     * threads with the arguments given; echoes its other output lines and returns its RESULT lines.
     */
    public static List<String> run(Kind kind, String target, int threads, List<String> args, Settings s, String openblasCore)
        throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        String n = String.valueOf(threads);
        List<String> cmd = new ArrayList<>();
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        switch (kind) {
            case NABLA -> {
                cmd.addAll(List.of(java, "--add-modules", "jdk.incubator.vector", "-Dnabla.threads=" + n));
                if (!s.nablaJvm().isBlank()) cmd.addAll(List.of(s.nablaJvm().trim().split("\\s+")));
                cmd.addAll(List.of("-cp", cp, target));
            }
            case DJL -> {
                env.put("OMP_NUM_THREADS", n);
                cmd.addAll(List.of(java, "-Dai.djl.offline=true", "-DENGINE_CACHE_DIR=" + new File(s.djlCache()).getAbsolutePath(),
                    "-Dai.djl.pytorch.num_threads=" + n, "-Dai.djl.pytorch.num_interop_threads=1", "-cp", cp, target));
            }
            case ND4J -> {
                env.put("OMP_NUM_THREADS", n);
                env.put("OPENBLAS_NUM_THREADS", n);
                cmd.addAll(List.of(java, "-cp", cp, target));
            }
            case PYTHON -> {
                env.put("OMP_NUM_THREADS", n);
                env.put("OPENBLAS_NUM_THREADS", n);
                cmd.addAll(List.of(s.python(), target));
            }
        }
        if (openblasCore != null) env.put("OPENBLAS_CORETYPE", openblasCore);
        cmd.addAll(args);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        List<String> results = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) results.add(line);
                else System.out.println(line);
            }
        }
        int code = p.waitFor();
        if (code != 0 || results.isEmpty())
            throw new IllegalStateException(Path.of(target).getFileName() + " with " + threads + " thread(s) failed (exit code "
                + code + (results.isEmpty() ? ", no RESULT line)" : ")"));
        return results;
    }

    /** The engine of a name such as {@code numpy@SkylakeX}: what precedes the {@code @}. */
    public static String engineOf(String name) {
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    /** The OpenBLAS core type of a name such as {@code numpy@SkylakeX} (null for none; {@link #checkEngines} checks it). */
    public static String coreOf(String name) {
        int at = name.indexOf('@');
        return at < 0 ? null : name.substring(at + 1);
    }

    /** The key=value fields of a RESULT line. */
    public static Map<String, String> fields(String line) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : line.substring("RESULT ".length()).trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) kv.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return kv;
    }

    /** One engine's run on some number of threads. */
    public interface Run {
        void run(String engine, int threads) throws IOException, InterruptedException;
    }

    /**
     * A runner's options: picocli parses {@code args} into {@code command}, whose {@code call()} checks
     * them and returns them. Exits after {@code --help} (the usage on stdout, status 0) and after a bad
     * option or value, or a ParameterException from {@code call()} (picocli's message and the usage on
     * stderr, status 2).
     */
    public static <T> T parse(Callable<T> command, String[] args) {
        CommandLine cl = new CommandLine(command);
        int code = cl.execute(args);
        T options = cl.getExecutionResult();
        if (options == null) System.exit(code);
        return options;
    }

    /** Throws picocli's ParameterException for {@code spec}'s command line, with {@code message}, unless {@code ok}. */
    public static void require(CommandSpec spec, boolean ok, String message) {
        if (!ok) throw new ParameterException(spec.commandLine(), message);
    }

    /**
     * Checks the names given to {@code --engines}: each is one of {@code known}, and one of {@code withCore}
     * may be followed by @ and an OpenBLAS core type (letters, digits, _). The first other name is a
     * ParameterException of {@code spec}'s command line that says {@code expected}.
     */
    public static void checkEngines(CommandSpec spec, List<String> engines, Set<String> known, Set<String> withCore, String expected) {
        for (String e : engines) {
            String engine = engineOf(e), core = coreOf(e);
            require(spec, known.contains(engine) && (core == null || withCore.contains(engine) && core.matches("[A-Za-z0-9_]+")),
                "--engines: unknown engine " + e + " (expected " + expected + ")");
        }
    }

    /**
     * Runs every engine on each thread count, {@code reps} times; within a repetition the engines take
     * turns, and who goes first rotates from one repetition to the next, so that a change in the
     * machine's load falls on all of them alike. Progress goes to stderr, headed {@code what}.
     */
    public static void rounds(String what, int reps, int[] threads, List<String> engines, Run run)
        throws IOException, InterruptedException {
        for (int rep = 0; rep < reps; rep++)
            for (int t : threads)
                for (int e = 0; e < engines.size(); e++) {
                    String engine = engines.get((e + rep) % engines.size());
                    System.err.printf(Locale.ROOT, "%s: rep %d/%d, %s, %d thread(s), load %s%n", what, rep + 1, reps, engine, t, loadAverage());
                    run.run(engine, t);
                }
    }

    /** Removes the NumPy engines ({@code numpy}, {@code numpy@...}) from the list, saying so, when {@code python} has no NumPy. */
    public static void dropNumpyIfAbsent(List<String> engines, String python, String what) {
        if (engines.stream().anyMatch(e -> engineOf(e).equals("numpy")) && !hasNumpy(python)) {
            System.err.println(what + ": " + python + " with numpy not found; skipping numpy");
            engines.removeIf(e -> engineOf(e).equals("numpy"));
        }
    }

    /** Whether {@code python} runs and imports numpy. */
    public static boolean hasNumpy(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** A script of src/main/python, from the repository root or from nabla-bench. */
    public static Path pythonScript(String name) {
        for (String dir : List.of("nabla-bench/src/main/python/", "src/main/python/"))
            if (Files.isRegularFile(Path.of(dir + name))) return Path.of(dir + name).toAbsolutePath();
        throw new IllegalStateException(name + " not found (run from the repository root or nabla-bench)");
    }

    /** The one-minute load average, for the progress lines ("?" where /proc is absent). */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** The median (NaN for none). */
    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
