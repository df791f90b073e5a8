package dev.nabla.cli.train;

import dev.nabla.cli.UserError;
import dev.nabla.io.AtomicFile;
import dev.nabla.train.EpochMetrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

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
}
