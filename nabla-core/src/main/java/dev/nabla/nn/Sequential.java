package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Layers applied one after another: forward(x) = layer_{n-1}(… layer_1(layer_0(x))). Layer i is
 * registered under the name "i", so its parameters are named "i.weight", "i.bias" as in a PyTorch
 * {@code nn.Sequential}. A Linear or Conv2d layer followed by a ReLU runs fused (see {@link #forward}).
 */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... layers) {
        for (Module m : layers) add(m);
    }

    /** Appends a layer (named by its position). Returns this. */
    public Sequential add(Module layer) {
        if (layer == null) throw new IllegalArgumentException("Sequential.add: layer " + layers.size() + " is null");
        registerModule(String.valueOf(layers.size()), layer);
        layers.add(layer);
        return this;
    }

    /** Layer i (0-based). */
    public Module get(int i) {
        if (i < 0 || i >= layers.size())
            throw new IndexOutOfBoundsException("Sequential.get: index " + i + " is out of range for " + layers.size() + " layers");
        return layers.get(i);
    }

    public int size() { return layers.size(); }

    /** The layers in order (unmodifiable). */
    public List<Module> layers() { return Collections.unmodifiableList(layers); }

    /**
     * Applies the layers in order. A {@link Linear} layer directly followed by a {@link ReLU} runs as
     * one fused primitive ({@link Tensor#linearRelu}), and so does a {@link Conv2d} ({@link Tensor#conv2dRelu}):
     * the same values and gradients as the two layers,
     * with one pass and one array fewer, and one node in the graph where there would be two.
     */
    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            boolean reluNext = i + 1 < layers.size() && layers.get(i + 1) instanceof ReLU;
            if (m instanceof Linear linear && reluNext) {
                x = linear.forwardRelu(x);
                i++;
            } else if (m instanceof Conv2d conv && reluNext) {
                x = conv.forwardRelu(x);
                i++;
            } else {
                x = m.forward(x);
            }
        }
        return x;
    }
}
