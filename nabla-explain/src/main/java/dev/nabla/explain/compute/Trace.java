package dev.nabla.explain.compute;

import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.explain.spec.LayerSpec;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One forward and backward pass of a spec's network, with the tensors kept: the input, each layer's
 * output (asked to retain its gradient, so that ∂L/∂(layer output) is available after backward),
 * the data loss, the penalty and the total loss. Layers are run one by one through their modules,
 * which is exactly what {@link Sequential#forward} does, so that every intermediate output is in hand.
 */
public final class Trace {
    private final SpecModel model;
    private final Tensor input;
    private final List<Tensor> outputs;
    private final List<NdArray> slopes;
    private final Tensor dataLoss;
    private final Tensor penalty;
    private final Tensor loss;

    private Trace(SpecModel model, Tensor input, List<Tensor> outputs, List<NdArray> slopes,
                  Tensor dataLoss, Tensor penalty, Tensor loss) {
        this.model = model;
        this.input = input;
        this.outputs = outputs;
        this.slopes = slopes;
        this.dataLoss = dataLoss;
        this.penalty = penalty;
        this.loss = loss;
    }

    /**
     * Runs forward, the loss, and backward. With retainAll every tensor of the graph keeps its
     * gradient (for drawing the graph); otherwise only the input, the layer outputs and the parameters.
     */
    public static Trace run(SpecModel model, boolean retainAll) {
        Sequential net = model.network();
        Tensor x = model.input();
        List<Tensor> outs = new ArrayList<>();
        Tensor h = x;
        for (Module m : net.layers()) {
            h = m.forward(h);
            h.retainGrad();
            outs.add(h);
        }
        Tensor data = model.dataLoss(h);
        Tensor pen = model.penalty();
        Tensor total = pen == null ? data : data.add(pen);
        if (retainAll) retainEverything(total);
        List<NdArray> slopes = slopes(model, x, outs);
        // the graph is kept: the DOT drawing and the rounded pass read each tensor's op and inputs afterwards
        total.backward(null, true, false);
        return new Trace(model, x, List.copyOf(outs), slopes, data, pen, total);
    }

    /**
     * f′(z) of each element-wise activation layer, taken from autograd as the gradient of its output
     * with respect to its input for an output gradient of ones (null for linear and softmax layers).
     */
    private static List<NdArray> slopes(SpecModel model, Tensor x, List<Tensor> outs) {
        List<NdArray> s = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) {
            LayerSpec l = model.spec().layers().get(i);
            if (l instanceof LayerSpec.Activation a && a.kind().elementWise()) {
                Tensor in = i == 0 ? x : outs.get(i - 1), out = outs.get(i);
                Tensor ones = Tensor.of(NdArray.ones(out.dtype(), out.shape()));
                s.add(out.gradient(List.of(in), ones, true, false).get(0).data());
            } else {
                s.add(null);
            }
        }
        return Collections.unmodifiableList(s);
    }

    private static void retainEverything(Tensor root) {
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        List<Tensor> stack = new ArrayList<>(List.of(root));
        while (!stack.isEmpty()) {
            Tensor t = stack.removeLast();
            if (seen.put(t, Boolean.TRUE) != null) continue;
            if (!t.isLeaf()) t.retainGrad();
            stack.addAll(t.inputs());
        }
    }

    public SpecModel model() { return model; }

    /** The input leaf (its grad is ∂L/∂x after the pass). */
    public Tensor input() { return input; }

    /** Layer i's output (its grad is ∂L/∂(layer i output)). */
    public List<Tensor> outputs() { return outputs; }

    /** f′(z) for element-wise activation layers, by layer index (null for others). */
    public List<NdArray> slopes() { return slopes; }

    public Tensor dataLoss() { return dataLoss; }

    /** The L2 penalty tensor, or null. */
    public Tensor penalty() { return penalty; }

    public Tensor loss() { return loss; }
}
