package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/** Element-wise max(0, x); the derivative is 1 for x &gt; 0 and 0 otherwise (0 at the kink x = 0, as in PyTorch). Any shape. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) { return x.relu(); }
}
