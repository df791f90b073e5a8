package dev.nabla.explain.spec;

import java.util.Locale;

/** One layer of a network spec: a linear map or an element-wise (or row-wise) activation. */
public sealed interface LayerSpec {

    /** The display name the spec gave the layer, or null. */
    String name();

    /** The spec's type word ({@code linear}, {@code sigmoid}, ...). */
    String type();

    /**
     * z = x Wᵀ + b: weight is out x in, bias has out entries or is null (no bias).
     * The arrays are the parsed spec's own; nothing modifies them.
     */
    record Linear(String name, double[][] weight, double[] bias) implements LayerSpec {
        public String type() { return "linear"; }
        public int inFeatures() { return weight[0].length; }
        public int outFeatures() { return weight.length; }
        public boolean hasBias() { return bias != null; }
    }

    /** An activation layer without parameters. */
    record Activation(Kind kind, String name) implements LayerSpec {
        public String type() { return kind.jsonName(); }
    }

    /** The activations a spec may name. Softmax works over each row (each sample). */
    enum Kind {
        SIGMOID, TANH, RELU, SOFTMAX, IDENTITY;

        public String jsonName() { return name().toLowerCase(Locale.ROOT); }

        /** True when the activation acts on each entry alone (its Jacobian is diagonal). */
        public boolean elementWise() { return this != SOFTMAX; }

        public static Kind fromJson(String s) {
            for (Kind k : values()) if (k.jsonName().equals(s)) return k;
            return null;
        }
    }
}
