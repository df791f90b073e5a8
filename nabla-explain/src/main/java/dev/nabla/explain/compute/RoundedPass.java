package dev.nabla.explain.compute;

import dev.nabla.array.NdArray;
import dev.nabla.autograd.Op;
import dev.nabla.autograd.Tensor;
import dev.nabla.explain.spec.LayerSpec;
import dev.nabla.explain.spec.NetworkSpec;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.SGD;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pass done the way a hand calculation does it: each intermediate quantity is written down
 * rounded to a few decimals and carried on rounded. Layer by layer, forward, each layer's output
 * is rounded before it feeds the next layer; backward, each error signal ∂L/∂(layer output) is
 * rounded before it goes through the layer, and an activation's local derivative is taken from its
 * rounded output (σ′ = h(1 − h) with h as written down). A quantity itself is reported as computed
 * from its rounded inputs, before its own rounding (as the hand calculation prints it).
 *
 * <p>The arithmetic is the library's: each layer's forward is its module, each backward step is the
 * layer's autograd rule (the activation's {@link Op#vjp}, or {@link Tensor#gradient} for a linear
 * layer), the step is {@link SGD}.
 */
public final class RoundedPass {
    private RoundedPass() {}

    /** Which quantities a hand calculation rounds. */
    public enum Scheme {
        /**
         * The named values: the outputs of activation layers and of the network (h, θ), and the error
         * signals at those outputs (∂E/∂h, ∂E/∂θ); pre-activations and their error signals are carried
         * unrounded, as in the seeds' worked example.
         */
        NAMED("the activations and their error signals"),
        /** Every layer's output and every error signal. */
        ALL("every layer output and every error signal");

        private final String description;

        Scheme(String description) { this.description = description; }

        public String description() { return description; }
    }

    /** The recomputed numbers (slopes are not recorded). */
    public static GradResult run(NetworkSpec spec, int decimals, Scheme scheme) {
        SpecModel model = SpecModel.build(spec);
        Forward f = forward(model, decimals, scheme);
        Sequential net = model.network();
        Tensor total = model.loss(f.output);
        List<Tensor> params = net.parameters();
        List<Tensor> wrt = new ArrayList<>();
        wrt.add(f.output);
        wrt.addAll(params);
        List<Tensor> g = total.gradient(wrt, null, false, false);

        Map<String, NdArray> grads = new LinkedHashMap<>();
        List<String> names = List.copyOf(net.namedParameters().keySet());
        for (int k = 0; k < names.size(); k++) grads.put(names.get(k), g.get(k + 1).data().copy());   // the penalty's share

        int layers = spec.layers().size();
        NdArray[] deltas = new NdArray[layers];
        NdArray delta = g.get(0).data();
        for (int i = layers - 1; i >= 0; i--) {
            NdArray di = f.rounds[i] ? round(delta, decimals) : delta;
            deltas[i] = di;
            Tensor out = f.outs.get(i), in = f.ins.get(i), gOut = Tensor.of(di);
            Module layer = net.get(i);
            if (out == in) {
                delta = di;
            } else if (spec.layers().get(i) instanceof LayerSpec.Activation && out.op() != null
                       && out.inputs().size() == 1 && out.inputs().get(0) == in) {
                // the activation's own rule, evaluated at its output as written down
                delta = out.op().vjp(gOut, new Tensor[] {in}, Tensor.of(f.carried.get(i)))[0].data();
            } else {
                List<String> own = List.copyOf(layer.namedParameters().keySet());
                List<Tensor> w = new ArrayList<>();
                w.add(in);
                w.addAll(layer.parameters());
                List<Tensor> gs = out.gradient(w, gOut, true, false);
                delta = gs.get(0).data();
                for (int k = 0; k < own.size(); k++) grads.get(i + "." + own.get(k)).addInPlace(gs.get(k + 1).data());
            }
        }

        Map<String, NdArray> params0 = new LinkedHashMap<>();
        net.namedParameters().forEach((n, p) -> params0.put(n, p.data().copy()));
        Map<String, NdArray> updated = null;
        double lossAfter = Double.NaN;
        NdArray outputAfter = null;
        if (spec.hasSgd()) {
            List<Tensor> copies = new ArrayList<>();
            updated = new LinkedHashMap<>();
            for (String n : names) {
                Tensor c = Tensor.of(params0.get(n).copy()).requiresGrad(true);
                c.setGrad(Tensor.of(grads.get(n)));
                copies.add(c);
                updated.put(n, c.data());
            }
            new SGD(copies, spec.sgd().lr()).step();
            SpecModel after = model.withParameters(updated);
            try (var ignored = Tensor.noGrad()) {
                Forward fa = forward(after, decimals, scheme);
                outputAfter = fa.acts.getLast();
                lossAfter = after.loss(fa.output).item();
            }
            updated = Collections.unmodifiableMap(updated);
        }
        List<NdArray> none = Collections.nCopies(layers, null);
        return new GradResult(spec, total.item(), Double.NaN, Double.NaN, f.acts.getLast(), f.acts, List.of(deltas),
            none, delta, Collections.unmodifiableMap(params0), Collections.unmodifiableMap(grads),
            updated, lossAfter, outputAfter);
    }

    /**
     * ins/outs: each layer's input leaf and output tensor; acts: each output as computed (from rounded
     * inputs); carried: each output as carried on (rounded where the scheme says); output: the last
     * carried value as a leaf.
     */
    private record Forward(List<Tensor> ins, List<Tensor> outs, List<NdArray> acts, List<NdArray> carried,
                           boolean[] rounds, Tensor output) {}

    private static Forward forward(SpecModel model, int decimals, Scheme scheme) {
        NetworkSpec spec = model.spec();
        int layers = spec.layers().size();
        boolean[] rounds = new boolean[layers];
        List<Tensor> ins = new ArrayList<>(), outs = new ArrayList<>();
        List<NdArray> acts = new ArrayList<>(), carriedValues = new ArrayList<>();
        Tensor in = model.input();
        for (int i = 0; i < layers; i++) {
            rounds[i] = scheme == Scheme.ALL || i == layers - 1 || spec.layers().get(i) instanceof LayerSpec.Activation;
            Tensor out = model.network().get(i).forward(in);
            acts.add(out.data().copy());
            ins.add(in);
            outs.add(out);
            NdArray carried = rounds[i] ? round(out.data(), decimals) : out.data().copy();
            carriedValues.add(carried);
            in = Tensor.of(carried.copy()).requiresGrad(true);
        }
        return new Forward(ins, outs, List.copyOf(acts), List.copyOf(carriedValues), rounds, in);
    }

    /** Each entry rounded half-up to the given number of decimals (as the exact binary value). */
    static NdArray round(NdArray a, int decimals) {
        double[] v = a.toDoubleArray();
        for (int i = 0; i < v.length; i++)
            v[i] = new BigDecimal(v[i]).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
        return NdArray.of(v, a.shape()).to(a.dtype());
    }
}
