package dev.nabla.cli.train;

import dev.nabla.array.NdArray;
import dev.nabla.cli.UserError;
import dev.nabla.data.Csv;
import dev.nabla.data.Mnist;
import dev.nabla.data.Split;
import dev.nabla.data.Synthetic;
import dev.nabla.data.TensorDataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** Turns a dataset name (a synthetic set, mnist, or a CSV file) and the run's settings into prepared data. */
public final class DataSource {
    private DataSource() {}

    /** The built-in synthetic sets. */
    public static final List<String> SYNTHETIC = List.of("spirals", "moons", "circles", "xor", "blobs");

    /** The names --dataset accepts besides a CSV file. */
    public static final String CHOICES = "spirals, moons, circles, xor, blobs, mnist, or a CSV file";

    public static boolean isSynthetic(String dataset) { return SYNTHETIC.contains(dataset); }

    /** Default sample count of a synthetic set. */
    public static int defaultSamples(String dataset) { return dataset.equals("spirals") ? 2000 : 1000; }

    /** Default noise of a synthetic set (chosen so that a small MLP can separate the classes). */
    public static double defaultNoise(String dataset) {
        return switch (dataset) {
            case "spirals" -> 0.04;
            case "moons" -> 0.1;
            case "circles" -> 0.05;
            case "xor" -> 0.0;
            case "blobs" -> 0.15;
            default -> 0;
        };
    }

    /** Default class count (spirals and blobs may have more than 2). */
    public static int defaultClasses(String dataset) {
        return switch (dataset) {
            case "spirals", "blobs" -> 3;
            case "moons", "circles", "xor" -> 2;
            default -> 0;
        };
    }

    /** Checks that a dataset name is known or names an existing file, before anything is written. */
    public static void checkName(String dataset) {
        if (isSynthetic(dataset) || dataset.equals("mnist")) return;
        Path p = Path.of(dataset);
        if (Files.isRegularFile(p)) return;
        if (Files.isDirectory(p)) throw new UserError(dataset + ": is a folder; --dataset takes " + CHOICES + " (for MNIST use --dataset mnist --data-dir " + dataset + ")");
        boolean looksLikeFile = dataset.contains("/") || dataset.contains("\\") || dataset.toLowerCase(Locale.ROOT).endsWith(".csv");
        if (looksLikeFile) throw new UserError(dataset + ": no such file");
        throw new UserError("unknown dataset \"" + dataset + "\": choose " + CHOICES);
    }

    /**
     * The MNIST folder to use: the given one (which must hold the files), or the default cache,
     * where the files are downloaded when missing.
     */
    public static Path mnistDir(String given, Consumer<String> log) throws IOException {
        if (given != null) {
            Path dir = Path.of(given);
            if (!Files.isDirectory(dir)) throw new UserError(given + ": no such folder (--data-dir should hold the MNIST files)");
            if (!Mnist.isPresent(dir))
                throw new UserError(given + ": no MNIST files (expected t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz], "
                    + "or the train-* pair); leave out --data-dir to download them into " + Mnist.defaultCacheDir());
            return dir.toAbsolutePath().normalize();
        }
        Path cache = Mnist.defaultCacheDir();
        if (!Mnist.isPresent(cache)) {
            log.accept("MNIST is not in " + cache + "; downloading it (about 11 MB) ...");
            try {
                Mnist.download(cache, Mnist.MIRRORS, log);
            } catch (IOException e) {
                throw new UserError(e.getMessage() + " (no network? put the MNIST files in a folder and pass --data-dir)");
            }
        }
        return cache;
    }

    /** Loads the data the settings describe, split, with features normalized for training. */
    public static PreparedData load(Settings s) throws IOException {
        if (s.dataset().equals("mnist")) return mnist(s, true);   // normalized as loaded, in place: no copy
        PreparedData raw = raw(s);
        return normalized(raw, raw.normalization());
    }

    /**
     * Loads the data the settings describe, split, with the features as read (not normalized); its
     * normalization is the one training uses (MNIST's constants, or fitted on the training part of
     * a CSV file).
     */
    public static PreparedData raw(Settings s) throws IOException { return raw(s, null); }

    /**
     * {@link #raw(Settings)}, with a CSV file's label names numbered by classNames (a trained model's
     * classes) rather than in sorted order; null or empty for the file's own.
     */
    public static PreparedData raw(Settings s, List<String> classNames) throws IOException {
        if (isSynthetic(s.dataset())) return synthetic(s);
        if (s.dataset().equals("mnist")) return mnist(s, false);
        return csv(s, classNames == null || classNames.isEmpty() ? null : classNames);
    }

