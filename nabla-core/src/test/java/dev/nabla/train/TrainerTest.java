package dev.nabla.train;

import dev.nabla.array.NdArray;
import dev.nabla.data.Batch;
import dev.nabla.data.BatchTransform;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Split;
import dev.nabla.data.Synthetic;
import dev.nabla.data.TensorDataset;
import dev.nabla.nn.CrossEntropyLoss;
import dev.nabla.nn.MSELoss;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.CosineAnnealingLR;
import dev.nabla.optim.LRScheduler;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.RMSprop;
import dev.nabla.optim.ReduceLROnPlateau;
import dev.nabla.optim.SGD;
import dev.nabla.optim.StepLR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class TrainerTest {
    @TempDir Path dir;

    private static final Split DATA = Split.random(Synthetic.spirals(300, 3, 0.03, 5), 0.2, 5);

    /** One setup of model, optimizer and schedule; initSeed varies the initial weights. */
    private record Setup(Sequential model, Optimizer optimizer, LRScheduler schedule, Trainer trainer) {}

    // ReLU, not tanh: the vector tanh kernel's last bit differs between interpreted and compiled code,
    // so exact equality of two runs would depend on when the JIT kicks in.
    private static Setup setup(String kind, long initSeed) {
        Sequential model = new Mlp(2, List.of(16, 16), 3, "relu").build(new SplittableRandom(initSeed));
        Optimizer opt;
        LRScheduler schedule;
        switch (kind) {
            case "adam-step" -> { opt = new Adam(model.parameters(), 0.02); schedule = new StepLR(opt, 2, 0.5); }
            case "sgd-plateau" -> {
                opt = new SGD(model.parameters(), SGD.Options.defaults(0.1).withMomentum(0.9).withNesterov(true));
                schedule = new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.5, 0, 0, 0, 0);
            }
            case "rmsprop-cosine" -> { opt = new RMSprop(model.parameters(), 0.005); schedule = new CosineAnnealingLR(opt, 6, 0); }
            default -> throw new AssertionError(kind);
        }
        Trainer t = new Trainer(model, opt, new Objective.ClassIndices(new CrossEntropyLoss())).schedule(schedule)
            .earlyStopping(new EarlyStopping(50, 0, true));
        return new Setup(model, opt, schedule, t);
    }

    private static DataLoader loader() { return new DataLoader(DATA.train(), 16, true, 99, false); }

    private static void assertSameState(Map<String, NdArray> a, Map<String, NdArray> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toDoubleArray(), b.get(k).toDoubleArray(), 0.0, k);
    }

    private static void assertSameMetrics(List<EpochMetrics> a, List<EpochMetrics> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            EpochMetrics x = a.get(i), y = b.get(i);
            assertEquals(x.epoch(), y.epoch());
            assertEquals(x.trainLoss(), y.trainLoss(), 0.0, "train loss, epoch " + x.epoch());
            assertEquals(x.trainAccuracy(), y.trainAccuracy(), 0.0);
            assertEquals(x.valLoss(), y.valLoss(), 0.0, "val loss, epoch " + x.epoch());
            assertEquals(x.valAccuracy(), y.valAccuracy(), 0.0);
            assertEquals(x.lr(), y.lr(), 0.0, "lr, epoch " + x.epoch());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam-step", "sgd-plateau", "rmsprop-cosine"})
    void resumedRunMatchesAnUninterruptedOne(String kind) throws IOException {
        Setup straight = setup(kind, 1);
        History full = straight.trainer().fit(loader(), DATA.validation(), 6);
        assertEquals(6, full.epochs().size());

        Path ckpt = dir.resolve("checkpoint.safetensors");
        Setup first = setup(kind, 1);
        first.trainer().checkpointTo(ckpt, Map.of("run", "test"));
        first.trainer().fit(loader(), DATA.validation(), 3);

        Setup second = setup(kind, 12345);   // other initial weights: the checkpoint must overwrite them
        Checkpoint c = Checkpoint.read(ckpt);
        assertEquals(3, c.epochsDone());
        assertEquals("test", c.metadata().get("run"));
        second.trainer().restore(c);
        History resumed = second.trainer().fit(loader(), DATA.validation(), 6);

        assertSameMetrics(full.epochs(), resumed.epochs());
        assertSameState(straight.model().stateDict(), second.model().stateDict());
        assertSameState(straight.optimizer().stateDict(), second.optimizer().stateDict());
        assertEquals(straight.schedule().lr(), second.schedule().lr(), 0.0);
        assertEquals(full.bestEpoch(), resumed.bestEpoch());
    }

    /** A model with dropout, its weights and its dropout seed from initSeed. */
    private static Trainer dropoutTrainer(long initSeed, Sequential[] model) {
        SplittableRandom rng = new SplittableRandom(initSeed);
        model[0] = new Sequential(new dev.nabla.nn.Linear(2, 16, true, dev.nabla.array.DType.FLOAT32, rng), new dev.nabla.nn.ReLU(),
            new dev.nabla.nn.Dropout(0.2, rng), new dev.nabla.nn.Linear(16, 3, true, dev.nabla.array.DType.FLOAT32, rng));
        return new Trainer(model[0], new Adam(model[0].parameters(), 0.02), new Objective.ClassIndices(new CrossEntropyLoss()));
    }

    @Test
    void resumedRunWithDropoutDrawsTheSameMasks() throws IOException {
        Sequential[] straight = new Sequential[1], first = new Sequential[1], second = new Sequential[1], third = new Sequential[1];
        History full = dropoutTrainer(1, straight).fit(loader(), DATA.validation(), 4);

        Path ckpt = dir.resolve("dropout.safetensors");
        Trainer t1 = dropoutTrainer(1, first).checkpointTo(ckpt, Map.of());
        t1.fit(loader(), DATA.validation(), 2);
        Checkpoint c = Checkpoint.read(ckpt);
        assertEquals(List.of("2.generator"), List.copyOf(c.random().keySet()));

        Trainer t2 = dropoutTrainer(777, second).restore(c);   // another dropout seed: the checkpoint's replaces it
        History resumed = t2.fit(loader(), DATA.validation(), 4);
        assertSameMetrics(full.epochs(), resumed.epochs());
        assertSameState(straight[0].stateDict(), second[0].stateDict());

        // without the generator state (as a checkpoint from before it was saved) the masks differ
        Checkpoint noRandom = new Checkpoint(c.epochsDone(), c.history(), c.model(), c.optimizer(), c.scheduler(), c.bestModel(),
            Map.of(), c.early(), c.metadata());
        History other = dropoutTrainer(777, third).restore(noRandom).fit(loader(), DATA.validation(), 4);
        assertNotEquals(full.last().trainLoss(), other.last().trainLoss(), "the check above would catch masks that were not restored");
        assertFalse(java.util.Arrays.equals(straight[0].stateDict().get("3.weight").toDoubleArray(), third[0].stateDict().get("3.weight").toDoubleArray()));
    }

    @Test
    void learnsSpiralsAndReportsMetricsPerEpoch() {
        Sequential model = new Mlp(2, List.of(32, 32), 3, "relu").build(new SplittableRandom(3));
        Adam opt = new Adam(model.parameters(), 0.01);
        List<Callback.BatchEnd> batches = new ArrayList<>();
        List<EpochMetrics> epochs = new ArrayList<>();
        Trainer t = new Trainer(model, opt, new Objective.ClassIndices(new CrossEntropyLoss()))
            .addCallback(new Callback() {
                @Override public void onBatchEnd(BatchEnd b) { batches.add(b); }
                @Override public void onEpochEnd(EpochMetrics m) { epochs.add(m); }
            });
        History h = t.fit(loader(), DATA.validation(), 40);
        assertEquals(40, epochs.size());
        assertEquals(40 * loader().numBatches(), batches.size());
        Callback.BatchEnd last = batches.get(batches.size() - 1);
        assertEquals(40, last.epoch());
        assertEquals(loader().numBatches(), last.batch());
        assertEquals(DATA.train().size(), last.samples());
        EpochMetrics f = h.last();
        assertTrue(f.valAccuracy() >= 0.95, "validation accuracy " + f.valAccuracy());
        assertTrue(f.trainLoss() < h.epochs().get(0).trainLoss() / 3, "the loss fell: " + h.epochs().get(0).trainLoss() + " -> " + f.trainLoss());
        Trainer.Evaluation ev = Trainer.evaluate(model, new Objective.ClassIndices(new CrossEntropyLoss()), DATA.validation(), 7);
        assertEquals(f.valLoss(), ev.loss(), 1e-6, "evaluation does not depend on the batch size");
        assertEquals(f.valAccuracy(), ev.accuracy(), 1e-12);
        assertTrue(model.isTraining());
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestWeights() {
        Setup s = setup("adam-step", 2);
        // Only an improvement of more than 10 counts: after epoch 1, none does.
        s.trainer().earlyStopping(new EarlyStopping(2, 10.0, true));
        History h = s.trainer().fit(loader(), DATA.validation(), 50);
        assertTrue(h.stoppedEarly());
        assertEquals(3, h.epochs().size(), "epoch 1 is the best, epochs 2 and 3 do not improve on it");
        assertEquals(1, h.bestEpoch());
        EpochMetrics first = h.epochs().get(0);
        assertTrue(h.last().valLoss() < first.valLoss(), "the last epoch was better, yet not by minDelta");
        Trainer.Evaluation ev = Trainer.evaluate(s.model(), new Objective.ClassIndices(new CrossEntropyLoss()), DATA.validation(), 64);
        assertEquals(first.valLoss(), ev.loss(), 1e-6, "the model has the best epoch's weights");
        assertEquals(first, h.fin());

        Setup plain = setup("adam-step", 2);
        plain.trainer().earlyStopping(EarlyStopping.patience(2));
        History p = plain.trainer().fit(loader(), DATA.validation(), 5);
        assertFalse(p.stoppedEarly(), "the loss keeps falling for 5 epochs");
        assertEquals(5, p.epochs().size());
    }

    @Test
    void aCallbackCanStopTheRun() {
        Setup s = setup("adam-step", 1);
        s.trainer().addCallback(new Callback() {
            @Override public void onEpochEnd(EpochMetrics m) { if (m.epoch() == 2) s.trainer().stop(); }
        });
        assertEquals(2, s.trainer().fit(loader(), null, 10).epochs().size());
    }

    @Test
    void withoutValidationTheValuesAreNaN() {
        Setup s = setup("adam-step", 1);
        EpochMetrics m = s.trainer().fit(loader(), null, 1).last();
        assertTrue(Double.isNaN(m.valLoss()) && Double.isNaN(m.valAccuracy()));
        assertFalse(m.hasValidation());
        assertEquals(m.trainLoss(), m.monitored());
        assertTrue(m.trainAccuracy() > 0 && m.trainAccuracy() <= 1);
        assertEquals(0.02, m.lr());
    }

    @Test
    void divergenceGivesAClearError() {
        Sequential model = new Mlp(1, List.of(4), 1, "relu").build(new SplittableRandom(1));
        TensorDataset d = new TensorDataset(NdArray.of(new float[] {1e30f, -1e30f, 2e30f, 3e30f}, 4, 1), NdArray.of(new float[] {1e30f, 0, 1, 2}, 4));
        Trainer t = new Trainer(model, new SGD(model.parameters(), 1.0), new Objective.Targets(new MSELoss()));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.fit(new DataLoader(d, 2), null, 3));
        assertTrue(e.getMessage().contains("epoch 1, batch 1"), e.getMessage());
    }

    @Test
    void interruptedCheckpointWriteKeepsThePreviousCheckpoint() throws IOException {
        Path ckpt = dir.resolve("checkpoint.safetensors");
        Setup s = setup("adam-step", 1);
        s.trainer().checkpointTo(ckpt, Map.of());
        s.trainer().fit(loader(), DATA.validation(), 1);
        byte[] before = Files.readAllBytes(ckpt);
        s.trainer().checkpointTo(null, Map.of()).fit(loader(), DATA.validation(), 2);   // one more epoch, not written
        Checkpoint next = s.trainer().checkpoint();
        assertEquals(2, next.epochsDone());
        IOException e = assertThrows(IOException.class, () -> next.write(ckpt, out -> new OutputStream() {
            long left = 500;
            @Override public void write(int b) throws IOException {
                if (left-- <= 0) throw new IOException("disk full (simulated)");
                out.write(b);
            }
        }));
        assertEquals("disk full (simulated)", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(ckpt), "the previous checkpoint is untouched");
        assertEquals(1, Checkpoint.read(ckpt).epochsDone(), "and still readable");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("checkpoint.safetensors"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
        }
        next.write(ckpt);
        assertEquals(2, Checkpoint.read(ckpt).epochsDone());
    }

    @Test
    void restoreRejectsAMismatchedCheckpoint() throws IOException {
        Path ckpt = dir.resolve("c.safetensors");
        Setup s = setup("adam-step", 1);
        s.trainer().checkpointTo(ckpt, Map.of()).fit(loader(), null, 1);
        Sequential other = new Mlp(2, List.of(5), 3, "tanh").build(new SplittableRandom(1));
        Adam opt = new Adam(other.parameters(), 0.01);
        Trainer t = new Trainer(other, opt, new Objective.ClassIndices(new CrossEntropyLoss())).schedule(new StepLR(opt, 2, 0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.restore(Checkpoint.read(ckpt)));
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
        Trainer noSchedule = new Trainer(other, opt, new Objective.ClassIndices(new CrossEntropyLoss()));
        assertThrows(IllegalArgumentException.class, () -> noSchedule.restore(Checkpoint.read(ckpt)));
        Path model = dir.resolve("model.safetensors");
        ModelFile.save(model, other, Map.of());
        IOException notCkpt = assertThrows(IOException.class, () -> Checkpoint.read(model));
        assertTrue(notCkpt.getMessage().contains("not a Nabla training checkpoint"), notCkpt.getMessage());
    }

    /** Passes its input through an inner model, recording the storage of its training inputs: what the Trainer fed it. */
    private static final class Recording extends dev.nabla.nn.Module {
        final List<float[]> inputs = new ArrayList<>();
        private final Sequential inner;

        Recording(Sequential inner) { this.inner = registerModule("inner", inner); }

        @Override
        public dev.nabla.autograd.Tensor forward(dev.nabla.autograd.Tensor x) {
            if (isTraining()) inputs.add(x.data().floatData());
            return inner.forward(x);
        }
    }

    /**
     * A shuffled loader's batches are gathered copies; the Trainer gathers them inside its workspace
     * step, so every step after the first copies its batch into the arrays of the step before rather
     * than into new ones. The run gives exactly the numbers of the same run fed through a transform
     * of the user's (which might keep arrays, so its batches are fetched outside the workspace and
     * are new every step).
     */
    @Test
    void gatheredBatchesReuseTheArraysOfTheStepBefore() {
        Recording reused = new Recording(new Mlp(2, List.of(16, 16), 3, "relu").build(new SplittableRandom(4)));
        Recording fresh = new Recording(new Mlp(2, List.of(16, 16), 3, "relu").build(new SplittableRandom(4)));
        Objective ce = new Objective.ClassIndices(new CrossEntropyLoss());
        Trainer a = new Trainer(reused, new Adam(reused.parameters(), 0.02), ce);
        Trainer b = new Trainer(fresh, new Adam(fresh.parameters(), 0.02), ce);
        a.fit(new DataLoader(DATA.train(), 40, true, 7, true), DATA.validation(), 3);
        b.fit(new DataLoader(DATA.train(), 40, true, 7, true).withTransform((batch, rng) -> batch), DATA.validation(), 3);
        int steps = 3 * (DATA.train().size() / 40);
        assertEquals(steps, reused.inputs.size());
        for (int s = 1; s < steps; s++) {
            assertSame(reused.inputs.get(0), reused.inputs.get(s), "step " + (s + 1) + " gathered its features into new storage");
            assertNotSame(fresh.inputs.get(0), fresh.inputs.get(s), "a user's transform: new storage every step");
        }
        assertSameMetrics(b.history(), a.history());
        assertSameState(fresh.stateDict(), reused.stateDict());
        // the third epoch's validation ran in the arrays of the second's; a fresh evaluation agrees
        Trainer.Evaluation anew = Trainer.evaluate(reused, ce, DATA.validation(), 1024);
        assertEquals(anew.loss(), a.history().get(2).valLoss(), 0.0);
        assertEquals(anew.accuracy(), a.history().get(2).valAccuracy(), 0.0);
    }

    /**
     * A dataset of the user's may keep the arrays it makes (here: one batch, made on first use, inside
     * the Trainer's step). The Trainer fetches such batches outside the workspace, so the next step's
     * operations never get those arrays: the kept batch still holds its values after training (its
     * features [16, 16] have the length of the hidden layers' outputs, which would take them).
     */
    @Test
    void aDatasetThatKeepsItsArraysIsNotLentTheWorkspacesMemory() {
        SplittableRandom rng = new SplittableRandom(8);
        float[] values = new float[16 * 16];
        for (int i = 0; i < values.length; i++) values[i] = (float) rng.nextDouble();
        dev.nabla.data.Dataset caching = new dev.nabla.data.Dataset() {
            Batch kept;
            @Override public int size() { return 16; }
            @Override public int[] featureShape() { return new int[] {16}; }
            @Override public Batch get(int[] indices) {
                if (kept == null) {
                    NdArray x = NdArray.zeros(dev.nabla.array.DType.FLOAT32, 16, 16), y = NdArray.zeros(dev.nabla.array.DType.FLOAT32, 16);
                    System.arraycopy(values, 0, x.floatData(), 0, values.length);
                    kept = new Batch(x, y);
                }
                return kept;
            }
        };
        Sequential model = new Mlp(16, List.of(16, 16), 3, "relu").build(new SplittableRandom(2));
        new Trainer(model, new SGD(model.parameters(), 0.1), new Objective.ClassIndices(new CrossEntropyLoss()))
            .fit(new DataLoader(caching, 16, true, 1, false), null, 3);
        Batch after = caching.get(new int[0]);
        assertArrayEquals(values, after.features().floatData(), "the dataset's kept features were overwritten");
    }

    /** Evaluation in batches gathered from a subset view (their arrays reused batch to batch) agrees with one batch. */
    @Test
    void evaluationInManyGatheredBatchesAgreesWithOne() {
        Setup s = setup("adam-step", 2);
        s.trainer().fit(loader(), null, 2);
        Objective objective = new Objective.ClassIndices(new CrossEntropyLoss());
        assertTrue(DATA.validation().isView(), "the validation split is gathered from shared arrays");
        Trainer.Evaluation many = Trainer.evaluate(s.model(), objective, DATA.validation(), 7);
        Trainer.Evaluation one = Trainer.evaluate(s.model(), objective, DATA.validation(), 1024);
        assertEquals(one.samples(), many.samples());
        assertEquals(one.accuracy(), many.accuracy(), 0.0);
        assertEquals(one.loss(), many.loss(), 1e-6 * Math.abs(one.loss()));
    }
}
