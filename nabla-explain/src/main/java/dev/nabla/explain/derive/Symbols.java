package dev.nabla.explain.derive;

import dev.nabla.explain.spec.LayerSpec;
import dev.nabla.explain.spec.NetworkSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a derivation gives to the quantities of a spec's network. Each linear layer gets a tag:
 * its spec name (letters and digits kept; a name like {@code W1} gives the tag {@code 1}), else its
 * number among the linear layers. Linear layer t computes z_t = x W_tᵀ + b_t; the activation after
 * it gives a_t. With a batch of several samples the letters are capitals (X, Z, A, Y, Δ).
 */
final class Symbols {
    private static final Pattern LETTERS_DIGITS = Pattern.compile("[A-Za-z]{1,2}(\\d+)");

    private final NetworkSpec spec;
    private final boolean batch;
    private final List<String> tags = new ArrayList<>();
    private final List<String> primes = new ArrayList<>();

    Symbols(NetworkSpec spec) {
        this.spec = spec;
        this.batch = spec.batchSize() > 1;
        Set<String> used = new HashSet<>();
        String tag = "0";
        int linear = 0, sinceLinear = 0;
        for (LayerSpec l : spec.layers()) {
            if (l instanceof LayerSpec.Linear) {
                linear++;
                String t = fromName(l.name());
                if (t == null || !used.add(t)) t = String.valueOf(linear);
                used.add(t);
                tag = t;
                sinceLinear = 0;
                primes.add("");
            } else {
                primes.add(sinceLinear == 0 ? "" : "′".repeat(sinceLinear));
                sinceLinear++;
            }
            tags.add(tag);
        }
    }

    private static String fromName(String name) {
        if (name == null) return null;
        Matcher m = LETTERS_DIGITS.matcher(name);
        if (m.matches()) return m.group(1);
        String t = name.replaceAll("[^A-Za-z0-9]", "");
        return t.isEmpty() ? null : t;
    }

    boolean batch() { return batch; }

    String tag(int layer) { return tags.get(layer); }

    Formula input() { return Formula.sym(batch ? "X" : "x", null); }

    Formula target() { return Formula.sym(batch ? "Y" : "y", null); }

    Formula output() { return batch ? Formula.of("Ŷ", "\\hat{Y}") : Formula.of("ŷ", "\\hat{y}"); }

    Formula loss() { return Formula.sym("L", null); }

    /** The symbol of layer i's output: z_t for a linear layer, a_t for an activation. */
    Formula out(int i) {
        boolean linear = spec.layers().get(i) instanceof LayerSpec.Linear;
        String base = linear ? (batch ? "Z" : "z") : (batch ? "A" : "a");
        String p = primes.get(i);
        return Formula.sym(base + p, base + "'".repeat(p.length()), tags.get(i));
    }

    /** The symbol of layer i's input: x for layer 0, else the output of layer i − 1. */
    Formula in(int i) { return i == 0 ? input() : out(i - 1); }

    Formula weight(int i) { return Formula.sym("W", tags.get(i)); }

    Formula bias(int i) { return Formula.sym("b", tags.get(i)); }

    /** δ_t: the error signal ∂L/∂z_t at a linear layer's output. */
    Formula delta(int i) { return batch ? Formula.sym("Δ", "\\Delta", tags.get(i)) : Formula.sym("δ", "\\delta", tags.get(i)); }

    /** ∂L/∂(layer i output). */
    Formula grad(int i) { return Formula.partial(loss(), out(i)); }
}
