package dev.nabla.nn;

import dev.nabla.array.DType;
import dev.nabla.array.Shapes;
import dev.nabla.array.Window2d;
import dev.nabla.autograd.Tensor;

import java.util.random.RandomGenerator;

/**
 * A 2-d convolution layer (PyTorch's {@code nn.Conv2d}, groups 1): input [N, C, H, W] to
 * [N, O, oh, ow] by {@link Convolutions#conv2d}, with a weight W [O, C, kh, kw] and a bias b [O] or
 * none. oh = ⌊(H + 2ph − dh(kh − 1) − 1) / sh⌋ + 1, and ow likewise.
 *
 * <p>Initialization follows PyTorch: W ~ U(−1/√fan_in, 1/√fan_in) (kaiming uniform with a = √5) and
 * b ~ U(−1/√fan_in, 1/√fan_in), fan_in = C·kh·kw, drawn from the given generator, weight first.
 */
public final class Conv2d extends Module {
    private final int in, out;
    private final Window2d window;
    private final Tensor weight, bias;
    /** How errors name this layer: as it prints. */
    private final String name;

    /** A float32 layer with a square kernel, stride 1, no padding, a bias, initialized from {@link Init#generator()}. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) { this(inChannels, outChannels, kernelSize, 1, 0); }

    /** A float32 layer with a square kernel, the same stride and padding on both axes, a bias, initialized from {@link Init#generator()}. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, true, DType.FLOAT32, Init.generator());
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias, DType dtype, RandomGenerator rng) {
        this(inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {1}, bias, dtype, rng);
    }

    /**
     * The general layer: kernel size, stride, padding and dilation each one value (both axes) or two
     * (height, width), as in PyTorch.
     */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                  boolean bias, DType dtype, RandomGenerator rng) {
        if (inChannels <= 0 || outChannels <= 0)
            throw new IllegalArgumentException("Conv2d: in_channels=" + inChannels + " and out_channels=" + outChannels + " must both be positive");
        this.in = inChannels;
        this.out = outChannels;
        this.window = Window2d.of("Conv2d", kernelSize, stride, padding, dilation);
        this.weight = registerParameter("weight", Tensor.zeros(dtype, outChannels, inChannels, window.kh(), window.kw()));
        Init.kaimingUniform(weight, Math.sqrt(5), rng);
        if (bias) {
            double bound = 1 / Math.sqrt(inChannels * window.kh() * window.kw());
            this.bias = registerParameter("bias", Init.uniform(Tensor.zeros(dtype, outChannels), -bound, bound, rng));
        } else {
            this.bias = null;
        }
        this.name = kind() + "(" + extraRepr() + ")";
    }

    /** The weight, [out_channels, in_channels, kh, kw]. */
    public Tensor weight() { return weight; }

    /** The bias ([out_channels]), or null when the layer has none. */
    public Tensor bias() { return bias; }

    public int inChannels() { return in; }

    public int outChannels() { return out; }

    /** The kernel size, stride, padding and dilation. */
    public Window2d window() { return window; }

    @Override
    public Tensor forward(Tensor x) {
        check(x);
        return Convolutions.conv2d(name, x, weight, bias, window);
    }

    /**
     * relu(forward(x)) as one primitive ({@link Tensor#conv2dRelu}): what {@link Sequential} runs for
     * this layer when a {@link ReLU} follows it. The same values and gradients as the two layers.
     */
    Tensor forwardRelu(Tensor x) {
        check(x);
        return Convolutions.conv2d(name, x, weight, bias, window, true);
    }

    private void check(Tensor x) {
        if (x.rank() != 4 || x.size(1) != in)
            throw new IllegalArgumentException(name + ": input " + Shapes.str(x.shape()) + " should be [N, " + in + ", H, W]");
        if (x.dtype() != weight.dtype())
            throw new IllegalArgumentException(name + ": input is " + x.dtype() + " but the weight is " + weight.dtype()
                + "; convert the input with to(" + weight.dtype() + ")");
    }

    /** As PyTorch prints it: {@code 1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)}; padding, dilation and bias when not the default. */
    @Override
    protected String extraRepr() {
        Window2d w = window;
        StringBuilder s = new StringBuilder().append(in).append(", ").append(out)
            .append(", kernel_size=(").append(w.kh()).append(", ").append(w.kw())
            .append("), stride=(").append(w.sh()).append(", ").append(w.sw()).append(')');
        if (w.ph() != 0 || w.pw() != 0) s.append(", padding=(").append(w.ph()).append(", ").append(w.pw()).append(')');
        if (w.dh() != 1 || w.dw() != 1) s.append(", dilation=(").append(w.dh()).append(", ").append(w.dw()).append(')');
        if (bias == null) s.append(", bias=False");
        return s.toString();
    }
}
