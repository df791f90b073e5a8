package dev.nabla.train;

import dev.nabla.array.DType;
import dev.nabla.io.Json;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.GELU;
import dev.nabla.nn.LayerNorm;
import dev.nabla.nn.LeakyReLU;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Sigmoid;
import dev.nabla.nn.Softplus;
import dev.nabla.nn.Tanh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The architecture of a multi-layer perceptron, as data: inputs → hidden[0] → … → outputs, with
 * an activation after every hidden layer and none after the last (the loss decides what the
 * outputs mean), and optionally a normalization between each hidden layer and its activation.
 * {@link #build} makes the float32 {@link Sequential}
 * {@code Linear(inputs, h0), act, Linear(h0, h1), act, …, Linear(h_last, outputs)}, so its
 * parameters are named {@code 0.weight}, {@code 0.bias}, {@code 2.weight}, …; with a normalization,
 * {@code Linear(inputs, h0), norm, act, Linear(h0, h1), norm, act, …} ({@code 0.weight},
 * {@code 1.weight}, {@code 1.running_mean}, {@code 3.weight}, …). {@link #toJson} and
 * {@link #fromJson} let a model file carry the architecture, so that it can be rebuilt.
 *
 * @param norm "none", "batch" ({@link BatchNorm1d}) or "layer" ({@link LayerNorm}), each with PyTorch's defaults
 */
public record Mlp(int inputs, List<Integer> hidden, int outputs, String activation, String norm) implements Architecture {

    /**
     * The activation names {@link #build} knows. "gelu" is the exact GELU x·Φ(x) (PyTorch's
     * {@code nn.GELU()}), "gelu_tanh" its tanh approximation ({@code nn.GELU(approximate='tanh')}).
     */
    public static final List<String> ACTIVATIONS = List.of("relu", "tanh", "sigmoid", "leaky_relu", "gelu", "gelu_tanh", "softplus");

    /** The normalization names {@link #build} knows. */
    public static final List<String> NORMS = List.of("none", "batch", "layer");

    /** An MLP without normalization. */
    public Mlp(int inputs, List<Integer> hidden, int outputs, String activation) { this(inputs, hidden, outputs, activation, "none"); }

    public Mlp {
        hidden = List.copyOf(hidden);
        if (inputs < 1) throw new IllegalArgumentException("MLP: " + inputs + " inputs; needs at least 1");
        if (outputs < 1) throw new IllegalArgumentException("MLP: " + outputs + " outputs; needs at least 1");
        for (int h : hidden)
            if (h < 1) throw new IllegalArgumentException("MLP: hidden layer size " + h + " must be at least 1 (layers " + hidden + ")");
        if (!ACTIVATIONS.contains(activation))
            throw new IllegalArgumentException("MLP: unknown activation \"" + activation + "\" (choose from " + String.join(", ", ACTIVATIONS) + ")");
        if (norm == null || !NORMS.contains(norm))
            throw new IllegalArgumentException("MLP: unknown normalization \"" + norm + "\" (choose from " + String.join(", ", NORMS) + ")");
    }

    /** The layer sizes from input to output: [inputs, hidden..., outputs]. */
    public List<Integer> sizes() { return sizes(inputs, hidden, outputs); }

    /** [first, hidden..., last]: the sizes of a chain of Linear layers. */
    static List<Integer> sizes(int first, List<Integer> hidden, int last) {
        List<Integer> s = new ArrayList<>();
        s.add(first);
        s.addAll(hidden);
        s.add(last);
        return s;
    }

    /** The weights and biases of the Linear layers, plus a normalization's scale and shift per hidden unit. */
    @Override
    public long parameterCount() {
        long n = 0;
        List<Integer> s = sizes();
        for (int i = 0; i + 1 < s.size(); i++) n += (long) s.get(i) * s.get(i + 1) + s.get(i + 1);
        if (!norm.equals("none")) for (int h : hidden) n += 2L * h;
        return n;
    }

    /** A new float32 network with PyTorch's default initialization, drawn from rng. */
    @Override
    public Sequential build(RandomGenerator rng) {
        Sequential net = new Sequential();
        List<Integer> s = sizes();
        for (int i = 0; i + 1 < s.size(); i++) {
            net.add(new Linear(s.get(i), s.get(i + 1), true, DType.FLOAT32, rng));
            if (i + 2 < s.size()) {
                if (norm.equals("batch")) net.add(new BatchNorm1d(s.get(i + 1)));
                else if (norm.equals("layer")) net.add(new LayerNorm(s.get(i + 1)));
                net.add(activation(activation));
            }
        }
        return net;
    }

    /** A new activation module by name. */
    public static Module activation(String name) {
        return switch (name) {
            case "relu" -> new ReLU();
            case "tanh" -> new Tanh();
            case "sigmoid" -> new Sigmoid();
            case "leaky_relu" -> new LeakyReLU(0.01);
            case "gelu" -> new GELU();
            case "gelu_tanh" -> new GELU(GELU.Approximate.TANH);
            case "softplus" -> new Softplus();
            default -> throw new IllegalArgumentException("unknown activation \"" + name + "\" (choose from " + String.join(", ", ACTIVATIONS) + ")");
        };
    }

    /**
     * {"type":"mlp","inputs":…,"hidden":[…],"outputs":…,"activation":"…"}, and "norm":"…" after it when
     * there is a normalization (so a file without one reads as it did before normalizations existed).
     */
    @Override
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "mlp");
        m.put("inputs", (long) inputs);
        m.put("hidden", hidden.stream().map(Integer::longValue).toList());
        m.put("outputs", (long) outputs);
        m.put("activation", activation);
        if (!norm.equals("none")) m.put("norm", norm);
        return Json.write(m);
    }

    /**
     * The architecture written by {@link #toJson}; a malformed one gets an IllegalArgumentException saying what is wrong.
     * "norm" may be absent (files written before it existed): none.
     */
    public static Mlp fromJson(String json) {
        Map<?, ?> m = object(json, "mlp");
        if (!(m.get("inputs") instanceof Long in) || !(m.get("outputs") instanceof Long out) || !(m.get("hidden") instanceof List<?> h)
            || !(m.get("activation") instanceof String act))
            throw new IllegalArgumentException("architecture: needs integer \"inputs\" and \"outputs\", a \"hidden\" list and an \"activation\": " + json);
        List<Integer> hidden = new ArrayList<>();
        for (Object x : h) {
            if (!(x instanceof Long l) || l > Integer.MAX_VALUE) throw new IllegalArgumentException("architecture: hidden size " + x + " is not an integer");
            hidden.add((int) (long) l);
        }
        if (in > Integer.MAX_VALUE || out > Integer.MAX_VALUE) throw new IllegalArgumentException("architecture: sizes too large: " + json);
        Object norm = m.containsKey("norm") ? m.get("norm") : "none";
        if (!(norm instanceof String n)) throw new IllegalArgumentException("architecture: \"norm\" is not a string: " + json);
        return new Mlp((int) (long) in, hidden, (int) (long) out, act, n);
    }

    /** An architecture's JSON parsed, checked to be an object with the given "type" (an IllegalArgumentException saying what is wrong). */
    static Map<?, ?> object(String json, String type) {
        Object o;
        try {
            o = Json.parse(json);
        } catch (Json.ParseException e) {
            throw new IllegalArgumentException("architecture: malformed JSON: " + e.getMessage());
        }
        if (!(o instanceof Map<?, ?> m) || !type.equals(m.get("type")))
            throw new IllegalArgumentException("architecture: expected an object with \"type\": \"" + type + "\", found " + json);
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int s : sizes()) sb.append(sb.isEmpty() ? "" : "-").append(s);
        return "MLP " + sb + " (" + activation + (norm.equals("none") ? "" : ", " + norm + " norm") + ")";
    }
}
