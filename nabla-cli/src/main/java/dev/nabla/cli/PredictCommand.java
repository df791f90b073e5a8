package dev.nabla.cli;

import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.cli.train.ModelCard;
import dev.nabla.data.Csv;
import dev.nabla.io.AtomicFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code nabla predict}: runs a model written by nabla train on the rows of a CSV file. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Predictions of a trained model for the rows of a CSV file.",
        "Runs a model written by nabla train on every row and prints one prediction",
        "per row as CSV: the class and each class's probability (cross-entropy) or",
        "score, or the predicted value (regression). The columns are the model's",
        "input features in training order (a column with the training label's",
        "name is ignored); inputs are normalized as in training.",
        "",
        "Example:",
        "  nabla predict --model runs/spirals-20250101-120000/model.safetensors \\",
        "      --input points.csv",
        ""})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.safetensors written by nabla train.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "CSV", description = "Rows to predict, one sample per row.")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the predictions to FILE instead of standard output.")
    Path output;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(model)) throw new UserError(model + ": no such model file");
        if (!Files.isRegularFile(input)) throw new UserError(input + ": no such file");
        ModelCard.LoadedModel m = ModelCard.load(model);
        ModelCard card = m.card();
        int inputs = m.architecture().inputs();
        Csv.Table table;
        try {
            table = Csv.read(input, null);
        } catch (java.io.IOException e) {
            // a label column of class names is text: try the file with the model's label column set aside
            try {
                table = Csv.read(input, card.labelName());
            } catch (java.io.IOException again) {
                throw e;
            }
            if (table.featureNames().size() != inputs) throw e;
        }
        int columns = table.featureNames().size();
        if (columns != inputs) {
            if (columns == inputs + 1 && table.featureNames().contains(card.labelName())) table = Csv.read(input, card.labelName());
            else throw new UserError(input + ": " + columns + " columns, but the model takes " + inputs + " input features ("
                + preview(card) + ")");
        }
        NdArray x = card.normalization().apply(table.features());
        NdArray y;
        var net = m.model().model();
        net.eval();
        try (var ignored = Tensor.noGrad()) {
            y = net.forward(Tensor.of(x)).data();
        }
        String csv = format(y, card);
        if (output != null) AtomicFile.writeString(output, csv);
        else {
            spec.commandLine().getOut().print(csv);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    private static String preview(ModelCard card) {
        var names = card.featureNames();
        return names.size() <= 8 ? String.join(", ", names) : String.join(", ", names.subList(0, 4)) + ", ..., " + names.get(names.size() - 1);
    }

    /** One line per row: the class and its probabilities or scores, or the predicted value. */
    static String format(NdArray y, ModelCard card) {
        int n = y.size(0), c = y.size(1);
        StringBuilder sb = new StringBuilder();
        if (card.classes() == 0) {
            sb.append(card.labelName().equals("label") ? "prediction" : card.labelName()).append('\n');
            for (int i = 0; i < n; i++) sb.append(num(y.get(i, 0))).append('\n');
            return sb.toString();
        }
        boolean probabilities = card.loss().equals("cross_entropy");
        NdArray shown = probabilities ? y.softmax(1) : y;
        sb.append("prediction");
        for (int k = 0; k < c; k++) sb.append(probabilities ? ",p_" : ",score_").append(csvField(card.className(k)));
        sb.append('\n');
        NdArray arg = y.argmax(1, false);
        for (int i = 0; i < n; i++) {
            sb.append(csvField(card.className((int) arg.get(i))));
            for (int k = 0; k < c; k++) sb.append(',').append(num(shown.get(i, k)));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A CSV field: quoted when it holds a comma, a quote or a line break. */
    static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String num(double v) { return String.format(Locale.ROOT, "%.6g", v); }
}
