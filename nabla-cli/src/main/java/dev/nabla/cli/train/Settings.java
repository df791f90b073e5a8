package dev.nabla.cli.train;

import dev.nabla.io.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that defines a training run, resolved (no "default" placeholders left), so that a
 * checkpoint or model file can carry it and a resumed run rebuilds the same data, model and
 * optimizer. Serialized as a flat JSON object.
 *
 * @param dataset        spirals, moons, circles, xor, blobs, mnist, or a CSV file's path
 * @param dataDir        the MNIST folder (null for other datasets)
 * @param labelColumn    the CSV label column (name or position), null for other datasets
 * @param samples        samples of a synthetic dataset (0 otherwise)
 * @param noise          noise of a synthetic dataset (0 otherwise)
 * @param classes        classes of spirals or blobs (0 otherwise)
 * @param model          "mlp" or "cnn"
 * @param imageShape     a CNN's input image [channels, height, width]; empty for an MLP
 * @param channels       a CNN's convolution channels, one entry per block; empty for an MLP
 * @param layers         hidden Linear layer sizes (a CNN's come after its convolution blocks)
 * @param warmup         epochs of linear warm-up before the schedule, 0 for none
 * @param earlyStopping  patience in epochs, 0 for none
 * @param augment        "none" or "shift:N" (random shifts of up to N pixels, images only)
 */
public record Settings(String dataset, String dataDir, String labelColumn, int samples, double noise, int classes,
                       String model, List<Integer> imageShape, List<Integer> channels, List<Integer> layers, String activation, String norm,
                       String loss, String optimizer, double lr, double momentum, double weightDecay, String schedule, int stepSize,
                       double gamma, int warmup, int epochs, int batchSize, long seed, double valFraction, int earlyStopping,
                       double labelSmoothing, String augment) {

    /** The architectures --model names. */
    public static final List<String> MODELS = List.of("mlp", "cnn");

    public Settings {
        imageShape = List.copyOf(imageShape);
        channels = List.copyOf(channels);
        layers = List.copyOf(layers);
    }

    public boolean isCnn() { return model.equals("cnn"); }

    public Settings withEpochs(int epochs) {
        return new Settings(dataset, dataDir, labelColumn, samples, noise, classes, model, imageShape, channels, layers, activation, norm, loss,
            optimizer, lr, momentum, weightDecay, schedule, stepSize, gamma, warmup, epochs, batchSize, seed, valFraction, earlyStopping,
            labelSmoothing, augment);
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("data_dir", dataDir);
        m.put("label_column", labelColumn);
        m.put("samples", (long) samples);
        m.put("noise", noise);
        m.put("classes", (long) classes);
        m.put("model", model);
        m.put("image_shape", imageShape.stream().map(Integer::longValue).toList());
        m.put("channels", channels.stream().map(Integer::longValue).toList());
        m.put("layers", layers.stream().map(Integer::longValue).toList());
        m.put("activation", activation);
        m.put("norm", norm);
        m.put("loss", loss);
        m.put("optimizer", optimizer);
        m.put("lr", lr);
        m.put("momentum", momentum);
        m.put("weight_decay", weightDecay);
        m.put("schedule", schedule);
        m.put("step_size", (long) stepSize);
        m.put("gamma", gamma);
        m.put("warmup", (long) warmup);
        m.put("epochs", (long) epochs);
        m.put("batch_size", (long) batchSize);
        m.put("seed", seed);
        m.put("val_fraction", valFraction);
        m.put("early_stopping", (long) earlyStopping);
        m.put("label_smoothing", labelSmoothing);
        m.put("augment", augment);
        return Json.write(m);
    }

    /**
     * The settings written by {@link #toJson}; anything missing or mistyped gets an IllegalArgumentException,
     * except "warmup", "norm", "model", "image_shape" and "channels", which runs written before they
     * existed lack (0, "none", "mlp" and empty lists).
     */
    public static Settings fromJson(String json) {
        Map<?, ?> m;
        try {
            if (!(Json.parse(json) instanceof Map<?, ?> map)) throw new IllegalArgumentException("run settings: not a JSON object");
            m = map;
        } catch (Json.ParseException e) {
            throw new IllegalArgumentException("run settings: malformed JSON: " + e.getMessage());
        }
        String model = m.containsKey("model") ? str(m, "model", false) : "mlp";
        if (!MODELS.contains(model)) throw new IllegalArgumentException("run settings: unknown \"model\" \"" + model + "\" (expected mlp or cnn)");
        List<Integer> imageShape = sizes(m, "image_shape", false), channels = sizes(m, "channels", false);
        if (model.equals("cnn") && (imageShape.size() != 3 || channels.isEmpty()))
            throw new IllegalArgumentException("run settings: a cnn needs \"image_shape\" [channels, height, width] and at least one entry "
                + "in \"channels\"");
        return new Settings(str(m, "dataset", false), str(m, "data_dir", true), str(m, "label_column", true), (int) num(m, "samples"),
            num(m, "noise"), (int) num(m, "classes"), model, imageShape, channels, sizes(m, "layers", true), str(m, "activation", false),
            m.containsKey("norm") ? str(m, "norm", false) : "none", str(m, "loss", false), str(m, "optimizer", false),
            num(m, "lr"), num(m, "momentum"), num(m, "weight_decay"), str(m, "schedule", false), (int) num(m, "step_size"),
            num(m, "gamma"), m.containsKey("warmup") ? (int) num(m, "warmup") : 0, (int) num(m, "epochs"), (int) num(m, "batch_size"), lng(m, "seed"), num(m, "val_fraction"),
            (int) num(m, "early_stopping"), num(m, "label_smoothing"), str(m, "augment", false));
    }

    /** A list of positive integers under key; absent means empty unless required. */
    private static List<Integer> sizes(Map<?, ?> m, String key, boolean required) {
        if (!m.containsKey(key) && !required) return List.of();
        if (!(m.get(key) instanceof List<?> l)) throw new IllegalArgumentException("run settings: \"" + key + "\" is not a list");
        List<Integer> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof Long size) || size < 1 || size > Integer.MAX_VALUE)
                throw new IllegalArgumentException("run settings: " + (key.equals("layers") ? "layer size" : "\"" + key + "\" entry") + " " + o
                    + " is not a positive integer");
            out.add((int) (long) size);
        }
        return out;
    }

    private static String str(Map<?, ?> m, String key, boolean nullable) {
        Object v = m.get(key);
        if (v == null && nullable) return null;
        if (!(v instanceof String s)) throw new IllegalArgumentException("run settings: \"" + key + "\" is missing or not a string");
        return s;
    }

    private static long lng(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Long n)) throw new IllegalArgumentException("run settings: \"" + key + "\" is missing or not an integer");
        return n;
    }

    private static double num(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Number n)) throw new IllegalArgumentException("run settings: \"" + key + "\" is missing or not a number");
        return n.doubleValue();
    }
}
