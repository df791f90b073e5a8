package dev.nabla.explain.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.explain.spec.LayerSpec;
import dev.nabla.explain.spec.NetworkSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address of one number in the output object of docs/spec-format.md: {@code loss}, {@code loss_after},
 * {@code output[n][k]}, {@code activations.L[n][k]}, {@code deltas.L[n][k]},
 * {@code gradients.L.weight[i][j]}, {@code gradients.L.bias[i]}, {@code updated.L.weight[i][j]},
 * {@code updated.L.bias[i]}.
 *
 * @param group  loss, loss_after, output, activations, deltas, gradients or updated
 * @param key    the layer index ("2") or parameter name ("2.weight") inside the group, or null
 * @param index  the indices into the array (empty for a scalar)
 */
public record ClaimPath(String text, String group, String key, int[] index) {

    public static final String GRAMMAR = "loss, loss_after, output[n][k], activations.L[n][k], deltas.L[n][k], "
        + "gradients.L.weight[i][j], gradients.L.bias[i], updated.L.weight[i][j], updated.L.bias[i]";

    private static final Pattern SYNTAX = Pattern.compile(
        "(loss|loss_after)|(output)((?:\\[\\d+])*)|(activations|deltas)\\.(\\d+)((?:\\[\\d+])*)"
        + "|(gradients|updated)\\.(\\d+\\.(?:weight|bias))((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    /** Parses a path; null when it does not follow the grammar. */
    public static ClaimPath parse(String text) {
        Matcher m = SYNTAX.matcher(text.strip());
        if (!m.matches()) return null;
        if (m.group(1) != null) return new ClaimPath(text, m.group(1), null, new int[0]);
        if (m.group(2) != null) return new ClaimPath(text, "output", null, indices(m.group(3)));
        if (m.group(4) != null) return new ClaimPath(text, m.group(4), m.group(5), indices(m.group(6)));
        return new ClaimPath(text, m.group(7), m.group(8), indices(m.group(9)));
    }

    private static int[] indices(String s) {
        Matcher m = INDEX.matcher(s);
        List<Integer> l = new ArrayList<>();
        while (m.find()) {
            try {
                l.add(Integer.parseInt(m.group(1)));
            } catch (NumberFormatException e) {
                l.add(Integer.MAX_VALUE);   // reported as out of range
            }
        }
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The number at this path in an output tree, or NaN when there is none (see {@link #problem}). */
    public double valueIn(JsonNode tree) {
        JsonNode n = tree.get(group);
        if (n != null && key != null) n = n.get(key);
        for (int i : index) n = n == null ? null : n.get(i);
        return n != null && n.isNumber() ? n.doubleValue() : Double.NaN;
    }

    /**
     * Why this path names no number of the given output tree, said in the spec's terms (no such
     * layer, a layer without parameters, an index out of range, no SGD step), or null when it does.
     */
    public String problem(JsonNode tree, NetworkSpec spec) {
        int layers = spec.layers().size();
        if (group.equals("loss_after") || group.equals("updated")) {
            if (!spec.hasSgd()) return "the spec has no sgd step, so there is no " + group + (key == null ? "" : ".*");
        }
        JsonNode n = tree.get(group);
        String where = group;
        if (key != null) {
            int layer = Integer.parseInt(key.contains(".") ? key.substring(0, key.indexOf('.')) : key);
            if (layer >= layers)
                return "the network has no layer " + layer + " (layers 0 to " + (layers - 1) + ")";
            if (key.contains(".")) {
                LayerSpec l = spec.layers().get(layer);
                if (!(l instanceof LayerSpec.Linear lin))
                    return "layer " + layer + " (" + l.type() + ") has no parameters (the parameters are "
                        + String.join(", ", fieldNames(n)) + ")";
                if (key.endsWith("bias") && !lin.hasBias()) return "layer " + layer + " (linear) has no bias";
            }
            n = n.get(key);
            where = group + "." + key;
        }
        int rank = depth(n);
        if (index.length != rank)
            return where + " is " + shapeWords(n) + ", so it takes " + rank + (rank == 1 ? " index" : " indices")
                + ", not " + index.length;
        JsonNode array = n;
        for (int d = 0; d < index.length; d++) {
            if (index[d] >= n.size()) {
                String what = index.length == 1 ? "entries" : d == 0 ? "rows" : "columns";
                return "index " + (index[d] == Integer.MAX_VALUE ? "(too large)" : String.valueOf(index[d]))
                    + " is out of range: " + where + " is " + shapeWords(array) + " (" + what + " 0 to " + (n.size() - 1) + ")";
            }
            n = n.get(index[d]);
        }
        return null;
    }

    private static String shapeWords(JsonNode n) {
        int rank = depth(n);
        if (rank == 0) return "a number";
        if (rank == 1) return "a vector of " + n.size();
        return n.size() + " x " + n.get(0).size();
    }

    private static int depth(JsonNode n) {
        int d = 0;
        while (n != null && n.isArray()) { d++; n = n.get(0); }
        return d;
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> l = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) l.add(it.next());
        return l;
    }

    /** Every numeric entry of an output tree, as paths. */
    public static List<ClaimPath> leaves(JsonNode tree) {
        List<ClaimPath> out = new ArrayList<>();
        for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
            String g = it.next();
            JsonNode n = tree.get(g);
            if (n.isNumber()) out.add(new ClaimPath(g, g, null, new int[0]));
            else if (n.isArray()) addLeaves(out, g, null, n, new int[0]);
            else for (Iterator<String> ks = n.fieldNames(); ks.hasNext(); ) {
                String k = ks.next();
                addLeaves(out, g, k, n.get(k), new int[0]);
            }
        }
        return out;
    }

    private static void addLeaves(List<ClaimPath> out, String group, String key, JsonNode n, int[] at) {
        if (n.isNumber()) {
            StringBuilder sb = new StringBuilder(group);
            if (key != null) sb.append('.').append(key);
            for (int i : at) sb.append('[').append(i).append(']');
            out.add(new ClaimPath(sb.toString(), group, key, at));
            return;
        }
        for (int i = 0; i < n.size(); i++) {
            int[] next = Arrays.copyOf(at, at.length + 1);
            next[at.length] = i;
            addLeaves(out, group, key, n.get(i), next);
        }
    }

    /** The same array with the two indices swapped (a transposed entry), or null for other ranks. */
    public ClaimPath transposed() {
        if (index.length != 2) return null;
        StringBuilder sb = new StringBuilder(group);
        if (key != null) sb.append('.').append(key);
        sb.append('[').append(index[1]).append("][").append(index[0]).append(']');
        return new ClaimPath(sb.toString(), group, key, new int[] {index[1], index[0]});
    }

    /** True when both paths name the same array (not necessarily the same entry). */
    public boolean sameArray(ClaimPath o) {
        return group.equals(o.group) && java.util.Objects.equals(key, o.key);
    }

    @Override public boolean equals(Object o) { return o instanceof ClaimPath p && sameArray(p) && Arrays.equals(index, p.index); }
    @Override public int hashCode() { return group.hashCode() * 31 + java.util.Objects.hashCode(key) * 7 + Arrays.hashCode(index); }
    @Override public String toString() { return text; }
}
