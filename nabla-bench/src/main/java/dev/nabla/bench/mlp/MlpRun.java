package dev.nabla.bench.mlp;

import dev.nabla.bench.Launch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The MLP workload of the side-by-side comparison, shared by every engine's runner: a 784-256-256-10
 * network with ReLU, softmax cross-entropy (mean over the batch), plain SGD with lr 0.1, batch 128,
 * float32, the data shuffled every epoch. With {@code --model cnn} the network is the small CNN of
 * {@link Model#CNN} instead, on the same data, loss and optimizer. Throughput is the median over the measured epochs of
 * samples per second, after the warm-up epochs. The runner prints one line starting with
 * {@code RESULT} that {@link SideBySide} reads:
 * {@code RESULT engine=... threads=... samples_per_s=... loss=... peak_rss_mb=...}.
 *
 * <p>Arguments ({@code --help} lists them): {@code --model mlp|cnn --threads N --epochs E --warmup W --warmup-seconds T
 * --batch B --lr LR --seed S --data DIR}.
 * The warm-up lasts W epochs and, when T &gt; 0, until T seconds of training have passed as well:
 * on the 10,000-digit test set an epoch is 78 steps, and a JIT compiles code that runs once per step (the
 * library's autograd engine, for instance) only after a few thousand calls, so a count of epochs
 * that is ample for one engine leaves another one's first measured epochs still compiling.
 */
public final class MlpRun {
    private MlpRun() {}

    /** One engine's model and optimizer: takes one SGD step on a batch and returns its loss. */
    public interface Engine extends AutoCloseable {
        String name();

        /** Forward, loss, backward and SGD update on x (batch × 784, row-major) and labels y. */
        float step(float[] x, int[] y, int batch);

        @Override default void close() {}
    }

    /** The network every engine trains. */
    public enum Model {
        /** 784-256-256-10, ReLU. */
        MLP,
        /**
         * The digits as 1 × 28 × 28 images: Conv(1 → 16, 3 × 3, padding 1), ReLU, 2 × 2 max pooling,
         * Conv(16 → 32, 3 × 3, padding 1), ReLU, 2 × 2 max pooling, flatten, Linear(32·7·7 → 10).
         */
        CNN
    }

    /** Parsed command line. */
    public record Options(Model model, int threads, int epochs, int warmup, double warmupSeconds, int batch, double lr, long seed, String data) {
        /** Parses the command line with picocli; exits after {@code --help} (status 0) or a bad option or value (status 2). */
        public static Options parse(String[] args) {
            return Launch.parse(new Cli(), args);
        }
    }

    /** The options as picocli fills them. */
    @Command(name = "MlpRun", mixinStandardHelpOptions = true, version = Launch.VERSION, sortOptions = false,
        description = "Trains the MLP workload in one engine and prints its RESULT line.")
    private static final class Cli implements Callable<Options> {
        @Option(names = "--model", paramLabel = "MODEL", defaultValue = "mlp", converter = ModelConverter.class,
            description = "The network: mlp or cnn (default: ${DEFAULT-VALUE}).")
        Model model;

        @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads: the size of Nabla's pool; the peers take theirs from their launcher, and this only labels their RESULT line (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--epochs", paramLabel = "E", defaultValue = "10", description = "Measured epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--warmup", paramLabel = "W", defaultValue = "2", description = "Warm-up epochs, at least (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--warmup-seconds", paramLabel = "T", defaultValue = "0",
            description = "Seconds of warm-up training, at least (default: ${DEFAULT-VALUE}).")
        double warmupSeconds;

        @Option(names = "--batch", paramLabel = "B", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.1", description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
        double lr;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the initial weights and the shuffles (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--data", paramLabel = "DIR",
            description = "The MNIST folder (default: $NABLA_MNIST_DIR, else ../shared/data/mnist or shared/data/mnist from the working folder upwards).")
        String data;

        @Override
        public Options call() {
            return new Options(model, threads, epochs, warmup, warmupSeconds, batch, lr, seed, data);
        }
    }

    /** mlp or cnn, in any case. */
    static final class ModelConverter implements picocli.CommandLine.ITypeConverter<Model> {
        @Override
        public Model convert(String value) {
            for (Model m : Model.values()) if (m.name().equalsIgnoreCase(value)) return m;
            throw new picocli.CommandLine.TypeConversionException("expected mlp or cnn, not '" + value + "'");
        }
    }

    /** Fails (exit 2, one line) when an engine that trains only the MLP is asked for another model. */
    static void requireMlp(Options o, String engine) {
        if (o.model() != Model.MLP) {
            System.err.println(engine + ": trains the MLP only, not --model " + o.model().name().toLowerCase(Locale.ROOT));
            System.exit(2);
        }
    }

    /** Trains through the warm-up (see the class comment), then for the measured epochs, and prints the RESULT line. */
    public static void run(Options o, MlpData data, Engine engine) {
        float[] x = new float[o.batch() * MlpData.FEATURES];
        int[] y = new int[o.batch()];
        int steps = data.size / o.batch();
        double[] rates = new double[o.epochs()];
        float lastLoss = Float.NaN;
        long start = System.nanoTime();
        int warmup = o.warmup() == 0 && o.warmupSeconds() <= 0 ? 0 : -1;   // the warm-up's epochs, once it has ended
        for (int e = 0; warmup < 0 || e < warmup + o.epochs(); e++) {
            boolean warming = warmup < 0;
            int[] perm = data.permutation(o.seed(), e);
            double lossSum = 0;
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                data.fill(perm, s * o.batch(), o.batch(), x, y);
                lossSum += engine.step(x, y, o.batch());
            }
            long t = System.nanoTime() - t0;
            lastLoss = (float) (lossSum / steps);
            double rate = steps * (double) o.batch() / (t / 1e9);
            if (!warming) rates[e - warmup] = rate;
            System.err.printf(Locale.ROOT, "%s threads=%d epoch %d%s: %.0f samples/s, mean loss %.4f%n",
                engine.name(), o.threads(), e, warming ? " (warm-up)" : "", rate, lastLoss);
            if (warming && e + 1 >= o.warmup() && (System.nanoTime() - start) / 1e9 >= o.warmupSeconds()) warmup = e + 1;
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
            : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        System.out.printf(Locale.ROOT, "RESULT engine=%s model=%s threads=%d samples_per_s=%.0f loss=%.4f peak_rss_mb=%.1f%n",
            engine.name(), o.model().name().toLowerCase(Locale.ROOT), o.threads(), median, lastLoss, peakRssMb());
    }

    /** VmHWM of this process from /proc/self/status, in MiB (NaN where /proc is absent). */
    public static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
