package dev.nabla.cli.train;

import dev.nabla.array.NdArray;
import dev.nabla.data.Mnist;
import dev.nabla.data.TensorDataset;
import dev.nabla.io.Json;
import dev.nabla.io.Safetensors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code nabla train --model cnn}: on a few hundred real MNIST digits (skipped without them), on
 * made-up digits in MNIST's files (always), on a CSV file of pixels with --image-shape; evaluate,
 * predict and resume of a CNN run.
 */
class CnnTrainTest {
    @TempDir Path dir;

    // ================================================================ data

    /** Writes images [n, 28, 28] with values in [0, 1] and their labels as MNIST's test files (raw IDX) in a new folder. */
    static Path writeMnist(Path folder, float[] pixels, int[] labels) throws IOException {
        int n = labels.length;
        Files.createDirectories(folder);
        ByteArrayOutputStream images = new ByteArrayOutputStream(), lab = new ByteArrayOutputStream();
        DataOutputStream im = new DataOutputStream(images), lb = new DataOutputStream(lab);
        im.writeInt(0x00000803);
        im.writeInt(n);
        im.writeInt(28);
        im.writeInt(28);
        for (float p : pixels) im.writeByte(Math.round(p * 255));
        lb.writeInt(0x00000801);
        lb.writeInt(n);
        for (int l : labels) lb.writeByte(l);
        Files.write(folder.resolve("t10k-images-idx3-ubyte"), images.toByteArray());
        Files.write(folder.resolve("t10k-labels-idx1-ubyte"), lab.toByteArray());
        return folder;
    }

