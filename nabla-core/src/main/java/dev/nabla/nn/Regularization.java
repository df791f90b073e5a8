package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

import java.util.Map;

/** Penalties on a module's parameters, to add to a loss. */
public final class Regularization {
    private Regularization() {}

    /**
     * The L2 penalty λ·Σ_W ‖W‖²_F over every parameter whose name ends in "weight" (biases are not
     * penalized), with no ½ and no 1/N: its gradient with respect to each weight is 2λW. A module
     * without weights gives a float64 zero.
     */
    public static Tensor l2Penalty(Module m, double lambda) {
        Tensor total = null;
        for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
            String name = e.getKey();
            if (!name.equals("weight") && !name.endsWith(".weight")) continue;
            Tensor sq = e.getValue().square().sum();
            total = total == null ? sq : total.add(sq);
        }
        return total == null ? Tensor.scalar(0.0) : total.mul(lambda);
    }
}
