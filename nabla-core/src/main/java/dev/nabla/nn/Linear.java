package dev.nabla.nn;

import dev.nabla.array.DType;
import dev.nabla.array.Shapes;
import dev.nabla.autograd.Tensor;

import java.util.random.RandomGenerator;

/**
 * A fully connected layer: y = x Wᵀ + b, for x of shape [N, in] (or [in], or [..., in]) and
 * y of shape [N, out]. The weight W is out × in; the bias b has out elements, or is absent.
 *
 * <p>Initialization follows PyTorch: W ~ U(−1/√in, 1/√in) (kaiming uniform with a = √5) and
 * b ~ U(−1/√in, 1/√in), drawn from the given generator, weight first.
 */
public final class Linear extends Module {
    private final int in, out;
    private final Tensor weight, bias;

    /** A float32 layer with a bias, initialized from {@link Init#generator()}. */
    public Linear(int in, int out) { this(in, out, true, DType.FLOAT32, Init.generator()); }

    public Linear(int in, int out, boolean bias, DType dtype, RandomGenerator rng) {
        if (in <= 0 || out <= 0)
            throw new IllegalArgumentException("Linear: in_features=" + in + " and out_features=" + out + " must both be positive");
        this.in = in;
        this.out = out;
        this.weight = registerParameter("weight", Tensor.zeros(dtype, out, in));
        Init.kaimingUniform(weight, Math.sqrt(5), rng);
        if (bias) {
            double bound = 1 / Math.sqrt(in);
            this.bias = registerParameter("bias", Init.uniform(Tensor.zeros(dtype, out), -bound, bound, rng));
        } else {
            this.bias = null;
        }
    }

    /** The weight, out × in. */
    public Tensor weight() { return weight; }

    /** The bias (out elements), or null when the layer has none. */
    public Tensor bias() { return bias; }

    public int inFeatures() { return in; }

    public int outFeatures() { return out; }

    @Override
    public Tensor forward(Tensor x) {
        check(x);
        return x.linear(weight, bias);
    }

    /**
     * relu(forward(x)) as one primitive ({@link Tensor#linearRelu}): what {@link Sequential} runs for
     * this layer when a {@link ReLU} follows it. The same values and gradients as the two layers.
     */
    Tensor forwardRelu(Tensor x) {
        check(x);
        return x.linearRelu(weight, bias);
    }

    private void check(Tensor x) {
        if (x.rank() == 0 || x.size(-1) != in)
            throw new IllegalArgumentException("Linear(in_features=" + in + ", out_features=" + out + "): input of shape "
                + Shapes.str(x.shape()) + " should have " + in + " features in its last dimension");
        if (x.dtype() != weight.dtype())
            throw new IllegalArgumentException("Linear(in_features=" + in + ", out_features=" + out + "): input is " + x.dtype()
                + " but the weight is " + weight.dtype() + "; convert the input with to(" + weight.dtype() + ")");
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + in + ", out_features=" + out + ", bias=" + (bias != null ? "True" : "False");
    }
}
