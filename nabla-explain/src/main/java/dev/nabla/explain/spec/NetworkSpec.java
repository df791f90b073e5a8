package dev.nabla.explain.spec;

import dev.nabla.array.DType;

import java.util.List;

/**
 * A parsed, validated network spec (docs/spec-format.md): one batch (input N x d0 and a target),
 * the layers in order, the loss, an optional L2 penalty λ·Σ‖W‖² over the linear weights, an optional
 * SGD step, and the dtype. Every shape has been checked against its neighbours, every number is
 * finite, and class indices are in range.
 *
 * @param file   the file name to use in messages
 * @param name   the spec's title, or null
 * @param sgd    the SGD step, or null when the spec has none
 */
public record NetworkSpec(String file, String name, double[][] input, Target target, List<LayerSpec> layers,
                          LossSpec loss, double l2, Sgd sgd, DType dtype) {

    /** One plain SGD step p ← p − lr·∂L/∂p. */
    public record Sgd(double lr) {}

    public NetworkSpec {
        layers = List.copyOf(layers);
    }

    public int batchSize() { return input.length; }

    public int inputSize() { return input[0].length; }

    /** The width of the network's output (dL). */
    public int outputSize() {
        int w = inputSize();
        for (LayerSpec l : layers) if (l instanceof LayerSpec.Linear lin) w = lin.outFeatures();
        return w;
    }

    public boolean hasSgd() { return sgd != null; }

    /** The display label of layer i: its name when the spec gave one, else its type and index. */
    public String label(int i) {
        LayerSpec l = layers.get(i);
        return l.name() != null ? l.name() : l.type() + " " + i;
    }
}
