package dev.nabla.optim;

import dev.nabla.autograd.Tensor;

import java.util.List;
import java.util.Objects;

/**
 * A set of parameters that share hyper-parameters: give a model's biases no weight decay, or its last
 * layer a larger learning rate, by passing several groups to one optimizer.
 * <pre>{@code
 * var opt = new SGD(List.of(
 *     new ParamGroup<>(body.parameters(), SGD.Options.defaults(0.01).withMomentum(0.9)),
 *     new ParamGroup<>(head.parameters(), SGD.Options.defaults(0.1).withMomentum(0.9))));
 * }</pre>
 *
 * @param params  leaf tensors; the list is copied
 * @param options the group's hyper-parameters
 */
public record ParamGroup<O extends Hyperparameters<O>>(List<Tensor> params, O options) {
    public ParamGroup {
        Objects.requireNonNull(params, "ParamGroup: params must not be null");
        Objects.requireNonNull(options, "ParamGroup: options must not be null");
        for (int i = 0; i < params.size(); i++)
            if (params.get(i) == null) throw new IllegalArgumentException("ParamGroup: parameter " + i + " is null");
        params = List.copyOf(params);
    }

    /** The same parameters with another learning rate. */
    public ParamGroup<O> withLr(double lr) { return new ParamGroup<>(params, options.withLr(lr)); }
}
