package dev.nabla.explain.compute;

import dev.nabla.array.NdArray;
import dev.nabla.explain.spec.NetworkSpec;

import java.util.List;
import java.util.Map;

/**
 * Every number of one backpropagation exercise (the output object of docs/spec-format.md, plus what an
 * explanation needs besides): arrays are N x width as the network computes them; maps are keyed
 * "&lt;layer&gt;.weight" / "&lt;layer&gt;.bias" in layer order.
 *
 * @param loss        the total loss (data term plus penalty)
 * @param dataLoss    the data term alone: scale · reduced loss
 * @param penalty     λ·Σ‖W‖² (0 without l2)
 * @param output      the network output ŷ, N x dL
 * @param activations each layer's output, by layer index
 * @param deltas      ∂L/∂(each layer's output), by layer index
 * @param slopes      f′(z) of each element-wise activation layer (null for the others)
 * @param inputGrad   ∂L/∂x, N x d0
 * @param parameters  the parameters before any update
 * @param gradients   ∂L/∂p for each parameter (the penalty's 2λW included)
 * @param updated     the parameters after the SGD step, or null without sgd
 * @param lossAfter   the loss on the same batch after the step (NaN without sgd)
 * @param outputAfter the network output after the step, or null without sgd
 */
public record GradResult(NetworkSpec spec, double loss, double dataLoss, double penalty, NdArray output,
                         List<NdArray> activations, List<NdArray> deltas, List<NdArray> slopes, NdArray inputGrad,
                         Map<String, NdArray> parameters, Map<String, NdArray> gradients,
                         Map<String, NdArray> updated, double lossAfter, NdArray outputAfter) {

    public boolean hasUpdate() { return updated != null; }
}
