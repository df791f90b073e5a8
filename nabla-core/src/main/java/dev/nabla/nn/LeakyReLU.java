package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/** Element-wise x for x &gt; 0, slope·x otherwise (derivative slope at 0). Any shape. */
public final class LeakyReLU extends Module {
    private final double slope;

    /** PyTorch's default negative slope, 0.01. */
    public LeakyReLU() { this(0.01); }

    public LeakyReLU(double slope) { this.slope = slope; }

    public double negativeSlope() { return slope; }

    @Override
    public Tensor forward(Tensor x) { return x.leakyRelu(slope); }

    @Override
    protected String extraRepr() { return "negative_slope=" + slope; }
}
