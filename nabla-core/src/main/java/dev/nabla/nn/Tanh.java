package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/** Element-wise tanh(x); tanh′ = 1 − tanh². Any shape. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) { return x.tanh(); }
}
