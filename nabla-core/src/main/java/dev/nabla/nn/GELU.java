package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/**
 * The Gaussian error linear unit, PyTorch's {@code nn.GELU}. Any shape; element-wise.
 * <ul>
 * <li>{@code new GELU()} ({@link Approximate#NONE}, PyTorch's default): the exact form
 *     GELU(x) = x·Φ(x) = ½·x·(1 + erf(x/√2)), with Φ the standard normal distribution function.
 *     GELU′(x) = Φ(x) + x·φ(x), with φ(x) = e^(−x²/2)/√(2π).</li>
 * <li>{@code new GELU(Approximate.TANH)} (PyTorch's {@code approximate='tanh'}): the approximation
 *     ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), which differs from the exact form by less than 5e-4.</li>
 * </ul>
 * Each is one operation ({@link Tensor#gelu}, {@link Tensor#geluTanh}): one pass forward and, in
 * training, one pass backward (each element computed in double precision; float32 rounded once).
 * Their derivatives are composed of tensor operations when a graph of the backward pass is recorded,
 * so gradients of any order are exact for the formula chosen.
 */
public final class GELU extends Module {
    /** Which formula: PyTorch's {@code approximate='none'} or {@code approximate='tanh'}. */
    public enum Approximate {
        /** x·Φ(x), through erf. */
        NONE,
        /** The tanh approximation. */
        TANH;

        /** The name PyTorch uses: "none" or "tanh". */
        public String pytorchName() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    private final Approximate approximate;

    /** The exact GELU, x·Φ(x) (PyTorch's default). */
    public GELU() { this(Approximate.NONE); }

    public GELU(Approximate approximate) {
        if (approximate == null) throw new IllegalArgumentException("GELU: approximate must be NONE or TANH, not null");
        this.approximate = approximate;
    }

    public Approximate approximate() { return approximate; }

    @Override
    public Tensor forward(Tensor x) {
        return approximate == Approximate.NONE ? x.gelu() : x.geluTanh();
    }

    @Override
    protected String extraRepr() { return "approximate='" + approximate.pytorchName() + "'"; }
}
