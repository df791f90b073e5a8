package dev.nabla.explain.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The loss of a network spec (docs/spec-format.md): a per-sample loss, a reduction over the batch, a scale
 * factor, and the loss's own parameter (huber's delta, multiclass_hinge's margin).
 *
 * <p>The reduced loss is {@code scale · (Σ_n ℓ_n) / divisor}, where divisor is 1 for {@code sum},
 * N for {@code batchmean}, and for {@code mean} N·dL for the element-wise losses and N for the
 * per-sample ones.
 */
public record LossSpec(Type type, Reduction reduction, double scale, double delta, double margin) {

    /** The per-sample losses of docs/spec-format.md. */
    public enum Type {
        SQUARED_ERROR(true, false), ABS_ERROR(true, false), HUBER(true, false), BCE(true, false),
        BCE_WITH_LOGITS(true, false), CROSS_ENTROPY(false, true), HINGE(true, false),
        MULTICLASS_HINGE(false, true), COSINE(false, false);

        private final boolean elementWise;
        private final boolean classTargets;

        Type(boolean elementWise, boolean classTargets) {
            this.elementWise = elementWise;
            this.classTargets = classTargets;
        }

        public String jsonName() { return name().toLowerCase(Locale.ROOT); }

        /** True when the per-sample loss is a sum of one term per output entry (mean divides by N·dL). */
        public boolean elementWise() { return elementWise; }

        /** True when the target is one class index per sample rather than a row of numbers. */
        public boolean classTargets() { return classTargets; }

        public static Type fromJson(String s) {
            for (Type t : values()) if (t.jsonName().equals(s)) return t;
            return null;
        }

        public static String choices() {
            return Arrays.stream(values()).map(Type::jsonName).collect(Collectors.joining(", "));
        }
    }

    /** How the per-sample losses combine over the batch. */
    public enum Reduction {
        SUM, BATCHMEAN, MEAN;

        public String jsonName() { return name().toLowerCase(Locale.ROOT); }

        public static Reduction fromJson(String s) {
            for (Reduction r : values()) if (r.jsonName().equals(s)) return r;
            return null;
        }
    }

    /** The number the summed per-sample losses are divided by, for a batch of n rows of width d. */
    public double divisor(int n, int d) {
        return switch (reduction) {
            case SUM -> 1;
            case BATCHMEAN -> n;
            case MEAN -> type.elementWise() ? (double) n * d : n;
        };
    }
}
