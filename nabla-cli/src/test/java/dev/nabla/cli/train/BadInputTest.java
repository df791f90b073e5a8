package dev.nabla.cli.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A user's mistake in train, predict or evaluate gets one line naming what is wrong, exit code 2,
 * no stack trace, and no run folder.
 */
class BadInputTest {
    @TempDir Path dir;

    /** Runs train with --out in the temp folder; checks exit 2, one line, no trace, no folder; returns the message. */
    private String trainFails(String... args) {
        Path run = dir.resolve("run");
        String[] all = TrainCommandTest.concat(new String[] {"train", "--out", run.toString(), "--epochs", "1"}, args);
        return fails(all, run);
    }

    private static String fails(String[] args, Path mustNotExist) {
        Run.Result r = Run.nabla(args);
        String err = r.err().strip();
        assertEquals(2, r.exit(), "exit code; stderr: " + err + "; stdout: " + r.out());
        assertFalse(err.contains("\n"), "one line: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        if (mustNotExist != null) assertFalse(Files.exists(mustNotExist), "nothing written: " + mustNotExist);
        return err;
    }

    private static void assertContains(String actual, String expected) {
        assertTrue(actual.contains(expected), () -> "expected \"" + expected + "\" in: " + actual);
    }

    @Test
    void unknownDataset() {
        assertEquals("train: unknown dataset \"spiral\": choose spirals, moons, circles, xor, blobs, mnist, or a CSV file",
            trainFails("--dataset", "spiral"));
    }

    @Test
    void missingDataFile() {
        Path f = dir.resolve("nothing.csv");
        assertEquals("train: " + f + ": no such file", trainFails("--dataset", f.toString()));
    }

    @Test
    void csvWithANonNumericField() throws IOException {
        Path f = Files.writeString(dir.resolve("bad.csv"), "x,y,label\n1,2,0\n3,oops,1\n");
        assertEquals("train: " + f.toAbsolutePath() + ":3: column 2 (\"y\"): \"oops\" is not a number, expected a decimal number",
            trainFails("--dataset", f.toString()));
    }

    @Test
    void corruptMnistFile() throws IOException {
        Path mnist = Files.createDirectories(dir.resolve("mnist"));
        byte[] images = {0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3};   // declares 5 images, has 3 bytes
        try (var gz = new GZIPOutputStream(Files.newOutputStream(mnist.resolve("t10k-images-idx3-ubyte.gz")))) { gz.write(images); }
        Files.write(mnist.resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3, 4, 5});
        String err = trainFails("--dataset", "mnist", "--data-dir", mnist.toString());
        assertContains(err, "t10k-images-idx3-ubyte.gz: truncated: dimensions [5, 28, 28] need 3920 data bytes, the file has 3");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertContains(trainFails("--dataset", "mnist", "--data-dir", empty.toString()), "no MNIST files");
    }

    @Test
    void badNumbers() {
        assertEquals("train: --lr -0.1: the learning rate must be a positive number", trainFails("--lr", "-0.1"));
        assertEquals("train: --layers 64,0: layer size 0 must be at least 1", trainFails("--layers", "64,0"));
        assertContains(trainFails("--layers", "64,abc"), "\"abc\" is not a layer size");
        assertContains(trainFails("--layers", "100000"), "too large");
        assertContains(trainFails("--layers", "60000,60000"), "to train; the JVM may use");
        assertEquals("train: --batch-size 0: must be at least 1", trainFails("--batch-size", "0"));
        assertContains(trainFails("--val-fraction", "1"), "must be in [0, 1)");
        assertContains(trainFails("--momentum", "0.5"), "--momentum applies to sgd and rmsprop");
        assertContains(trainFails("--samples", "1"), "needs at least 2 samples");
    }

    @Test
    void unknownChoices() {
        assertEquals("train: unknown optimizer \"adagrad2\": choose sgd, adam, adamw, rmsprop", trainFails("--optimizer", "adagrad2"));
        assertTrue(trainFails("--loss", "kl").startsWith("train: unknown loss \"kl\""));
        assertTrue(trainFails("--activation", "swish").startsWith("train: unknown activation \"swish\""));
        assertEquals("train: unknown schedule \"cyclic\": choose none, step, multistep:M1,M2,..., cosine, exponential, plateau, onecycle",
            trainFails("--schedule", "cyclic"));
        assertContains(trainFails("--augment", "shift"), "is not image data");
        assertContains(trainFails("--augment", "rotate"), "choose none, shift, or shift:N");
    }

