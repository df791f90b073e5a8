package dev.nabla.train;

import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.autograd.Workspace;
import dev.nabla.data.Batch;
import dev.nabla.data.BatchTransform;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Dataset;
import dev.nabla.data.RandomShift;
import dev.nabla.data.TensorDataset;
import dev.nabla.nn.Module;
import dev.nabla.optim.LRScheduler;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.ReduceLROnPlateau;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop: for each epoch, every batch of the loader goes forward through the model, the
 * objective gives a loss, backward fills the gradients and the optimizer takes a step; then the
 * validation data (if any) is evaluated without a graph, the schedule advances, early stopping
 * decides, a checkpoint is written, and the callbacks hear of it.
 * <pre>{@code
 * Trainer t = new Trainer(model, new Adam(model.parameters(), 1e-3), new Objective.ClassIndices(new CrossEntropyLoss()))
 *     .schedule(schedule)                         // optional; stepped once per epoch
 *     .earlyStopping(EarlyStopping.patience(5))   // optional
 *     .checkpointTo(Path.of("run/checkpoint.safetensors"), settings);   // optional
 * History h = t.fit(new DataLoader(train, 64, true, seed, false), validation, 20);
 * }</pre>
 * To resume, build the same model, optimizer and schedule, {@link #restore} the checkpoint, and
 * call {@link #fit} with the same loader and the total number of epochs: the epochs already done
 * are skipped, and the numbers come out as if the run had never stopped.
 *
 * <p>A {@link ReduceLROnPlateau} schedule is stepped with the monitored value (validation loss,
 * else training loss); any other schedule with {@code step()}. The model is left in training mode.
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final Objective objective;
    private LRScheduler scheduler;
    private EarlyStopping earlyStopping;
    private Path checkpointFile;
    private Map<String, String> checkpointMetadata = Map.of();
    private int evalBatchSize = 1024;
    private final List<Callback> callbacks = new ArrayList<>();

    private final List<EpochMetrics> history = new ArrayList<>();
    /** Lends every training step the arrays of the step before. */
    private final Workspace workspace = new Workspace();
    /** Lends each epoch's validation the arrays of the epoch before (batches of up to evalBatchSize). */
    private final Workspace evalWorkspace = new Workspace();
    private Checkpoint.EarlyState early = Checkpoint.EarlyState.NONE;
    private Map<String, NdArray> bestState = Map.of();
    private volatile boolean stopRequested;

    public Trainer(Module model, Optimizer optimizer, Objective objective) {
        if (model == null || optimizer == null || objective == null)
            throw new IllegalArgumentException("Trainer: model, optimizer and objective must not be null");
        this.model = model;
        this.optimizer = optimizer;
        this.objective = objective;
    }

    /** A learning-rate schedule stepped once per epoch (null for none). Returns this. */
    public Trainer schedule(LRScheduler scheduler) {
        this.scheduler = scheduler;
        return this;
    }

    /** Early stopping (null for none). Returns this. */
    public Trainer earlyStopping(EarlyStopping earlyStopping) {
        this.earlyStopping = earlyStopping;
        return this;
    }

    /** Writes a checkpoint to file after every epoch, with these extra metadata entries (the run's settings). Returns this. */
    public Trainer checkpointTo(Path file, Map<String, String> metadata) {
        this.checkpointFile = file;
        this.checkpointMetadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        return this;
    }

    /** Batch size for evaluating validation data (no gradients are kept, so it can be large). Returns this. */
    public Trainer evalBatchSize(int size) {
        if (size < 1) throw new IllegalArgumentException("Trainer: evaluation batch size " + size + " must be at least 1");
        this.evalBatchSize = size;
        evalWorkspace.clear();   // arrays sized for the old batches
        return this;
    }

    /** Adds a callback. Returns this. */
    public Trainer addCallback(Callback callback) {
        callbacks.add(callback);
        return this;
    }

    /** Asks the run to stop after the current epoch (callable from a callback or another thread). */
    public void stop() { stopRequested = true; }

    /** The metrics of the epochs done so far. */
    public List<EpochMetrics> history() { return List.copyOf(history); }

    // ================================================================ the loop

    /**
     * Trains until {@code epochs} epochs are done in all (counting those of a restored checkpoint),
     * early stopping ends the run, or a callback calls {@link #stop()}.
     *
     * @param validation data evaluated after each epoch, or null
     * @throws TrainingDivergedException when a batch's loss is NaN or infinite
     * @throws UncheckedIOException      when a checkpoint cannot be written
     */
    public History fit(DataLoader train, Dataset validation, int epochs) {
        if (epochs < 0) throw new IllegalArgumentException("fit: the number of epochs " + epochs + " is negative");
        if (train.numBatches() == 0)
            throw new IllegalArgumentException("fit: the training data (" + train.dataset().size() + " samples) gives no batch of "
                + train.batchSize() + (train.dropLast() ? " with the last partial batch dropped" : ""));
        stopRequested = false;
        boolean stoppedEarly = false;
        Dataset val = validation == null || validation.size() == 0 ? null : validation;
        for (Callback c : callbacks) c.onTrainBegin(history.size() + 1, epochs, train.numBatches());
        for (int e = history.size(); e < epochs && !stopRequested && !stoppedEarly; e++) {
            EpochMetrics m = runEpoch(train, val, e, epochs);
            history.add(m);
            stoppedEarly = updateEarlyStopping(m);
            if (scheduler instanceof ReduceLROnPlateau plateau) plateau.step(m.monitored());
            else if (scheduler != null) scheduler.step();
            if (checkpointFile != null) writeCheckpoint();
            for (Callback c : callbacks) c.onEpochEnd(m);
        }
        int bestEpoch = 0;
        if (earlyStopping != null && early.bestEpoch() > 0) {
            bestEpoch = early.bestEpoch();
            if (earlyStopping.restoreBest() && !bestState.isEmpty()) model.loadStateDict(bestState);
            else bestEpoch = 0;
        }
        History h = new History(history, stoppedEarly, bestEpoch);
        for (Callback c : callbacks) c.onTrainEnd(h);
        return h;
    }

    private EpochMetrics runEpoch(DataLoader train, Dataset val, int e, int epochs) {
        long start = System.nanoTime();
        double lr = optimizer.lr();
        model.train();
        double lossSum = 0;
        long seen = 0, correct = 0;
        boolean hasAccuracy = true;
        int b = 0, batches = train.numBatches();
        Iterator<Batch> it = train.epoch(e).iterator();
        boolean lend = makesFreshArrays(train.dataset(), train.transform());
        while (it.hasNext()) {
            double l;
            int c, n;
            try (Workspace.Step ignored = workspace.step()) {   // the step's arrays are reused by the next step
                // a gathered (shuffled) batch is copied into the arrays the step before used, not into
                // new ones (128 MNIST rows: 400 KB a step otherwise); the batch is not used after the step
                Batch batch = lend ? Workspace.lend(it::next) : it.next();
                n = batch.size();
                Tensor output = model.forward(Tensor.of(batch.features()));
                Tensor loss = objective.loss(output, batch.labels());
                l = loss.item();
                if (!Double.isFinite(l))
                    throw new TrainingDivergedException("the loss became " + l + " in epoch " + (e + 1) + ", batch " + (b + 1)
                        + " (learning rate " + lr + "): training diverged; try a smaller learning rate");
                c = objective.correct(output.data(), batch.labels());
                optimizer.zeroGrad(false);   // keeps the gradient arrays: no new ones per step
                loss.backward();
                optimizer.step();
            }
            lossSum += l * n;
            seen += n;
            if (c < 0) hasAccuracy = false; else correct += c;
            b++;
            if (!callbacks.isEmpty()) {
                Callback.BatchEnd be = new Callback.BatchEnd(e + 1, epochs, b, batches, l, lossSum / seen, seen, System.nanoTime() - start);
                for (Callback cb : callbacks) cb.onBatchEnd(be);
            }
        }
        double trainAcc = hasAccuracy ? (double) correct / seen : Double.NaN;
        double valLoss = Double.NaN, valAcc = Double.NaN;
        if (val != null) {
            Evaluation ev = evaluate(model, objective, val, evalBatchSize, evalWorkspace);
            valLoss = ev.loss();
            valAcc = ev.accuracy();
        }
        model.train();
        return new EpochMetrics(e + 1, lossSum / seen, trainAcc, valLoss, valAcc, lr, (System.nanoTime() - start) / 1e9);
    }

    /** Updates the early-stopping state with an epoch's metrics; true when the run should stop. */
    private boolean updateEarlyStopping(EpochMetrics m) {
        if (earlyStopping == null) return false;
        double v = m.monitored();
        boolean improved = Double.isNaN(early.best()) || v < early.best() - earlyStopping.minDelta();
        if (improved) {
            early = new Checkpoint.EarlyState(v, m.epoch(), 0);
            if (earlyStopping.restoreBest()) bestState = copy(model.stateDict());
            return false;
        }
        early = new Checkpoint.EarlyState(early.best(), early.bestEpoch(), early.badEpochs() + 1);
        return early.badEpochs() >= earlyStopping.patience();
    }

    private static Map<String, NdArray> copy(Map<String, NdArray> state) {
        Map<String, NdArray> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    // ================================================================ checkpoints

    /** The state after the epochs done so far, with the metadata given to {@link #checkpointTo}. */
    public Checkpoint checkpoint() {
        return new Checkpoint(history.size(), history, model.stateDict(), optimizer.stateDict(),
            scheduler == null ? Map.of() : scheduler.stateDict(), bestState, model.randomState(), early, checkpointMetadata);
    }

    private void writeCheckpoint() {
        try {
            checkpoint().write(checkpointFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + checkpointFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Puts a checkpoint's state into this trainer's model (parameters and dropout generators),
     * optimizer and schedule, and takes over its history and early-stopping state; the next
     * {@link #fit} continues after its last epoch.
     *
     * @throws IllegalArgumentException when the checkpoint does not fit (other parameters, a schedule
     *                                  present on one side only)
     */
    public Trainer restore(Checkpoint c) {
        if (scheduler == null && !c.scheduler().isEmpty())
            throw new IllegalArgumentException("restore: the checkpoint has a learning-rate schedule's state but this trainer has no schedule");
        if (scheduler != null && c.scheduler().isEmpty())
            throw new IllegalArgumentException("restore: this trainer has a learning-rate schedule but the checkpoint has no schedule state");
        // a checkpoint from before generator states were saved has none: the model keeps its own
        if (!c.random().isEmpty()) model.loadRandomState(c.random());
        model.loadStateDict(c.model());
        optimizer.loadStateDict(c.optimizer());
        if (scheduler != null) scheduler.loadStateDict(c.scheduler());
        history.clear();
        history.addAll(c.history());
        early = c.early();
        bestState = c.bestModel().isEmpty() ? Map.of() : copy(c.bestModel());
        return this;
    }

    // ================================================================ evaluation

    /**
     * Whether batches of this dataset, through this transform (or none), can be fetched inside a
     * workspace step ({@link Workspace#lend}): only Nabla's own, which make every array anew. A user's
     * dataset or transform might keep an array it makes (a cache, a buffer), which the workspace would
     * then hand to the next step's operations; those batches are fetched outside the lending.
     */
    private static boolean makesFreshArrays(Dataset data, BatchTransform transform) {
        return data instanceof TensorDataset && (transform == null || transform instanceof RandomShift);
    }

    /** Mean loss and accuracy (NaN without one) over a dataset, and its size. */
    public record Evaluation(double loss, double accuracy, int samples) {}

    /**
     * Evaluates a model on a dataset in evaluation mode and without a graph, batch by batch; the
     * model's mode is restored afterwards and its parameters are not changed.
     */
    public static Evaluation evaluate(Module model, Objective objective, Dataset data, int batchSize) {
        return evaluate(model, objective, data, batchSize, new Workspace());
    }

    /** {@link #evaluate(Module, Objective, Dataset, int)} in steps of ws (a caller's open step serves instead, when there is one). */
    private static Evaluation evaluate(Module model, Objective objective, Dataset data, int batchSize, Workspace steps) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        long seen = 0, correct = 0;
        boolean hasAccuracy = true;
        Workspace ws = Workspace.inStep() ? null : steps;   // inside a caller's step, its workspace serves
        try (var ignored = Tensor.noGrad()) {
            Iterator<Batch> it = new DataLoader(data, batchSize).iterator();
            boolean lend = makesFreshArrays(data, null);
            while (it.hasNext()) {
                try (Workspace.Step step = ws == null ? null : ws.step()) {
                    // a gathered batch (a subset view's) reuses the arrays of the step before
                    Batch batch = lend ? Workspace.lend(it::next) : it.next();
                    Tensor output = model.forward(Tensor.of(batch.features()));
                    int n = batch.size();
                    lossSum += objective.loss(output, batch.labels()).item() * n;
                    int c = objective.correct(output.data(), batch.labels());
                    if (c < 0) hasAccuracy = false; else correct += c;
                    seen += n;
                }
            }
        } finally {
            model.train(wasTraining);
        }
        if (seen == 0) return new Evaluation(Double.NaN, Double.NaN, 0);
        return new Evaluation(lossSum / seen, hasAccuracy ? (double) correct / seen : Double.NaN, (int) seen);
    }
}
