package dev.nabla.explain.spec;

import dev.nabla.array.DType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a network spec (docs/spec-format.md) and checks it completely before anything is computed:
 * the JSON syntax, every field's type, that each layer's weight fits the width of what comes before
 * it, that matrices are not ragged, that numbers are finite, and that targets fit the output (class
 * indices in range). The first problem found becomes one {@link SpecError} naming the file, the JSON
 * path and what was expected.
 */
public final class SpecParser {
    private SpecParser() {}

    private static final Set<String> TOP = Set.of("name", "input", "target", "layers", "loss", "l2", "sgd", "dtype");
    private static final Set<String> LINEAR = Set.of("type", "name", "weight", "bias");
    private static final Set<String> ACTIVATION = Set.of("type", "name");
    private static final Set<String> LOSS = Set.of("type", "reduction", "scale", "delta", "margin");
    private static final Set<String> SGD = Set.of("lr");

    /** Reads the spec in a file; messages name the file as given. */
    public static NetworkSpec read(Path file) { return parse(JsonAt.read(file)); }

    /** Parses spec text; messages name the given file name. */
    public static NetworkSpec parse(String file, String json) { return parse(JsonAt.parse(file, json)); }

    /** Builds a spec from parsed JSON. */
    public static NetworkSpec parse(JsonAt root) {
        root.object("a JSON object with input, target, layers and loss (a network spec)", TOP);
        String name = root.optionalString("name", "a string (the spec's title)");

        double[][] input = root.required("input", "N x d0 numbers, one row per sample")
            .matrix("N x d0 numbers, one row per sample", -1, "", -1, "");
        int n = input.length;

        List<LayerSpec> layers = layers(root.required("layers", "an array of layers"), input[0].length);
        int outWidth = input[0].length;
        for (LayerSpec l : layers) if (l instanceof LayerSpec.Linear lin) outWidth = lin.outFeatures();

        LossSpec loss = loss(root.required("loss", "an object such as {\"type\": \"squared_error\"}"));
        Target target = target(root.required("target", "the targets, one per input row"), loss.type(), n, outWidth);

        double l2 = root.optionalNumber("l2", 0.0, "a number λ ≥ 0 (the L2 penalty λ·Σ‖W‖²)");
        if (l2 < 0) throw root.field("l2").error("is negative (" + l2 + "); expected λ ≥ 0");

        NetworkSpec.Sgd sgd = null;
        JsonAt s = root.field("sgd");
        if (!s.isAbsent()) {
            s.object("an object {\"lr\": learning rate} (one plain SGD step)", SGD);
            JsonAt lr = s.required("lr", "the learning rate, a number ≥ 0");
            sgd = new NetworkSpec.Sgd(lr.number("the learning rate, a number ≥ 0"));
            if (sgd.lr() < 0) throw lr.error("is negative (" + sgd.lr() + "); expected a learning rate ≥ 0");
        }

        DType dtype = DType.FLOAT64;
        String dt = root.optionalString("dtype", "\"float64\" or \"float32\"");
        if (dt != null) {
            dtype = switch (dt) {
                case "float64" -> DType.FLOAT64;
                case "float32" -> DType.FLOAT32;
                default -> throw root.field("dtype").error("unknown dtype '" + dt + "' (expected float64 or float32)");
            };
        }
        return new NetworkSpec(root.file(), name, input, target, layers, loss, l2, sgd, dtype);
    }

