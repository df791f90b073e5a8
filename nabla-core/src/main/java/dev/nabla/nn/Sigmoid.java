package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/** Element-wise σ(x) = 1 / (1 + e^−x); σ′ = σ(1 − σ). Any shape. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) { return x.sigmoid(); }
}
