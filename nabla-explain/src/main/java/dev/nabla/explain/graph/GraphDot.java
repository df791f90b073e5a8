package dev.nabla.explain.graph;

import dev.nabla.array.NdArray;
import dev.nabla.autograd.Op;
import dev.nabla.autograd.Tensor;
import dev.nabla.explain.Numbers;
import dev.nabla.explain.compute.SpecModel;
import dev.nabla.explain.compute.Trace;
import dev.nabla.explain.spec.NetworkSpec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The computation graph of a spec's loss in Graphviz DOT: one node per tensor, found by walking from
 * the loss through {@link Tensor#op()} and {@link Tensor#inputs()}, each labelled with its op (or, for
 * a leaf, what it is: the input, a parameter, the target, a constant), its shape, its value and its
 * gradient (every tensor of the graph retains its gradient for this). Edges run from inputs to the
 * op that uses them, so the graph reads top-down from the batch and the parameters to the loss;
 * each op node's tooltip is its VJP formula ({@link Op#formula()}).
 */
public final class GraphDot {
    private GraphDot() {}

    /** Entries shown in full up to this count; larger tensors show their shape and first entries. */
    static final int FULL = 6;

    public static String render(NetworkSpec spec) { return render(Trace.run(SpecModel.build(spec), true)); }

    public static String render(Trace t) {
        Map<Tensor, String> names = names(t);
        Map<Tensor, Integer> ids = new IdentityHashMap<>();
        List<Tensor> order = new ArrayList<>();
        Deque<Tensor> todo = new ArrayDeque<>(List.of(t.loss()));
        while (!todo.isEmpty()) {
            Tensor x = todo.pop();
            if (ids.containsKey(x)) continue;
            ids.put(x, ids.size());
            order.add(x);
            for (Tensor in : x.inputs()) todo.push(in);
        }
        StringBuilder sb = new StringBuilder("digraph backprop {\n");
        sb.append("  graph [rankdir=TB, fontname=\"Helvetica\", label=\"").append(escape(title(t.model().spec())))
          .append("\", labelloc=t];\n");
        sb.append("  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n");
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor x = order.get(i);
            sb.append("  n").append(ids.get(x)).append(" [").append(attributes(x, names.get(x), x == t.loss())).append("];\n");
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor x = order.get(i);
            List<Tensor> ins = x.inputs();
            for (int k = 0; k < ins.size(); k++) {
                sb.append("  n").append(ids.get(ins.get(k))).append(" -> n").append(ids.get(x));
                if (ins.size() > 1) sb.append(" [label=\"").append(k).append("\"]");
                sb.append(";\n");
            }
        }
        return sb.append("}\n").toString();
    }

    private static String title(NetworkSpec spec) {
        return "Computation graph" + (spec.name() != null ? ": " + spec.name() : "") + " (value; grad = dL/d(node))";
    }

    /** What the explanation calls the tensors it knows: the input, the parameters, the target, the layer outputs. */
    private static Map<Tensor, String> names(Trace t) {
        Map<Tensor, String> m = new IdentityHashMap<>();
        m.put(t.input(), "input x");
        t.model().network().namedParameters().forEach((n, p) -> m.put(p, "parameter " + n));
        m.put(t.model().target(), "target y");
        for (int i = 0; i < t.outputs().size(); i++) {
            Tensor o = t.outputs().get(i);
            String label = "layer " + i + " output (activations." + i + ")";
            m.merge(o, label, (a, b) -> a + "\n" + b);
        }
        m.merge(t.dataLoss(), "data loss", (a, b) -> a + "\n" + b);
        if (t.penalty() != null) m.merge(t.penalty(), "L2 penalty", (a, b) -> a + "\n" + b);
        m.merge(t.loss(), "loss L", (a, b) -> a.equals(b) ? a : a + "\n" + b);
        return m;
    }

    private static String attributes(Tensor x, String name, boolean isLoss) {
        Op op = x.op();
        StringBuilder label = new StringBuilder();
        if (op != null) label.append(op.name());
        if (name != null) label.append(label.isEmpty() ? "" : "\\n").append(escape(name).replace("\n", "\\n"));
        if (label.isEmpty()) label.append("constant");
        label.append("\\n").append(shape(x.shape()));
        label.append("\\nvalue ").append(escape(values(x.data())));
        if (x.grad() != null) label.append("\\ngrad ").append(escape(values(x.grad().data())));
        StringBuilder a = new StringBuilder("label=\"").append(label).append('"');
        if (op == null) {
            boolean param = name != null && name.startsWith("parameter");
            a.append(", shape=box, style=filled, fillcolor=\"").append(param ? "#cfe2ff" : "#eeeeee").append('"');
        } else {
            a.append(", shape=").append(isLoss ? "doubleoctagon" : "ellipse");
            if (name != null) a.append(", style=filled, fillcolor=\"").append(isLoss ? "#ffd6d6" : "#fff3c4").append('"');
            a.append(", tooltip=\"").append(escape(op.formula())).append('"');
        }
        return a.toString();
    }

    private static String shape(int[] s) {
        if (s.length == 0) return "scalar";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length; i++) sb.append(i > 0 ? "×" : "").append(s[i]);
        return sb.toString();
    }

    /** All entries of a small tensor; the first few of a large one. */
    static String values(NdArray a) {
        double[] v = a.toDoubleArray();
        int shown = Math.min(v.length, FULL);
        StringBuilder sb = new StringBuilder(v.length == 1 ? "" : "[");
        for (int i = 0; i < shown; i++) sb.append(i > 0 ? ", " : "").append(Numbers.format(v[i], 4));
        if (v.length > shown) sb.append(", … (").append(v.length).append(" entries)");
        return sb.append(v.length == 1 ? "" : "]").toString();
    }

    /** Escapes a string for a double-quoted DOT label. */
    static String escape(String s) { return s.replace("\\", "\\\\").replace("\"", "\\\""); }
}
