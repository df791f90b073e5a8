package dev.nabla.autograd;

import dev.nabla.array.Shapes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reverse-mode engine: orders the graph above a root topologically, then walks it in reverse,
 * calling each node's VJP and accumulating gradients per tensor (so a tensor used twice receives
 * both contributions). Each VJP's result is checked to have its input's shape and dtype. Without
 * {@code retainGraph} the walked nodes are freed: marked, and their inputs dropped, so the graph no
 * longer holds the activations; a later walk through any of them fails, before computing anything,
 * with a message saying so. With {@code createGraph} the VJPs themselves are recorded, so the
 * gradients can be differentiated again.
 */
final class Autograd {
    private Autograd() {}

    /**
     * Runs the backward pass from root with the given output gradient. Returns the gradients of the
     * requested targets (in order; null where no gradient flows), and, when accumulate is set, adds the
     * gradients of leaves (and of tensors that retain their gradient) to their {@code grad}.
     */
    static Tensor[] run(Tensor root, Tensor gradOutput, boolean retainGraph, boolean createGraph,
                        List<Tensor> targets, boolean accumulate) {
        root.data();   // fails for a tensor whose workspace step has closed
        Workspace w = Workspace.open();
        if (w == null) return walk(root, gradOutput, retainGraph, createGraph, targets, accumulate);
        w.beginLending();   // inside a workspace step, backward's arrays are lent too
        try {
            return walk(root, gradOutput, retainGraph, createGraph, targets, accumulate);
        } finally {
            w.endLending();
        }
    }

    private static Tensor[] walk(Tensor root, Tensor gradOutput, boolean retainGraph, boolean createGraph,
                                 List<Tensor> targets, boolean accumulate) {
        if (!root.requiresGrad())
            throw new IllegalStateException("backward: the tensor does not require grad and has no graph "
                + "(no input had requiresGrad set, or it was computed inside a no-grad scope)");
        if (!Arrays.equals(gradOutput.shape(), root.shape()))
            throw new IllegalArgumentException("backward: the output gradient has shape " + Shapes.str(gradOutput.shape())
                + " but the output has shape " + Shapes.str(root.shape()));
        List<Tensor> order = topologicalOrder(root);
        // Refuse before computing anything, so that a failed call leaves no gradient half-accumulated.
        for (int i = order.size() - 1; i >= 0; i--) {   // from the root down: name the first freed node the walk would meet
            Tensor t = order.get(i);
            if (t.node != null && t.node.freed())
                throw new IllegalStateException("backward: trying to backward through the graph a second time: its "
                    + t.node.op.name() + " node (output shape " + Shapes.str(t.shape()) + ") was freed by an earlier backward. "
                    + "Pass retainGraph = true to the first backward if you need to call it again.");
        }
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        Map<Tensor, Integer> targetIndex = new IdentityHashMap<>();
        for (int i = 0; i < targets.size(); i++) targetIndex.put(targets.get(i), i);
        Tensor[] result = new Tensor[targets.size()];
        gradOutput.fresh = false;   // the caller's tensor: never adopted
        grads.put(root, gradOutput);
        try (GradMode.Scope ignored = GradMode.set(createGraph)) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = grads.remove(t);
                if (g == null) continue;
                Integer ti = targetIndex.get(t);
                if (ti != null) { g.fresh = false; result[ti] = g; }   // handed to the caller
                if (accumulate && (t.node == null || t.retainsGrad())) t.accumulateGrad(g, createGraph);
                Node node = t.node;
                if (node == null) continue;
                Tensor[] gin = accumulate && !createGraph && node.op instanceof Op.Linear lin
                    ? lin.firstOrder(g, node.inputs, t, gradSinks(node.inputs, targetIndex))
                    : node.op.vjp(g, node.inputs, t);
                for (int k = 0; k < node.inputs.length; k++) {
                    Tensor in = node.inputs[k];
                    if (!in.requiresGrad() || gin[k] == null) continue;
                    Tensor gk = gin[k];
                    if (!Arrays.equals(gk.shape(), in.shape()) || gk.dtype() != in.dtype())
                        throw new IllegalStateException("internal: " + node.op.name() + " produced a gradient of shape "
                            + Shapes.str(gk.shape()) + " and dtype " + gk.dtype() + " for input " + k + " of shape "
                            + Shapes.str(in.shape()) + " and dtype " + in.dtype());
                    if (gk.fresh && (gk == g || appearsTwice(gin, gk))) gk.fresh = false;   // shared: not one owner's
                    Tensor prev = grads.get(in);
                    grads.put(in, prev == null ? gk : prev.add(gk));
                }
                if (!retainGraph) node.free();
            }
        }
        return result;
    }

    /**
     * For a linear node: the stored gradient arrays of its weight and bias where they are leaves that
     * own one (see {@link Tensor#gradSink}), for the VJP to write into directly; null elsewhere.
     */
    private static Tensor.GradSink[] gradSinks(Tensor[] inputs, Map<Tensor, Integer> targets) {
        Tensor.GradSink[] sinks = new Tensor.GradSink[inputs.length];
        for (int k = 1; k < inputs.length; k++) {
            Tensor in = inputs[k];
            if (in.node == null && in.requiresGrad() && !targets.containsKey(in))
                sinks[k] = in.gradSink();
        }
        return sinks;
    }

    private static boolean appearsTwice(Tensor[] gin, Tensor gk) {
        int n = 0;
        for (Tensor t : gin) if (t == gk) n++;
        return n > 1;
    }

    /** Tensors reachable from root through recorded inputs, each after all of its inputs. */
    static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        // iterative DFS: a deep graph (a long training chain) must not overflow the stack
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] ins = t.node == null ? new Tensor[0] : t.node.inputs;
            if (next < ins.length) {
                frame[1] = next + 1;
                Tensor in = ins[next];
                if (in.requiresGrad() && visited.put(in, Boolean.TRUE) == null) stack.push(new Object[] {in, 0});
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
