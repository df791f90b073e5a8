package dev.nabla.cli.train;

import dev.nabla.array.NdArray;
import dev.nabla.cli.UserError;
import dev.nabla.io.AtomicFile;
import dev.nabla.nn.Module;
import dev.nabla.train.EpochMetrics;
import dev.nabla.train.History;
import dev.nabla.train.Architecture;
import dev.nabla.train.ModelFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The folder a run writes: checkpoint.safetensors (after every epoch), metrics.csv (after every
 * epoch), settings.json, and at the end model.safetensors, loss.png, accuracy.png and, for two
 * input features, decision_boundary.png. Every file is written atomically; the folder is made
 * only once the run's input has been checked.
 */
public final class RunFolder {
    private RunFolder() {}

    public static final String CHECKPOINT = "checkpoint.safetensors", MODEL = "model.safetensors", METRICS = "metrics.csv",
        SETTINGS = "settings.json", LOSS_PNG = "loss.png", ACCURACY_PNG = "accuracy.png", BOUNDARY_PNG = "decision_boundary.png";

    /** runs/&lt;dataset&gt;-&lt;yyyyMMdd-HHmmss&gt;, with -2, -3, ... added if that exists. */
    public static Path defaultPath(String dataset) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        String base = dataset.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + stamp;
        Path p = Path.of("runs", base);
        for (int i = 2; Files.exists(p); i++) p = Path.of("runs", base + "-" + i);
        return p;
    }

    /** Refuses a folder that is a file or already holds a run (unless that run is being resumed). */
    public static void checkUsable(Path dir, boolean resuming) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new UserError(dir + ": exists and is not a folder; choose another --out");
        if (resuming) return;
        for (String f : List.of(MODEL, CHECKPOINT))
            if (Files.exists(dir.resolve(f)))
                throw new UserError(dir + ": already holds a run (" + f + "); choose another --out, or continue it with --resume " + dir);
    }

    public static void create(Path dir) throws IOException {
        Files.createDirectories(dir);
    }

    /** metrics.csv: epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds (empty where a value does not apply). */
    public static String metricsCsv(List<EpochMetrics> epochs) {
        StringBuilder sb = new StringBuilder("epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds\n");
        for (EpochMetrics m : epochs)
            sb.append(m.epoch()).append(',').append(num(m.trainLoss())).append(',').append(num(m.trainAccuracy())).append(',')
                .append(num(m.valLoss())).append(',').append(num(m.valAccuracy())).append(',').append(num(m.lr())).append(',')
                .append(String.format(Locale.ROOT, "%.3f", m.seconds())).append('\n');
        return sb.toString();
    }

    private static String num(double v) { return Double.isFinite(v) ? String.valueOf(v) : ""; }

    public static void writeMetrics(Path dir, List<EpochMetrics> epochs) throws IOException {
        AtomicFile.writeString(dir.resolve(METRICS), metricsCsv(epochs));
    }

    /**
     * Writes what a finished run leaves: the model (weights, architecture, card, final metrics), the
     * metrics, the loss curve, and for classifiers the accuracy curve and, with two input features,
     * the decision regions. Returns the names of the folder's files.
     */
    public static List<String> writeResults(Path dir, Module model, Architecture architecture, ModelCard card, PreparedData data,
                                            History history) throws IOException {
        EpochMetrics fin = history.fin();
        Map<String, String> meta = new LinkedHashMap<>(card.toMetadata());
        meta.put(ModelCard.METRICS, metricsCsv(List.of(fin)).lines().skip(1).findFirst().orElse(""));
        ModelFile.save(dir.resolve(MODEL), model, architecture, meta);
        writeMetrics(dir, history.epochs());
        List<String> written = new ArrayList<>(List.of(MODEL, METRICS, CHECKPOINT, SETTINGS));
        String what = data.name() + " · " + architecture;
        AtomicFile.write(dir.resolve(LOSS_PNG), Plots.loss(history.epochs(), "Loss · " + what));
        written.add(LOSS_PNG);
        if (!data.isClassification()) return written;
        AtomicFile.write(dir.resolve(ACCURACY_PNG), Plots.accuracy(history.epochs(), "Accuracy · " + what));
        written.add(ACCURACY_PNG);
        if (data.features() != 2) return written;
        NdArray points = NdArray.concat(List.of(data.train().features(), data.validation().features()), 0);
        NdArray labels = NdArray.concat(List.of(data.train().labels(), data.validation().labels()), 0);
        String acc = fin.hasValidation() ? String.format(Locale.ROOT, " · val acc %.2f%%", 100 * fin.valAccuracy()) : "";
        String scaled = DataSource.isSynthetic(card.settings().dataset()) ? "" : " (standardized)";
        AtomicFile.write(dir.resolve(BOUNDARY_PNG), Plots.decisionBoundary(model, data.classes(), points, labels, data.name() + acc,
            data.featureNames().get(0) + scaled, data.featureNames().get(1) + scaled));
        written.add(BOUNDARY_PNG);
        return written;
    }
}