    private static List<LayerSpec> layers(JsonAt at, int inputWidth) {
        List<JsonAt> items = at.array("an array of layers");
        if (items.isEmpty()) throw at.error("is empty, expected at least one layer");
        List<LayerSpec> out = new ArrayList<>();
        int width = inputWidth;
        for (int i = 0; i < items.size(); i++) {
            JsonAt l = items.get(i);
            if (l.isMissing() || !l.node().isObject())
                throw l.error("expected a layer object such as {\"type\": \"linear\", ...}, found " + JsonAt.describe(l.node()));
            String type = l.required("type", "linear or one of " + activationChoices()).string("a layer type");
            String name = l.optionalString("name", "a string (the layer's display name)");
            if (type.equals("linear")) {
                l.object("a linear layer", LINEAR);
                double[][] w = l.required("weight", "out x in numbers").matrix("out x in numbers", -1, "", width,
                    "the layer's input size" + (i == 0 ? ", the width of input" : ", the output size of the layer before"));
                double[] b = null;
                JsonAt bias = l.field("bias");
                if (!bias.isAbsent())
                    b = bias.vector("the bias, out numbers", w.length, "the layer's output size, the rows of weight");
                out.add(new LayerSpec.Linear(name, w, b));
                width = w.length;
            } else {
                LayerSpec.Kind kind = LayerSpec.Kind.fromJson(type);
                if (kind == null)
                    throw l.field("type").error("unknown layer type '" + type + "' (expected linear or one of " + activationChoices() + ")");
                l.object("an activation layer (only type and name)", ACTIVATION);
                out.add(new LayerSpec.Activation(kind, name));
            }
        }
        return out;
    }

    private static String activationChoices() {
        return Arrays.stream(LayerSpec.Kind.values()).map(LayerSpec.Kind::jsonName).collect(Collectors.joining(", "));
    }

    private static LossSpec loss(JsonAt at) {
        at.object("an object such as {\"type\": \"squared_error\", \"reduction\": \"sum\"}", LOSS);
        String t = at.required("type", "one of " + LossSpec.Type.choices()).string("a loss type");
        LossSpec.Type type = LossSpec.Type.fromJson(t);
        if (type == null) throw at.field("type").error("unknown loss type '" + t + "' (expected one of " + LossSpec.Type.choices() + ")");
        LossSpec.Reduction red = LossSpec.Reduction.MEAN;
        String r = at.optionalString("reduction", "sum, batchmean or mean");
        if (r != null) {
            red = LossSpec.Reduction.fromJson(r);
            if (red == null) throw at.field("reduction").error("unknown reduction '" + r + "' (expected sum, batchmean or mean)");
        }
        double scale = at.optionalNumber("scale", 1.0, "a number (the factor the loss is multiplied by)");
        if (!at.field("delta").isAbsent() && type != LossSpec.Type.HUBER)
            throw at.field("delta").error("applies only to the huber loss, not " + t);
        if (!at.field("margin").isAbsent() && type != LossSpec.Type.MULTICLASS_HINGE)
            throw at.field("margin").error("applies only to the multiclass_hinge loss, not " + t);
        double delta = at.optionalNumber("delta", 1.0, "a number δ > 0 (huber's threshold)");
        if (delta <= 0) throw at.field("delta").error("is " + delta + "; expected δ > 0");
        double margin = at.optionalNumber("margin", 1.0, "a number (the hinge margin)");
        return new LossSpec(type, red, scale, delta, margin);
    }

    private static Target target(JsonAt at, LossSpec.Type type, int n, int outWidth) {
        if (!type.classTargets()) {
            double[][] rows = at.matrix("N x dL numbers, one row per input row", n, "one row per input row",
                outWidth, "the network's output size");
            if (type == LossSpec.Type.HINGE)
                for (int r = 0; r < rows.length; r++)
                    for (int c = 0; c < rows[r].length; c++)
                        if (rows[r][c] != 1 && rows[r][c] != -1)
                            throw at.index(r).index(c).error("is " + at.node().get(r).get(c).asText()
                                + "; the hinge loss takes targets -1 or 1");
            return new Target.Values(rows);
        }
        List<JsonAt> items = at.array("N class indices (" + type.jsonName() + " takes one 0-based class index per sample)");
        if (items.size() != n)
            throw at.error("has " + items.size() + (items.size() == 1 ? " class index" : " class indices")
                + ", expected " + n + " (one per input row)");
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            JsonAt c = items.get(i);
            double v = c.number("a class index (a 0-based integer; " + type.jsonName() + " takes one per sample)");
            if (v != Math.rint(v)) throw c.error("class index " + c.node().asText() + " is not an integer");
            if (v < 0 || v >= outWidth)
                throw c.error("class index " + (long) v + " is out of range: the network has " + outWidth
                    + " outputs, so classes are 0 to " + (outWidth - 1));
            classes[i] = (int) v;
        }
        return new Target.Classes(classes);
    }
}
