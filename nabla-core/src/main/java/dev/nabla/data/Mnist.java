package dev.nabla.data;

import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The MNIST handwritten digits: 28 × 28 grey images with labels 0 to 9, in four IDX files (see
 * {@link Idx}): {@code train-images-idx3-ubyte} and {@code train-labels-idx1-ubyte} (60,000 digits),
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte} (10,000), each raw or with
 * {@code .gz}. {@link #load} reads what a folder has: both sets, or only the test set.
 * {@link #download} fetches the four gzip files into a folder and checks their SHA-256 digests.
 *
 * <p>Images become float32 arrays [N, 28, 28] with values in [0, 1] (pixel / 255); labels float32
 * [N] with the digit.
 */
public final class Mnist {
    private Mnist() {}

    /** One distributed file: its name (without .gz), the SHA-256 and size of its .gz form. */
    public record RemoteFile(String name, String sha256, long gzipBytes) {
        public String gzipName() { return name + ".gz"; }
    }

    public static final RemoteFile TRAIN_IMAGES = new RemoteFile("train-images-idx3-ubyte",
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", 9_912_422);
    public static final RemoteFile TRAIN_LABELS = new RemoteFile("train-labels-idx1-ubyte",
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", 28_881);
    public static final RemoteFile TEST_IMAGES = new RemoteFile("t10k-images-idx3-ubyte",
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", 1_648_877);
    public static final RemoteFile TEST_LABELS = new RemoteFile("t10k-labels-idx1-ubyte",
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 4_542);

    public static final List<RemoteFile> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    /** Public copies of the original files, tried in order. */
    public static final List<URI> MIRRORS = List.of(
        URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
        URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"));

    /** The training set (null when the folder has only the test files) and the test set (null when it has only the training files). */
    public record Data(TensorDataset train, TensorDataset test) {}

    /** ~/.cache/nabla/mnist, where {@link #download} puts the files by default. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "nabla", "mnist");
    }

    /** True when the folder has at least one complete set (images and labels, raw or .gz). */
    public static boolean isPresent(Path dir) {
        return (find(dir, TEST_IMAGES) != null && find(dir, TEST_LABELS) != null)
            || (find(dir, TRAIN_IMAGES) != null && find(dir, TRAIN_LABELS) != null);
    }

    /** The file for f in dir: its raw name, its .gz name, or the variant with a dot ("t10k-images.idx3-ubyte"). */
    static Path find(Path dir, RemoteFile f) {
        String dotted = f.name().replaceFirst("-(idx\\d)", ".$1");
        for (String n : List.of(f.name(), f.gzipName(), dotted, dotted + ".gz")) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    /** Reads the sets the folder has; an error names the folder and the files it expected. */
    public static Data load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": no such folder (expected the MNIST files in it)");
        TensorDataset train = loadPair(dir, TRAIN_IMAGES, TRAIN_LABELS);
        TensorDataset test = loadPair(dir, TEST_IMAGES, TEST_LABELS);
        if (train == null && test == null)
            throw new IOException(dir + ": no MNIST files: expected " + TEST_IMAGES.name() + "[.gz] and " + TEST_LABELS.name()
                + "[.gz], and/or " + TRAIN_IMAGES.name() + "[.gz] and " + TRAIN_LABELS.name() + "[.gz]");
        return new Data(train, test);
    }

    private static TensorDataset loadPair(Path dir, RemoteFile imagesFile, RemoteFile labelsFile) throws IOException {
        Path ip = find(dir, imagesFile), lp = find(dir, labelsFile);
        if (ip == null && lp == null) return null;
        if (ip == null || lp == null)
            throw new IOException(dir + ": found " + (ip != null ? ip.getFileName() : lp.getFileName()) + " but not "
                + (ip == null ? imagesFile.name() : labelsFile.name()) + "[.gz]");
        NdArray images = Idx.read(ip), labels = Idx.read(lp);
        if (images.rank() != 3)
            throw new IOException(ip + ": expected images of shape [N, rows, columns], found " + Shapes.str(images.shape()));
        if (labels.rank() != 1)
            throw new IOException(lp + ": expected labels of shape [N], found " + Shapes.str(labels.shape()));
        if (images.size(0) != labels.size(0))
            throw new IOException(dir + ": " + ip.getFileName() + " has " + images.size(0) + " images but " + lp.getFileName()
                + " has " + labels.size(0) + " labels");
        float[] px = images.floatData();
        for (int i = 0; i < px.length; i++) {
            if (px[i] < 0 || px[i] > 255) throw new IOException(ip + ": pixel " + i + " is " + px[i] + ", expected 0 to 255");
            px[i] /= 255f;
        }
        float[] y = labels.floatData();
        for (int i = 0; i < y.length; i++)
            if (y[i] < 0 || y[i] > 9 || y[i] != Math.rint(y[i]))
                throw new IOException(lp + ": label " + i + " is " + y[i] + ", expected a digit 0 to 9");
        return new TensorDataset(images, labels);
    }

    /**
     * Downloads the files the folder lacks (all four, as .gz) from the first mirror that works,
     * verifying each file's SHA-256 before keeping it. Progress lines go to log.
     *
     * @throws IOException listing what each mirror answered when no mirror gave a file
     */
    public static void download(Path dir, List<URI> mirrors, Consumer<String> log) throws IOException {
        download(dir, mirrors, FILES, log);
    }

    /** As {@link #download(Path, List, Consumer)}, for a chosen list of files. */
    public static void download(Path dir, List<URI> mirrors, List<RemoteFile> files, Consumer<String> log) throws IOException {
        boolean created = !Files.exists(dir);
        Files.createDirectories(dir);
        try {
            fetchMissing(dir, mirrors, files, log);
        } catch (IOException e) {
            if (created) {
                try (var left = Files.list(dir)) {
                    if (left.findAny().isEmpty()) Files.delete(dir);   // leave no empty folder behind
                }
            }
            throw e;
        }
    }

    private static void fetchMissing(Path dir, List<URI> mirrors, List<RemoteFile> files, Consumer<String> log) throws IOException {
        for (RemoteFile f : files) {
            if (find(dir, f) != null) continue;
            List<String> failures = new ArrayList<>();
            boolean done = false;
            for (URI base : mirrors) {
                URI url = base.resolve(f.gzipName());
                log.accept("downloading " + url);
                try {
                    Download.fetch(url, dir.resolve(f.gzipName()), f.sha256());
                    done = true;
                    break;
                } catch (IOException e) {
                    failures.add(e.getMessage());
                }
            }
            if (!done) throw new IOException("could not download " + f.gzipName() + ": " + String.join("; ", failures));
        }
    }
}
