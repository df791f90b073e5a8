package dev.nabla.train;

import dev.nabla.array.NdArray;
import dev.nabla.io.AtomicFile;
import dev.nabla.io.Json;
import dev.nabla.io.Safetensors;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Everything needed to continue a training run as if it had never stopped, in one safetensors
 * file (written atomically):
 * <ul>
 *   <li>tensors {@code model.<name>} (the model's state dict), {@code optimizer.<key>} (the
 *       optimizer's buffers, step counts and learning rates), {@code scheduler.<key>} (the
 *       schedule's state, when there is one) and {@code best.<name>} (the best epoch's weights, when
 *       early stopping restores them);</li>
 *   <li>metadata {@code nabla.checkpoint} (the format version, "1"), {@code nabla.epochs_done},
 *       {@code nabla.history} (JSON: the metrics of every epoch), {@code nabla.early_stopping}
 *       (JSON: best value, best epoch, epochs without improvement), and whatever the caller added
 *       (the run's settings).</li>
 * </ul>
 * The shuffling of epoch e depends only on (seed, e) (see {@link dev.nabla.data.DataLoader}), so
 * no data-loader state is needed. The generators inside modules (dropout's seed and the number of
 * masks drawn, {@link dev.nabla.nn.Module#randomState()}) are saved as {@code random.*} entries, so a
 * model with dropout resumes with the masks the uninterrupted run would have drawn; a checkpoint
 * written before they were saved has none, and a model restored from it keeps its own generators.
 */
public record Checkpoint(int epochsDone, List<EpochMetrics> history, Map<String, NdArray> model, Map<String, NdArray> optimizer,
                         Map<String, NdArray> scheduler, Map<String, NdArray> bestModel, Map<String, NdArray> random,
                         EarlyState early, Map<String, String> metadata) {

    /** Early stopping's bookkeeping: the best monitored value (NaN before any), its 1-based epoch (0 before any), epochs since. */
    public record EarlyState(double best, int bestEpoch, int badEpochs) {
        public static final EarlyState NONE = new EarlyState(Double.NaN, 0, 0);
    }

    static final String VERSION_KEY = "nabla.checkpoint", EPOCHS_KEY = "nabla.epochs_done", HISTORY_KEY = "nabla.history",
        EARLY_KEY = "nabla.early_stopping";
    private static final List<String> RESERVED = List.of(VERSION_KEY, EPOCHS_KEY, HISTORY_KEY, EARLY_KEY);

    public Checkpoint {
        history = List.copyOf(history);
        model = Collections.unmodifiableMap(new LinkedHashMap<>(model));
        optimizer = Collections.unmodifiableMap(new LinkedHashMap<>(optimizer));
        scheduler = Collections.unmodifiableMap(new LinkedHashMap<>(scheduler));
        bestModel = Collections.unmodifiableMap(new LinkedHashMap<>(bestModel));
        random = Collections.unmodifiableMap(new LinkedHashMap<>(random));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        if (epochsDone != history.size())
            throw new IllegalArgumentException("Checkpoint: " + epochsDone + " epochs done but " + history.size() + " epochs of metrics");
    }

    /** Writes the checkpoint atomically: a failed write leaves the previous file as it was. */
    public void write(Path file) throws IOException { write(file, out -> out); }

    /** As {@link #write(Path)}, with the bytes passing through wrap (tests use it to simulate a failing disk). */
    void write(Path file, UnaryOperator<OutputStream> wrap) throws IOException {
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        model.forEach((k, v) -> tensors.put("model." + k, v));
        optimizer.forEach((k, v) -> tensors.put("optimizer." + k, v));
        scheduler.forEach((k, v) -> tensors.put("scheduler." + k, v));
        bestModel.forEach((k, v) -> tensors.put("best." + k, v));
        random.forEach((k, v) -> tensors.put("random." + k, v));
        Map<String, String> meta = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (RESERVED.contains(e.getKey())) continue;
            meta.put(e.getKey(), e.getValue());
        }
        meta.put(VERSION_KEY, "1");
        meta.put(EPOCHS_KEY, String.valueOf(epochsDone));
        List<Object> h = new ArrayList<>();
        for (EpochMetrics m : history) h.add(m.toJson());
        meta.put(HISTORY_KEY, Json.write(h));
        Map<String, Object> es = new LinkedHashMap<>();
        es.put("best", Double.isFinite(early.best()) ? early.best() : null);
        es.put("best_epoch", (long) early.bestEpoch());
        es.put("bad_epochs", (long) early.badEpochs());
        meta.put(EARLY_KEY, Json.write(es));
        AtomicFile.write(file, out -> Safetensors.writeTo(wrap.apply(out), tensors, meta));
    }

    /** Reads a checkpoint; a file that is not one gets an IOException saying what it lacks. */
    public static Checkpoint read(Path file) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!meta.containsKey(VERSION_KEY))
            throw new IOException(file + ": not a Nabla training checkpoint (no \"" + VERSION_KEY + "\" metadata)");
        if (!meta.get(VERSION_KEY).equals("1"))
            throw new IOException(file + ": checkpoint format version " + meta.get(VERSION_KEY) + " is not supported (expected 1)");
        Map<String, NdArray> model = new LinkedHashMap<>(), optimizer = new LinkedHashMap<>(), scheduler = new LinkedHashMap<>(),
            best = new LinkedHashMap<>(), random = new LinkedHashMap<>();
        for (Map.Entry<String, NdArray> e : c.tensors().entrySet()) {
            String k = e.getKey();
            int dot = k.indexOf('.');
            String group = dot < 0 ? "" : k.substring(0, dot), rest = dot < 0 ? k : k.substring(dot + 1);
            switch (group) {
                case "model" -> model.put(rest, e.getValue());
                case "optimizer" -> optimizer.put(rest, e.getValue());
                case "scheduler" -> scheduler.put(rest, e.getValue());
                case "best" -> best.put(rest, e.getValue());
                case "random" -> random.put(rest, e.getValue());
                default -> throw new IOException(file + ": unexpected tensor \"" + k
                    + "\" in a checkpoint (expected model.*, optimizer.*, scheduler.*, best.*, random.*)");
            }
        }
        try {
            int epochs = Integer.parseInt(required(file, meta, EPOCHS_KEY));
            List<EpochMetrics> history = new ArrayList<>();
            if (!(Json.parse(required(file, meta, HISTORY_KEY)) instanceof List<?> list))
                throw new IOException(file + ": \"" + HISTORY_KEY + "\" is not a JSON array");
            for (Object o : list) history.add(EpochMetrics.fromJson(o));
            if (!(Json.parse(required(file, meta, EARLY_KEY)) instanceof Map<?, ?> es))
                throw new IOException(file + ": \"" + EARLY_KEY + "\" is not a JSON object");
            Object bestValue = es.get("best");
            EarlyState early = new EarlyState(bestValue instanceof Number n ? n.doubleValue() : Double.NaN,
                ((Number) es.get("best_epoch")).intValue(), ((Number) es.get("bad_epochs")).intValue());
            Map<String, String> rest = new LinkedHashMap<>(meta);
            RESERVED.forEach(rest::remove);
            return new Checkpoint(epochs, history, model, optimizer, scheduler, best, random, early, rest);
        } catch (Json.ParseException | NumberFormatException | ClassCastException | NullPointerException e) {
            throw new IOException(file + ": corrupt checkpoint metadata: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": corrupt checkpoint: " + e.getMessage());
        }
    }

    private static String required(Path file, Map<String, String> meta, String key) throws IOException {
        String v = meta.get(key);
        if (v == null) throw new IOException(file + ": checkpoint metadata lacks \"" + key + "\"");
        return v;
    }
}
