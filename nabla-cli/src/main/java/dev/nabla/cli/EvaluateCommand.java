package dev.nabla.cli;

import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.cli.train.Choices;
import dev.nabla.cli.train.DataSource;
import dev.nabla.cli.train.ModelCard;
import dev.nabla.cli.train.PreparedData;
import dev.nabla.cli.train.Settings;
import dev.nabla.data.DataLoader;
import dev.nabla.data.TensorDataset;
import dev.nabla.train.Objective;
import dev.nabla.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code nabla evaluate}: the loss and accuracy of a saved model on a dataset. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Loss, accuracy and confusion matrix of a trained model on a dataset.",
        "The model is a model.safetensors (or checkpoint) written by nabla train.",
        "Without --dataset, the model's own dataset: a synthetic set is drawn afresh",
        "(seed + 1 unless --seed is given); MNIST and CSV data are split as in",
        "training and the held-out part is measured. Another --dataset is measured",
        "whole.",
        "",
        "Example:",
        "  nabla evaluate --model runs/spirals-20250101-120000/model.safetensors",
        ""})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.safetensors written by nabla train.")
    Path model;

    @Option(names = "--dataset", paramLabel = "NAME", description = "spirals, moons, circles, xor, blobs, mnist, or a CSV file.")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder with the MNIST files.")
    String dataDir;

    @Option(names = "--label-column", paramLabel = "COLUMN", description = "CSV label column (default: the model's, else the last).")
    String labelColumn;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for a synthetic dataset (default: the training seed + 1: new samples).")
    Long seed;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1024", description = "Samples per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(model)) throw new UserError(model + ": no such model file");
        if (batchSize < 1) throw new UserError("--batch-size " + batchSize + ": must be at least 1");
        ModelCard.LoadedModel m = ModelCard.load(model);
        ModelCard card = m.card();
        Settings t = card.settings();
        PrintWriter out = spec.commandLine().getOut();
        boolean own = dataset == null || dataset.equals(t.dataset()) || dataset.equals(card.datasetName());
        String ds = dataset == null ? t.dataset() : dataset;
        if (!own) DataSource.checkName(ds);
        boolean synthetic = DataSource.isSynthetic(ds);
        String dir = ds.equals("mnist") ? (dataDir != null || !own ? DataSource.mnistDir(dataDir, out::println).toString() : t.dataDir()) : null;
        long s = seed != null ? seed : synthetic && own ? t.seed() + 1 : t.seed();
        String label = labelColumn != null ? labelColumn : own ? t.labelColumn() : card.labelName();
        int samples = synthetic ? (own ? t.samples() : DataSource.defaultSamples(ds)) : 0;
        double noise = synthetic ? (own ? t.noise() : DataSource.defaultNoise(ds)) : 0;
        int classes = synthetic ? (own ? t.classes() : DataSource.defaultClasses(ds)) : 0;
        boolean wholeSet = synthetic || !own;
        Settings es = new Settings(synthetic || ds.equals("mnist") ? ds : Path.of(ds).toAbsolutePath().normalize().toString(), dir,
            synthetic || ds.equals("mnist") ? null : label, samples, noise, classes, t.model(), t.imageShape(), t.channels(), t.layers(),
            t.activation(), t.norm(), t.loss(), t.optimizer(),
            t.lr(), t.momentum(), t.weightDecay(), t.schedule(), t.stepSize(), t.gamma(), t.warmup(), t.epochs(), t.batchSize(), s,
            wholeSet ? 0 : t.valFraction(), t.earlyStopping(), t.labelSmoothing(), t.augment());
        PreparedData raw = DataSource.raw(es, card.classNames());
        TensorDataset part = wholeSet || raw.validation().size() == 0 ? raw.train() : raw.validation();
        String which = synthetic ? String.format(Locale.ROOT, "%,d new samples of %s (seed %d)", part.size(), ds, s)
            : wholeSet ? String.format(Locale.ROOT, "all %,d samples of %s", part.size(), raw.name())
            : String.format(Locale.ROOT, "the %,d held-out validation samples of %s (the training split)", part.size(), raw.name());
        int inputs = m.architecture().inputs();
        if (raw.features() != inputs)
            throw new UserError(model + ": the model takes " + inputs + " input features, but " + raw.name() + " has " + raw.features());
        if (card.classes() > 0 && raw.classes() > card.classes())
            throw new UserError(raw.name() + " has labels up to " + (raw.classes() - 1) + ", but the model knows " + card.classes() + " classes");
        if (card.classes() == 0 && raw.classes() > 0 && !card.loss().equals("mse"))
            out.println("note: the model does regression; the labels are treated as targets");
        TensorDataset data = new TensorDataset(card.normalization().apply(part.features()), part.labels());
        Objective objective = Choices.objective(card.loss(), card.classes(), card.settings().labelSmoothing());
        Trainer.Evaluation ev = Trainer.evaluate(m.model().model(), objective, data, batchSize);
        out.println("model " + m.architecture() + " (" + model + ")");
        out.println("evaluated on " + which);
        out.printf(Locale.ROOT, "loss %.6g (%s)%n", ev.loss(), card.loss());
        if (!Double.isNaN(ev.accuracy())) {
            out.printf(Locale.ROOT, "accuracy %.2f%% (%d of %d)%n", 100 * ev.accuracy(), Math.round(ev.accuracy() * ev.samples()), ev.samples());
            if (card.classes() <= 20) {
                out.print(confusion(m.model().model(), data, card.classes(), batchSize));
                if (!card.classNames().isEmpty()) {
                    StringBuilder names = new StringBuilder("classes:");
                    for (int k = 0; k < card.classes(); k++) names.append(k == 0 ? " " : ", ").append(k).append(' ').append(card.className(k));
                    out.println(names);
                }
            }
        }
        out.flush();
        return 0;
    }

    /** Counts of (true class, predicted class), as a table. */
    private static String confusion(dev.nabla.nn.Module net, TensorDataset data, int classes, int batchSize) {
        long[][] counts = new long[classes][classes];
        net.eval();
        try (var ignored = Tensor.noGrad()) {
            for (var b : new DataLoader(data, batchSize)) {
                NdArray pred = net.forward(Tensor.of(b.features())).data().argmax(1, false);
                float[] y = b.labels().toFloatArray();
                for (int i = 0; i < y.length; i++) counts[(int) y[i]][(int) pred.get(i)]++;
            }
        } finally {
            net.train();
        }
        int w = 6;
        for (long[] row : counts) for (long c : row) w = Math.max(w, String.valueOf(c).length() + 1);
        StringBuilder sb = new StringBuilder("confusion matrix (rows: true class, columns: predicted class)\n");
        sb.append(" ".repeat(8));
        for (int k = 0; k < classes; k++) sb.append(String.format(Locale.ROOT, "%" + w + "d", k));
        sb.append('\n');
        for (int r = 0; r < classes; r++) {
            sb.append(String.format(Locale.ROOT, "%6d  ", r));
            for (int k = 0; k < classes; k++) sb.append(String.format(Locale.ROOT, "%" + w + "d", counts[r][k]));
            sb.append('\n');
        }
        return sb.toString();
    }
}
