package dev.nabla.cli.train;

import dev.nabla.array.NdArray;
import dev.nabla.io.Safetensors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TrainCommandTest {
    @TempDir Path dir;

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static void assertPng(Path p) throws IOException {
        assertTrue(Files.isRegularFile(p), p + " exists");
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(p), 8);
        assertArrayEquals(PNG, head, p + " is a PNG");
        assertTrue(Files.size(p) > 2000, p + " has a picture in it");
    }

    @Test
    void trainOnSpiralsWritesTheRunFolder() throws IOException {
        Path run = dir.resolve("run");
        Run.Result r = Run.nabla("train", "--samples", "300", "--epochs", "3", "--layers", "16,16", "--out", run.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("training MLP 2-16-16-3 (relu) on spirals (240 samples, 60 for validation, 3 classes)"), r.out());
        for (int e = 1; e <= 3; e++) assertTrue(r.out().contains("epoch " + e + "/3  loss "), r.out());
        assertTrue(r.out().contains("final validation accuracy "), r.out());
        assertFalse(r.out().contains("\r"), "no progress bar when the output is not a terminal");
        for (String f : List.of("model.safetensors", "checkpoint.safetensors", "metrics.csv", "settings.json"))
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        for (String f : List.of("loss.png", "accuracy.png", "decision_boundary.png")) assertPng(run.resolve(f));
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds", metrics.get(0));
        assertEquals(4, metrics.size());
        String[] last = metrics.get(3).split(",");
        assertEquals("3", last[0]);
        assertEquals(7, last.length);
        for (String v : last) assertFalse(v.isEmpty(), metrics.get(3));
        Safetensors.Contents model = Safetensors.read(run.resolve("model.safetensors"));
        assertEquals(List.of("0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight"), List.copyOf(model.tensors().keySet()));
        assertTrue(model.metadata().get("nabla.architecture").contains("\"hidden\":[16,16]"));
        try (var files = Files.list(run)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void batchNormalizedRunKeepsItsStatisticsForEvaluation() throws IOException {
        // a CSV dataset, so that evaluate scores the run's own held-out validation samples
        StringBuilder csv = new StringBuilder("x,y,quadrant\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
        for (int i = 0; i < 400; i++) {
            double x = rng.nextDouble(-1, 1), y = rng.nextDouble(-1, 1);
            csv.append(x).append(',').append(y).append(',').append(x * y > 0 ? "same" : "opposite").append('\n');
        }
        Path file = dir.resolve("quadrants.csv");
        Files.writeString(file, csv);
        Path run = dir.resolve("bn");
        Run.Result r = Run.nabla("train", "--dataset", file.toString(), "--epochs", "8", "--layers", "16,16", "--norm", "batch",
            "--progress", "none", "--out", run.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("training MLP 2-16-16-2 (relu, batch norm) on quadrants"), r.out());
        Map<String, NdArray> model = Safetensors.read(run.resolve("model.safetensors")).tensors();
        assertTrue(model.keySet().containsAll(List.of("1.running_mean", "1.running_var", "1.num_batches_tracked", "4.running_mean")), model.keySet().toString());
        assertEquals(8 * 10, model.get("1.num_batches_tracked").item(), "one update per training batch: 320 samples in batches of 32, 8 epochs");

        // evaluation mode with the saved running statistics gives the validation accuracy that training reported
        String trained = r.out().lines().filter(l -> l.startsWith("final validation accuracy ")).findFirst().orElseThrow();
        String percent = trained.substring("final validation accuracy ".length()).split("%")[0];
        Run.Result e = Run.nabla("evaluate", "--model", run.resolve("model.safetensors").toString());
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().contains("held-out validation samples") && e.out().contains("accuracy " + percent + "%"), trained + " / " + e.out());

        Run.Result bad = Run.nabla("train", "--norm", "group");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--norm group: choose none, batch, layer"), bad.err());
    }

    @Test
    void defaultSettingsLearnSpiralsToNinetyEightPercent() {
        Path run = dir.resolve("default");
        Run.Result r = Run.nabla("train", "--out", run.toString(), "--progress", "none");
        assertEquals(0, r.exit(), r.err());
        String line = r.out().lines().filter(l -> l.startsWith("final validation accuracy ")).findFirst().orElseThrow();
        double acc = Double.parseDouble(line.substring("final validation accuracy ".length(), line.indexOf('%')));
        assertTrue(acc >= 98.0, line);
    }

    @Test
    void resumedRunEndsWithTheSameModelAndMetrics() throws IOException {
        Path straight = dir.resolve("straight"), split = dir.resolve("split");
        String[] common = {"--samples", "200", "--layers", "8", "--optimizer", "sgd", "--schedule", "step", "--step-size", "2", "--progress", "none"};
        assertEquals(0, Run.nabla(concat(new String[] {"train", "--epochs", "4", "--out", straight.toString()}, common)).exit());
        assertEquals(0, Run.nabla(concat(new String[] {"train", "--epochs", "2", "--out", split.toString()}, common)).exit());
        Run.Result resumed = Run.nabla("train", "--resume", split.toString(), "--epochs", "4", "--progress", "lines");
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.out().contains("resuming after epoch 2"), resumed.out());
        assertFalse(resumed.out().contains("epoch 1/4"), "epochs already done are not run again");
        assertTrue(resumed.out().contains("epoch 3/4") && resumed.out().contains("epoch 4/4"), resumed.out());

        assertEquals(withoutSeconds(straight.resolve("metrics.csv")), withoutSeconds(split.resolve("metrics.csv")));
        Map<String, NdArray> a = Safetensors.read(straight.resolve("model.safetensors")).tensors();
        Map<String, NdArray> b = Safetensors.read(split.resolve("model.safetensors")).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);

        Run.Result done = Run.nabla("train", "--resume", split.toString());
        assertEquals(2, done.exit());
        assertTrue(done.err().contains("already done 4 of its 4 epochs"), done.err());
        Run.Result changed = Run.nabla("train", "--resume", split.toString(), "--epochs", "6", "--lr", "0.5");
        assertEquals(2, changed.exit());
        assertTrue(changed.err().contains("--lr cannot be changed when resuming"), changed.err());
    }

    @Test
    void resumedBatchNormalizedRunContinuesWithItsRunningStatistics() throws IOException {
        Path straight = dir.resolve("bn-straight"), split = dir.resolve("bn-split");
        String[] common = {"--samples", "200", "--layers", "8", "--norm", "batch", "--optimizer", "sgd", "--schedule", "step", "--step-size", "2",
            "--progress", "none"};   // a schedule that does not depend on --epochs
        assertEquals(0, Run.nabla(concat(new String[] {"train", "--epochs", "4", "--out", straight.toString()}, common)).exit());
        assertEquals(0, Run.nabla(concat(new String[] {"train", "--epochs", "2", "--out", split.toString()}, common)).exit());
        Run.Result resumed = Run.nabla("train", "--resume", split.toString(), "--epochs", "4", "--progress", "none");
        assertEquals(0, resumed.exit(), resumed.err());
        assertEquals(withoutSeconds(straight.resolve("metrics.csv")), withoutSeconds(split.resolve("metrics.csv")));
        Map<String, NdArray> a = Safetensors.read(straight.resolve("model.safetensors")).tensors();
        Map<String, NdArray> b = Safetensors.read(split.resolve("model.safetensors")).tensors();
        assertTrue(a.containsKey("1.running_var"), a.keySet().toString());
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
    }

    @Test
    void onecycleScheduleFollowsTheCycleOverTheEpochs() throws IOException {
        Path run = dir.resolve("onecycle");
        Run.Result r = Run.nabla("train", "--samples", "200", "--layers", "8", "--optimizer", "sgd", "--lr", "0.1", "--epochs", "4",
            "--schedule", "onecycle", "--progress", "none", "--out", run.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("sgd lr 0.1, onecycle schedule, 4 epochs"), r.out());
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(5, metrics.size());
        // PyTorch's OneCycleLR with max_lr 0.1 and total_steps 4, computed in python3 from its documented formulas
        // (cos annealing; phase ends 0.3·4 − 1 = 0.2 and 3): the rate of epochs 1 to 4
        double[] expected = {0.0040000000000000036, 0.0811745653949763, 0.028306099820869922, 4e-07};
        for (int e = 1; e <= 4; e++) {
            double lr = Double.parseDouble(metrics.get(e).split(",")[5]);
            assertEquals(expected[e - 1], lr, expected[e - 1] * 1e-13, "epoch " + e);
        }
    }

    @Test
    void multistepScheduleDropsTheRateAtItsMilestones() throws IOException {
        Path run = dir.resolve("multistep");
        Run.Result r = Run.nabla("train", "--samples", "200", "--layers", "8", "--optimizer", "sgd", "--lr", "0.1", "--epochs", "5",
            "--schedule", "multistep:2,4", "--gamma", "0.5", "--progress", "none", "--out", run.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("multistep:2,4 schedule"), r.out());
        // 0.1 for epochs 1-2, halved after epoch 2 and again after epoch 4 (PyTorch's MultiStepLR, stepped per epoch)
        assertRates(run, 0.1, 0.1, 0.05, 0.05, 0.025);
    }

    /** The lr column of the run's metrics.csv, epoch by epoch. */
    private static void assertRates(Path run, double... expected) throws IOException {
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(expected.length + 1, metrics.size(), "a header and one line per epoch");
        for (int e = 1; e <= expected.length; e++)
            assertEquals(expected[e - 1], Double.parseDouble(metrics.get(e).split(",")[5]), 1e-15, "epoch " + e);
    }

    @Test
    void warmupRaisesTheRateThenTheScheduleRunsOverTheRemainingEpochs() throws IOException {
        Path run = dir.resolve("warmup");
        Run.Result r = Run.nabla("train", "--samples", "200", "--layers", "8", "--optimizer", "sgd", "--lr", "0.1", "--epochs", "5",
            "--warmup", "2", "--progress", "none", "--out", run.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("2 warm-up epochs then cosine schedule"), r.out());
        // 0.1 · (0.1 + 0.9 · t/2) for t = 0, 1; then cosine annealing over the other 3 epochs from its own step 0
        assertRates(run, 0.01, 0.055, 0.1, 0.1 * (1 + Math.cos(Math.PI / 3)) / 2, 0.1 * (1 + Math.cos(2 * Math.PI / 3)) / 2);
        assertTrue(Files.readString(run.resolve("settings.json")).contains("\"warmup\":2"), "settings.json keeps the warm-up");
    }

    /** A run with a warm-up stopped and resumed ends as the uninterrupted one (no schedule after it: its rates do not depend on --epochs). */
    @Test
    void warmupResumesWhereItStopped() throws IOException {
        String[] common = {"train", "--samples", "200", "--layers", "8", "--optimizer", "sgd", "--lr", "0.1", "--warmup", "3", "--schedule", "none",
            "--progress", "none"};
        Path whole = dir.resolve("warm-whole"), part = dir.resolve("warm-part");
        assertEquals(0, Run.nabla(concat(common, new String[] {"--epochs", "5", "--out", whole.toString()})).exit());
        assertEquals(0, Run.nabla(concat(common, new String[] {"--epochs", "4", "--out", part.toString()})).exit());
        Run.Result r = Run.nabla("train", "--resume", part.toString(), "--epochs", "5", "--progress", "none");
        assertEquals(0, r.exit(), r.err());
        assertEquals(withoutSeconds(whole.resolve("metrics.csv")), withoutSeconds(part.resolve("metrics.csv")));
        assertEquals(0.1, Double.parseDouble(Files.readAllLines(whole.resolve("metrics.csv")).get(5).split(",")[5]), 0.0);
    }

    private static List<String> withoutSeconds(Path metrics) throws IOException {
        return Files.readAllLines(metrics).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void progressBarRedrawsInPlace() {
        Run.Result r = Run.nabla("train", "--samples", "200", "--epochs", "2", "--layers", "8", "--progress", "bar",
            "--out", dir.resolve("bar").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\r"), "the bar returns to the start of the line");
        assertTrue(r.out().contains("samples/s") && r.out().contains("ETA "), r.out());
        assertTrue(r.out().contains("epoch 2/2  loss "), r.out());
    }

    @Test
    void csvClassificationAndRegression() throws IOException {
        StringBuilder cls = new StringBuilder("a,b,c,kind\n"), reg = new StringBuilder("u,v,target\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < 120; i++) {
            double a = rng.nextDouble() * 10, b = rng.nextDouble(), c = rng.nextDouble() - 0.5;
            cls.append(a).append(',').append(b).append(',').append(c).append(',').append(a > 5 ? 1 : 0).append('\n');
            reg.append(b).append(',').append(c).append(',').append(2 * b - c + 0.5).append('\n');
        }
        Path clsFile = Files.writeString(dir.resolve("kinds.csv"), cls), regFile = Files.writeString(dir.resolve("values.csv"), reg);
        Path runC = dir.resolve("c"), runR = dir.resolve("r");
        Run.Result c = Run.nabla("train", "--dataset", clsFile.toString(), "--label-column", "kind", "--epochs", "5", "--layers", "8",
            "--out", runC.toString());
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("on kinds (96 samples, 24 for validation, 2 classes)"), c.out());
        assertFalse(Files.exists(runC.resolve("decision_boundary.png")), "three features: no 2-D picture");
        Run.Result r = Run.nabla("train", "--dataset", regFile.toString(), "--loss", "mse", "--epochs", "5", "--layers", "8",
            "--out", runR.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("regression") && r.out().contains("final validation loss"), r.out());
        assertFalse(Files.exists(runR.resolve("accuracy.png")), "no accuracy for regression");
        assertPng(runR.resolve("loss.png"));
        List<String> metrics = Files.readAllLines(runR.resolve("metrics.csv"));
        assertTrue(metrics.get(1).matches("1,[^,]+,,[^,]+,,[^,]+,[^,]+"), "accuracy columns empty: " + metrics.get(1));

        // predict: the label column is recognized and dropped; one line per row.
        Run.Result p = Run.nabla("predict", "--model", runC.resolve("model.safetensors").toString(), "--input", clsFile.toString());
        assertEquals(0, p.exit(), p.err());
        List<String> lines = p.out().lines().toList();
        assertEquals("prediction,p_0,p_1", lines.get(0));
        assertEquals(121, lines.size());
        Run.Result pr = Run.nabla("predict", "--model", runR.resolve("model.safetensors").toString(), "--input", regFile.toString());
        assertEquals(0, pr.exit(), pr.err());
        assertEquals("target", pr.out().lines().findFirst().orElseThrow());

        Run.Result e = Run.nabla("evaluate", "--model", runC.resolve("model.safetensors").toString());
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().contains("held-out validation samples of kinds") && e.out().contains("accuracy ")
            && e.out().contains("confusion matrix"), e.out());
    }

    @Test
    void csvWithClassNamesAsLabels() throws IOException {
        StringBuilder t = new StringBuilder("x,y,species\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        String[] names = {"versicolor", "setosa", "virginica"};   // sorted: setosa 0, versicolor 1, virginica 2
        for (int i = 0; i < 150; i++) {
            int k = i % 3;
            t.append(k * 3 + rng.nextDouble()).append(',').append(rng.nextDouble()).append(',').append(names[k]).append('\n');
        }
        Path file = Files.writeString(dir.resolve("flowers.csv"), t);
        Path run = dir.resolve("flowers");
        Run.Result r = Run.nabla("train", "--dataset", file.toString(), "--label-column", "species", "--epochs", "30", "--layers", "8",
            "--progress", "none", "--out", run.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("3 classes"), r.out());

        // predict prints the names; a file of inputs only, then one with the (named) label column
        Path inputs = Files.writeString(dir.resolve("new.csv"), "x,y\n0.5,0.5\n6.5,0.5\n3.5,0.5\n");
        Run.Result p = Run.nabla("predict", "--model", run.resolve("model.safetensors").toString(), "--input", inputs.toString());
        assertEquals(0, p.exit(), p.err());
        List<String> lines = p.out().lines().toList();
        assertEquals("prediction,p_setosa,p_versicolor,p_virginica", lines.get(0));
        assertEquals(List.of("versicolor", "virginica", "setosa"), lines.subList(1, 4).stream().map(l -> l.split(",")[0]).toList(),
            "x near 0 is versicolor (names[0]), near 6 virginica, near 3 setosa");
        Run.Result pl = Run.nabla("predict", "--model", run.resolve("model.safetensors").toString(), "--input", file.toString());
        assertEquals(0, pl.exit(), pl.err());
        assertEquals(151, pl.out().lines().count());

        // evaluate on another file with only some of the classes: numbered by the model's names, not the file's
        Path some = Files.writeString(dir.resolve("some.csv"), "x,y,species\n6.5,0.5,virginica\n6.2,0.1,virginica\n0.4,0.9,versicolor\n");
        Run.Result e = Run.nabla("evaluate", "--model", run.resolve("model.safetensors").toString(), "--dataset", some.toString());
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().contains("accuracy 100.00% (3 of 3)"), e.out());
        assertTrue(e.out().contains("classes: 0 setosa, 1 versicolor, 2 virginica"), e.out());
        Path other = Files.writeString(dir.resolve("other.csv"), "x,y,species\n6.5,0.5,daisy\n0.4,0.9,versicolor\n");
        Run.Result bad = Run.nabla("evaluate", "--model", run.resolve("model.safetensors").toString(), "--dataset", other.toString());
        assertNotEquals(0, bad.exit());
        assertTrue(bad.err().contains(":2: label \"daisy\" in column \"species\" is not one of the classes setosa, versicolor, virginica"),
            bad.err());
    }

    @Test
    void mnistFromTheSharedFolder() {
        Path mnist = Run.mnist();
        Assumptions.assumeTrue(mnist != null, "MNIST not found: set NABLA_MNIST_DIR or put the files in ../shared/data/mnist beside the repository");
        Path run = dir.resolve("mnist");
        Run.Result r = Run.nabla("train", "--dataset", "mnist", "--data-dir", mnist.toString(), "--layers", "64", "--epochs", "1",
            "--batch-size", "32", "--lr", "0.002", "--augment", "shift:1", "--out", run.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("8000 digits to train, 2000 to validate"), r.out());
        String line = r.out().lines().filter(l -> l.startsWith("final validation accuracy ")).findFirst().orElseThrow();
        double acc = Double.parseDouble(line.substring("final validation accuracy ".length(), line.indexOf('%')));
        assertTrue(acc > 88, line);
        Run.Result e = Run.nabla("evaluate", "--model", run.resolve("model.safetensors").toString());
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().contains("the 2,000 held-out validation samples of mnist"), e.out());
    }
}
