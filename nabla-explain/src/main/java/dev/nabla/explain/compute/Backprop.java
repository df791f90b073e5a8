package dev.nabla.explain.compute;

import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.explain.spec.NetworkSpec;
import dev.nabla.optim.SGD;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes every number of a spec exactly (in its dtype): forward, loss, backward through autograd,
 * and, when the spec has {@code sgd}, one step of {@link SGD} followed by the loss on the same batch.
 */
public final class Backprop {
    private Backprop() {}

    public static GradResult run(NetworkSpec spec) { return run(Trace.run(SpecModel.build(spec), false)); }

    /** Collects the numbers of a finished trace and, for a spec with sgd, takes the step (which updates the trace's model). */
    public static GradResult run(Trace t) {
        SpecModel model = t.model();
        NetworkSpec spec = model.spec();
        List<NdArray> acts = new ArrayList<>(), deltas = new ArrayList<>();
        for (Tensor o : t.outputs()) {
            acts.add(o.data().copy());
            deltas.add(gradOrZeros(o));
        }
        Map<String, NdArray> params = new LinkedHashMap<>(), grads = new LinkedHashMap<>();
        model.network().namedParameters().forEach((name, p) -> {
            params.put(name, p.data().copy());
            grads.put(name, gradOrZeros(p));
        });
        double loss = t.loss().item(), data = t.dataLoss().item(), pen = t.penalty() == null ? 0 : t.penalty().item();
        NdArray output = acts.getLast();

        Map<String, NdArray> updated = null;
        double lossAfter = Double.NaN;
        NdArray outputAfter = null;
        if (spec.hasSgd()) {
            new SGD(model.network().parameters(), spec.sgd().lr()).step();
            updated = new LinkedHashMap<>();
            for (var e : model.network().namedParameters().entrySet()) updated.put(e.getKey(), e.getValue().data().copy());
            try (var ignored = Tensor.noGrad()) {
                Tensor out = model.network().forward(model.input());
                outputAfter = out.data().copy();
                lossAfter = model.loss(out).item();
            }
            updated = Collections.unmodifiableMap(updated);
        }
        return new GradResult(spec, loss, data, pen, output, List.copyOf(acts), List.copyOf(deltas), t.slopes(),
            gradOrZeros(t.input()), Collections.unmodifiableMap(params), Collections.unmodifiableMap(grads),
            updated, lossAfter, outputAfter);
    }

    /** A tensor's gradient, or zeros where no gradient reached it. */
    static NdArray gradOrZeros(Tensor t) {
        return t.grad() == null ? NdArray.zeros(t.dtype(), t.shape()) : t.grad().data().copy();
    }
}