    @Test
    void cnnChoicesThatDoNotFit() throws IOException {
        assertEquals("train: --model cnn needs images: spirals is points in the plane (2 features); use --model mlp, or mnist, "
            + "or a CSV file of pixels with --image-shape C,H,W", trainFails("--model", "cnn", "--dataset", "spirals"));
        assertEquals("train: --channels 0: channel count 0 must be at least 1", trainFails("--model", "cnn", "--channels", "0"));
        assertEquals("train: --channels 16,x: \"x\" is not a channel count (whole numbers separated by commas, like 16,32)",
            trainFails("--model", "cnn", "--channels", "16,x"));
        assertEquals("train: --channels none: needs at least one channel count (whole numbers separated by commas, like 16,32)",
            trainFails("--model", "cnn", "--channels", "none"));
        assertEquals("train: unknown model \"foo\": choose mlp, cnn", trainFails("--model", "foo"));
        assertEquals("train: --norm layer: a CNN takes none or batch (BatchNorm2d after every convolution); layer normalization is for --model mlp",
            trainFails("--model", "cnn", "--norm", "layer"));
        assertEquals("train: --norm group: choose none, batch", trainFails("--model", "cnn", "--norm", "group"));
        assertEquals("train: --channels applies to --model cnn", trainFails("--channels", "8"));
        assertEquals("train: --image-shape applies to --model cnn", trainFails("--image-shape", "1,28,28"));

        Path csv = Files.writeString(dir.resolve("pixels.csv"), "a,b,c,d,label\n1,2,3,4,0\n4,3,2,1,1\n1,1,1,1,0\n");
        assertEquals("train: --model cnn on a CSV file needs --image-shape C,H,W: how its feature columns form an image "
            + "(channel by channel, each row by row)", trainFails("--model", "cnn", "--dataset", csv.toString()));
        assertEquals("train: --image-shape 2,2: expected three sizes channels,height,width, like 1,28,28",
            trainFails("--model", "cnn", "--dataset", csv.toString(), "--image-shape", "2,2"));
        assertEquals("train: --image-shape 1,0,4: size 0 must be from 1 to 65536",
            trainFails("--model", "cnn", "--dataset", csv.toString(), "--image-shape", "1,0,4"));
        assertEquals("train: --channels 16,32: 2 convolution blocks need an image of at least 4x4 (each block halves the height and width "
            + "with 2x2 max pooling); this one is 2x2", trainFails("--model", "cnn", "--dataset", csv.toString(), "--image-shape", "1,2,2"));
        assertEquals("train: --image-shape 1,2,3 is 6 values per image, but pixels has 4 feature columns",
            trainFails("--model", "cnn", "--dataset", csv.toString(), "--image-shape", "1,2,3", "--channels", "1"));
        assertEquals("train: --channels 1: 1 convolution block needs an image of at least 2x2 (each block halves the height and width "
            + "with 2x2 max pooling); this one is 1x4", trainFails("--model", "cnn", "--dataset", csv.toString(), "--image-shape", "1,1,4", "--channels", "1"));

        Path mnist = CnnTrainTest.madeUpDigits(dir.resolve("digits"), 20, 1);
        assertEquals("train: --image-shape 3,28,28: MNIST images are 1,28,28",
            trainFails("--model", "cnn", "--dataset", "mnist", "--data-dir", mnist.toString(), "--image-shape", "3,28,28"));
        assertEquals("train: --channels 4,4,4,4,4,4: 6 convolution blocks need an image of at least 64x64 (each block halves the height "
            + "and width with 2x2 max pooling); this one is 28x28",
            trainFails("--model", "cnn", "--dataset", "mnist", "--data-dir", mnist.toString(), "--channels", "4,4,4,4,4,4"));
        assertContains(trainFails("--model", "cnn", "--dataset", "mnist", "--data-dir", mnist.toString(), "--channels", "60000", "--layers", "30000"),
            "(use smaller --layers or --channels, or more memory");
    }