    /**
     * Made-up digits: digit k is a bright 8 × 4 block at its own place (one of 2 rows × 5 columns),
     * on a faint noisy background, moved by up to a pixel. Easy for a CNN, and always there.
     */
    static Path madeUpDigits(Path folder, int n, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] px = new float[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = i % 10;
            labels[i] = k;
            for (int j = 0; j < 784; j++) px[i * 784 + j] = (float) rng.nextDouble(0, 0.2);
            int top = 3 + 13 * (k / 5) + rng.nextInt(-1, 2), left = 1 + 5 * (k % 5) + rng.nextInt(0, 2);
            for (int r = top; r < top + 8; r++)
                for (int c = left; c < left + 4; c++) px[i * 784 + r * 28 + c] = 1f;
        }
        return writeMnist(folder, px, labels);
    }

    /** The first n real MNIST test digits in a new folder, or a skipped test when MNIST is absent. */
    static Path realDigits(Path folder, int n) throws IOException {
        Path mnist = Run.mnist();
        Assumptions.assumeTrue(mnist != null && Mnist.isPresent(mnist),
            "MNIST not found: set NABLA_MNIST_DIR or put the files in ../shared/data/mnist beside the repository");
        TensorDataset test = Mnist.load(mnist).test();
        Assumptions.assumeTrue(test != null, "MNIST's test files (t10k-*) are not in " + mnist);
        float[] all = test.features().contiguous().toFloatArray(), lab = test.labels().toFloatArray();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = (int) lab[i];
        return writeMnist(folder, java.util.Arrays.copyOf(all, n * 784), labels);
    }

    /** Rows of pixels (as read, in [0, 1]) of a MNIST folder's first n digits, as a CSV file with a header; and their labels. */
    static Map.Entry<Path, int[]> pixelsCsv(Path mnist, int n, Path csv) throws IOException {
        TensorDataset d = Mnist.load(mnist).test();
        float[] x = d.features().contiguous().toFloatArray(), y = d.labels().toFloatArray();
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < 784; j++) sb.append(j == 0 ? "" : ",").append("pixel").append(j);
        sb.append('\n');
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 784; j++) sb.append(j == 0 ? "" : ",").append(x[i * 784 + j]);
            sb.append('\n');
            labels[i] = (int) y[i];
        }
        return Map.entry(Files.writeString(csv, sb), labels);
    }

    private static double finalAccuracy(Run.Result r) {
        String line = r.out().lines().filter(l -> l.startsWith("final validation accuracy ")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        return Double.parseDouble(line.substring("final validation accuracy ".length(), line.indexOf('%')));
    }

    private static List<String> withoutSeconds(Path metrics) throws IOException {
        return Files.readAllLines(metrics).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    // ================================================================ tests

    @Test
    void cnnLearnsAFewHundredRealDigitsAndEvaluateAndPredictUseIt() throws IOException {
        Path digits = realDigits(dir.resolve("mnist"), 1000);
        Path run = dir.resolve("cnn");
        Run.Result r = Run.nabla("train", "--dataset", "mnist", "--data-dir", digits.toString(), "--model", "cnn", "--channels", "8,16",
            "--epochs", "3", "--progress", "lines", "--out", run.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("training CNN 1×28×28, conv 8-16, linear 784-10 (relu) on mnist (800 samples, 200 for validation, "
            + "10 classes); adam lr 0.003, cosine schedule, 3 epochs of batch 32"), r.out());
        double acc = finalAccuracy(r);
        assertTrue(acc > 80, "800 real digits, 3 epochs (89 % when written): " + acc + "%");

        Map<String, NdArray> model = Safetensors.read(run.resolve("model.safetensors")).tensors();
        // Unflatten, Conv2d, ReLU, MaxPool2d, Conv2d, ReLU, MaxPool2d, Flatten, Linear
        assertEquals(List.of("1.bias", "1.weight", "4.bias", "4.weight", "8.bias", "8.weight").stream().sorted().toList(),
            model.keySet().stream().sorted().toList());
        assertArrayEquals(new int[] {16, 8, 3, 3}, model.get("4.weight").shape());
        assertArrayEquals(new int[] {10, 784}, model.get("8.weight").shape());
        String settings = Files.readString(run.resolve("settings.json"));
        assertTrue(settings.contains("\"model\":\"cnn\",\"image_shape\":[1,28,28],\"channels\":[8,16],\"layers\":[]"), settings);

        Run.Result e = Run.nabla("evaluate", "--model", run.resolve("model.safetensors").toString());
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().startsWith("model CNN 1×28×28, conv 8-16, linear 784-10 (relu) ("), e.out());
        assertTrue(e.out().contains("the 200 held-out validation samples of mnist")
            && e.out().contains(String.format(Locale.ROOT, "accuracy %.2f%%", acc)), "training said " + acc + "%; evaluate: " + e.out());

        var csv = pixelsCsv(digits, 40, dir.resolve("digits.csv"));
        Run.Result p = Run.nabla("predict", "--model", run.resolve("model.safetensors").toString(), "--input", csv.getKey().toString());
        assertEquals(0, p.exit(), p.err());
        List<String> lines = p.out().lines().toList();
        assertEquals("prediction,p_0,p_1,p_2,p_3,p_4,p_5,p_6,p_7,p_8,p_9", lines.get(0));
        assertEquals(41, lines.size());
        int right = 0;
        for (int i = 0; i < 40; i++) if (lines.get(i + 1).split(",")[0].equals(String.valueOf(csv.getValue()[i]))) right++;
        assertTrue(right >= 32, right + " of 40 digits (most of them seen in training) predicted right");
    }

    @Test
    void batchNormalizedCnnResumesExactlyAndItsFileServesEvaluateAndPredict() throws IOException {
        Path digits = madeUpDigits(dir.resolve("made-up"), 300, 7);
        String[] common = {"--dataset", "mnist", "--data-dir", digits.toString(), "--model", "cnn", "--channels", "4,6", "--layers", "12",
            "--norm", "batch", "--schedule", "none", "--progress", "none"};
        Path whole = dir.resolve("whole"), part = dir.resolve("part");
        Run.Result w = Run.nabla(TrainCommandTest.concat(new String[] {"train", "--epochs", "3", "--out", whole.toString()}, common));
        assertEquals(0, w.exit(), w.err());
        assertTrue(w.out().contains("training CNN 1×28×28, conv 4-6, linear 294-12-10 (relu, batch norm) on mnist (240 samples"), w.out());
        assertEquals(0, Run.nabla(TrainCommandTest.concat(new String[] {"train", "--epochs", "2", "--out", part.toString()}, common)).exit());
        Run.Result resumed = Run.nabla("train", "--resume", part.toString(), "--epochs", "3", "--progress", "lines");
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.out().contains("resuming after epoch 2: CNN 1×28×28, conv 4-6, linear 294-12-10 (relu, batch norm)"), resumed.out());
        assertFalse(resumed.out().contains("epoch 1/3"), resumed.out());

        assertEquals(withoutSeconds(whole.resolve("metrics.csv")), withoutSeconds(part.resolve("metrics.csv")));
        Map<String, NdArray> a = Safetensors.read(whole.resolve("model.safetensors")).tensors();
        Map<String, NdArray> b = Safetensors.read(part.resolve("model.safetensors")).tensors();
        assertTrue(a.keySet().containsAll(List.of("2.running_mean", "2.running_var", "6.num_batches_tracked", "11.running_var")), a.keySet().toString());
        assertEquals(3 * 8, a.get("2.num_batches_tracked").item(), "240 digits in batches of 32: 8 per epoch");
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
        assertTrue(Run.nabla("train", "--resume", part.toString(), "--epochs", "4", "--model", "mlp").err()
            .contains("--model cannot be changed when resuming"));

        double acc = finalAccuracy(w);
        Run.Result e = Run.nabla("evaluate", "--model", whole.resolve("model.safetensors").toString());
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().contains(String.format(Locale.ROOT, "accuracy %.2f%%", acc)) && e.out().contains("confusion matrix"),
            "evaluation mode with the saved running statistics gives training's " + acc + "%: " + e.out());
        Run.Result c = Run.nabla("evaluate", "--model", whole.resolve("checkpoint.safetensors").toString());
        assertEquals(0, c.exit(), "a CNN's checkpoint rebuilds too: " + c.err());

        var csv = pixelsCsv(digits, 10, dir.resolve("ten.csv"));
        Path out = dir.resolve("predictions.csv");
        Run.Result p = Run.nabla("predict", "--model", whole.resolve("model.safetensors").toString(), "--input", csv.getKey().toString(),
            "-o", out.toString());
        assertEquals(0, p.exit(), p.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(11, lines.size());
        for (String l : lines.subList(1, 11)) {
            String[] f = l.split(",");
            double sum = 0;
            for (int k = 1; k <= 10; k++) sum += Double.parseDouble(f[k]);
            assertEquals(1, sum, 1e-4, "probabilities: " + l);
        }
        Path wrong = Files.writeString(dir.resolve("wrong.csv"), "a,b,c\n1,2,3\n");
        Run.Result bad = Run.nabla("predict", "--model", whole.resolve("model.safetensors").toString(), "--input", wrong.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("3 columns, but the model takes 784 input features (pixel0, pixel1, pixel2, pixel3, ..., pixel783)"), bad.err());
    }

    @Test
    void csvOfPixelsWithAnImageShape() throws IOException {
        // 8 × 8 images: a vertical bar (class "v") or a horizontal one ("h"), anywhere, on noise; the label first
        SplittableRandom rng = new SplittableRandom(5);
        StringBuilder sb = new StringBuilder("kind");
        for (int j = 0; j < 64; j++) sb.append(",p").append(j);
        sb.append('\n');
        for (int i = 0; i < 200; i++) {
            boolean vertical = i % 2 == 0;
            int at = rng.nextInt(1, 7);
            sb.append(vertical ? "v" : "h");
            for (int r = 0; r < 8; r++)
                for (int c = 0; c < 8; c++) sb.append(',').append((vertical ? c == at : r == at) ? 1 : Math.round(rng.nextDouble(0, 0.3) * 100) / 100.0);
            sb.append('\n');
        }
        Path file = Files.writeString(dir.resolve("bars.csv"), sb);
        Path run = dir.resolve("bars");
        Run.Result r = Run.nabla("train", "--dataset", file.toString(), "--label-column", "kind", "--model", "cnn", "--image-shape", "1,8,8",
            "--channels", "4", "--epochs", "15", "--progress", "none", "--out", run.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("training CNN 1×8×8, conv 4, linear 64-2 (relu) on bars (160 samples, 40 for validation, 2 classes)"), r.out());
        assertTrue(finalAccuracy(r) >= 90, r.out());
        Run.Result p = Run.nabla("predict", "--model", run.resolve("model.safetensors").toString(), "--input", file.toString());
        assertEquals(0, p.exit(), p.err());
        assertEquals("prediction,p_h,p_v", p.out().lines().findFirst().orElseThrow());
        assertEquals(201, p.out().lines().count());

        Run.Result wrong = Run.nabla("train", "--dataset", file.toString(), "--label-column", "kind", "--model", "cnn", "--image-shape", "1,8,7",
            "--epochs", "1", "--out", dir.resolve("no").toString());
        assertEquals(2, wrong.exit());
        assertEquals("train: --image-shape 1,8,7 is 56 values per image, but bars has 64 feature columns", wrong.err().strip());
        assertFalse(Files.exists(dir.resolve("no")), "no run folder");
    }

    /** Run folders and model files written before --model existed have settings without "model", "image_shape" and "channels". */
    @Test
    void oldMlpRunsStillEvaluatePredictAndResume() throws Exception {
        Path run = dir.resolve("old");
        assertEquals(0, Run.nabla("train", "--samples", "200", "--layers", "8", "--epochs", "2", "--schedule", "none", "--progress", "none",
            "--out", run.toString()).exit());
        for (String f : List.of("model.safetensors", "checkpoint.safetensors")) {
            Safetensors.Contents c = Safetensors.read(run.resolve(f));
            Map<String, String> meta = new LinkedHashMap<>(c.metadata());
            @SuppressWarnings("unchecked")
            Map<String, Object> settings = new LinkedHashMap<>((Map<String, Object>) Json.parse(meta.get(ModelCard.SETTINGS)));
            assertEquals("mlp", settings.remove("model"));
            assertNotNull(settings.remove("image_shape"));
            assertNotNull(settings.remove("channels"));
            meta.put(ModelCard.SETTINGS, Json.write(settings));
            Safetensors.write(run.resolve(f), c.tensors(), meta);
        }
        Run.Result e = Run.nabla("evaluate", "--model", run.resolve("model.safetensors").toString());
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().startsWith("model MLP 2-8-3 (relu)"), e.out());
        Path points = Files.writeString(dir.resolve("points.csv"), "x,y\n0.1,0.2\n-0.5,0.3\n");
        Run.Result p = Run.nabla("predict", "--model", run.resolve("model.safetensors").toString(), "--input", points.toString());
        assertEquals(0, p.exit(), p.err());
        assertEquals(3, p.out().lines().count());
        Run.Result resumed = Run.nabla("train", "--resume", run.toString(), "--epochs", "3", "--progress", "none");
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.out().contains("resuming after epoch 2: MLP 2-8-3 (relu)"), resumed.out());
    }

    @Test
    void settingsCarryTheArchitectureChoices() {
        Settings cnn = new Settings("mnist", "/data", null, 0, 0, 0, "cnn", List.of(1, 28, 28), List.of(16, 32), List.of(), "relu", "batch",
            "cross_entropy", "adam", 0.003, 0, 0, "cosine", 1, 0, 0, 2, 32, 42, 0.2, 0, 0, "none");
        assertEquals(cnn, Settings.fromJson(cnn.toJson()));
        assertTrue(cnn.isCnn());
        String old = cnn.toJson().replace("\"model\":\"cnn\",\"image_shape\":[1,28,28],\"channels\":[16,32],", "");
        Settings read = Settings.fromJson(old);
        assertEquals("mlp", read.model());
        assertEquals(List.of(), read.imageShape());
        assertEquals(List.of(), read.channels());
        var e = assertThrows(IllegalArgumentException.class, () -> Settings.fromJson(cnn.toJson().replace("\"image_shape\":[1,28,28]", "\"image_shape\":[]")));
        assertTrue(e.getMessage().contains("a cnn needs \"image_shape\""), e.getMessage());
        var m = assertThrows(IllegalArgumentException.class, () -> Settings.fromJson(cnn.toJson().replace("\"cnn\"", "\"rnn\"")));
        assertTrue(m.getMessage().contains("unknown \"model\" \"rnn\""), m.getMessage());
        var c = assertThrows(IllegalArgumentException.class, () -> Settings.fromJson(cnn.toJson().replace("[16,32]", "[16,0]")));
        assertTrue(c.getMessage().contains("\"channels\" entry 0 is not a positive integer"), c.getMessage());
    }
}