    /** The data with both parts' features scaled by norm (which becomes its normalization). */
    public static PreparedData normalized(PreparedData d, Normalization norm) {
        return new PreparedData(d.name(), normalized(d.train(), norm), normalized(d.validation(), norm), d.classes(), norm,
            d.featureNames(), d.labelName(), d.imageShape(), d.note(), d.classNames());
    }

    private static PreparedData synthetic(Settings s) {
        TensorDataset all = switch (s.dataset()) {
            case "spirals" -> Synthetic.spirals(s.samples(), s.classes(), s.noise(), s.seed());
            case "moons" -> Synthetic.moons(s.samples(), s.noise(), s.seed());
            case "circles" -> Synthetic.circles(s.samples(), s.noise(), 0.5, s.seed());
            case "xor" -> Synthetic.xor(s.samples(), s.noise(), s.seed());
            case "blobs" -> Synthetic.blobs(s.samples(), s.classes(), 2, s.noise(), s.seed());
            default -> throw new AssertionError(s.dataset());
        };
        Split split = split(all, s);
        return new PreparedData(s.dataset(), split.train(), split.validation(), all.numClasses(), Normalization.identity(),
            List.of("x", "y"), "label", null, null, null);
    }

    /**
     * MNIST as training and validation parts; with normalize the freshly loaded pixels are scaled in
     * place before the split (the parts then share one normalized array), else left as read.
     */
    private static PreparedData mnist(Settings s, boolean normalize) throws IOException {
        Mnist.Data data = Mnist.load(Path.of(s.dataDir()));
        Normalization norm = Normalization.mnist();
        if (normalize)
            for (TensorDataset part : new TensorDataset[] {data.train(), data.test()})
                if (part != null) norm.applyInPlace(part.features());
        TensorDataset train, val;
        String note;
        if (data.train() != null && data.test() != null) {
            train = data.train().flattened();
            val = data.test().flattened();
            note = "MNIST: " + train.size() + " training digits, validation on the " + val.size() + " test digits";
        } else {
            TensorDataset only = (data.train() != null ? data.train() : data.test()).flattened();
            Split split = split(only, s);
            train = split.train();
            val = split.validation();
            note = "MNIST (" + (data.train() != null ? "training" : "test") + " files only): " + train.size() + " digits to train, "
                + val.size() + " to validate";
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 784; i++) names.add("pixel" + i);
        return new PreparedData("mnist", train, val, 10, norm, names, "digit", new int[] {28, 28}, note, null);
    }

    private static PreparedData csv(Settings s, List<String> classNames) throws IOException {
        Path file = Path.of(s.dataset());
        Csv.Table table = Csv.read(file, s.labelColumn() == null ? "-1" : s.labelColumn(), null, classNames);
        TensorDataset all = table.dataset();
        if (all.size() < 2) throw new UserError(file + ": needs at least 2 rows of data to train and validate, found " + all.size());
        int classes = table.classNames().isEmpty() ? classesOf(table.labels()) : table.classNames().size();
        if (classes == 1)
            throw new UserError(file + ": every label in column \"" + table.labelName() + "\" is "
                + (table.classNames().isEmpty() ? "0" : "\"" + table.classNames().get(0) + "\"") + ": a classifier needs at least 2 classes");
        Split split = split(all, s);
        Normalization norm = Normalization.fit(split.train().features());
        String name = file.getFileName().toString().replaceFirst("(?i)\\.csv$", "");
        return new PreparedData(name, split.train(), split.validation(), classes, norm, table.featureNames(), table.labelName(), null, null,
            table.classNames());
    }

    /** max + 1 when every label is a whole number ≥ 0 (class indices), else 0 (regression targets). */
    static int classesOf(NdArray labels) {
        int max = -1;
        for (float v : labels.toFloatArray()) {
            if (v < 0 || v != Math.rint(v) || v > 100_000) return 0;
            max = Math.max(max, (int) v);
        }
        return max + 1;
    }

    private static Split split(TensorDataset all, Settings s) {
        if (s.valFraction() > 0 && all.size() < 2)
            throw new UserError("the dataset has " + all.size() + " sample; it cannot be split for validation (use --val-fraction 0)");
        return Split.random(all, s.valFraction(), s.seed());
    }

    /**
     * The dataset with its features scaled by norm: d itself for the identity, else a new dataset
     * (a view's features are gathered into a fresh array, which is then scaled in place).
     */
    static TensorDataset normalized(TensorDataset d, Normalization norm) {
        if (d.size() == 0 || norm.isIdentity()) return d;
        NdArray x = d.features();
        return new TensorDataset(d.isView() ? norm.applyInPlace(x) : norm.apply(x), d.labels());
    }
}