    @Test
    void scheduleOptionsThatDoNotApply() {
        assertEquals("train: --gamma applies to the step, multistep, exponential and plateau schedules, not onecycle",
            trainFails("--schedule", "onecycle", "--gamma", "0.5"));
        assertEquals("train: --step-size applies to the step and plateau schedules, not cosine",
            trainFails("--step-size", "3"));
        assertEquals("train: --step-size applies to the step and plateau schedules, not exponential",
            trainFails("--schedule", "exponential", "--step-size", "3"));
        assertContains(trainFails("--schedule", "step", "--gamma", "1.5"), "--gamma 1.5: must be in (0, 1)");
        for (String bad : new String[] {"multistep", "multistep:", "multistep:3,2", "multistep:0", "multistep:a", "multistep:2,,4"})
            assertEquals("train: --schedule " + bad + ": multistep needs its milestones, increasing positive epoch counts after "
                + "which the rate is multiplied by --gamma, e.g. multistep:30,60", trainFails("--schedule", bad), bad);
        assertEquals("train: --schedule step:3: only multistep takes arguments (multistep:30,60)", trainFails("--schedule", "step:3"));
        assertEquals("train: --step-size applies to the step and plateau schedules, not multistep",
            trainFails("--schedule", "multistep:2", "--step-size", "3"));
        assertEquals("train: --warmup -1: must be ≥ 0 (0 turns it off)", trainFails("--warmup", "-1"));
        assertEquals("train: --warmup 1: must be fewer than --epochs (1)", trainFails("--warmup", "1"));
        assertEquals("train: --warmup does not combine with the onecycle schedule (1cycle has its own warm-up)",
            trainFails("--warmup", "2", "--schedule", "onecycle"));
        assertEquals("train: --warmup does not combine with the plateau schedule (it reacts to the validation loss, not to epochs)",
            trainFails("--warmup", "2", "--schedule", "plateau"));
    }

    @Test
    void lossThatDoesNotFitTheLabels() throws IOException {
        Path f = Files.writeString(dir.resolve("reg.csv"), "u,target\n1,0.5\n2,1.5\n3,2.25\n4,3.1\n");
        assertContains(trainFails("--dataset", f.toString()), "the cross_entropy loss needs class labels");
    }

    @Test
    void existingRunIsNotOverwritten() throws IOException {
        Path run = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(run.resolve("model.safetensors"), "x");
        String err = fails(new String[] {"train", "--out", run.toString()}, null);
        assertContains(err, "already holds a run (model.safetensors)");
        assertEquals("x", Files.readString(run.resolve("model.safetensors")));
    }

    @Test
    void badModelOrInputForPredictAndEvaluate() throws IOException {
        Path run = dir.resolve("ok");
        assertEquals(0, Run.nabla("train", "--samples", "100", "--epochs", "1", "--layers", "4", "--progress", "none",
            "--out", run.toString()).exit());
        Path model = run.resolve("model.safetensors");
        Path three = Files.writeString(dir.resolve("three.csv"), "a,b,c\n1,2,3\n");
        assertContains(fails(new String[] {"predict", "--model", model.toString(), "--input", three.toString()}, null), "3 columns, but the model takes 2 input features (x, y)");
        Path labelled = Files.writeString(dir.resolve("l.csv"), "a,b,c,label\n1,2,3,0\n2,3,4,1\n");
        assertContains(fails(new String[] {"evaluate", "--model", model.toString(), "--dataset", labelled.toString()}, null), "the model takes 2 input features, but l has 3");
        Path garbage = Files.writeString(dir.resolve("garbage.safetensors"), "not a model at all");
        assertContains(fails(new String[] {"predict", "--model", garbage.toString(), "--input", three.toString()}, null), "garbage.safetensors: header length");
        Run.Result fromCheckpoint = Run.nabla("evaluate", "--model", run.resolve("checkpoint.safetensors").toString());
        assertEquals(0, fromCheckpoint.exit(), "a checkpoint can be evaluated too: " + fromCheckpoint.err());
        Path noArch = dir.resolve("bare.safetensors");
        dev.nabla.io.Safetensors.write(noArch, java.util.Map.of("w", dev.nabla.array.NdArray.zeros(dev.nabla.array.DType.FLOAT32, 2)), java.util.Map.of());
        assertContains(fails(new String[] {"evaluate", "--model", noArch.toString()}, null), "so the network cannot be rebuilt");
        assertContains(fails(new String[] {"evaluate", "--model", dir.resolve("none.safetensors").toString()}, null), "no such model file");
    }
}
