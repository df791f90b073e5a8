package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/**
 * Merges every dimension from startDim on into one: [N, C, H, W] becomes [N, C·H·W] with the default
 * startDim = 1 (a view when the input is contiguous).
 */
public final class Flatten extends Module {
    private final int startDim;

    public Flatten() { this(1); }

    public Flatten(int startDim) { this.startDim = startDim; }

    @Override
    public Tensor forward(Tensor x) { return x.flatten(startDim); }

    @Override
    protected String extraRepr() { return "start_dim=" + startDim + ", end_dim=-1"; }
}
