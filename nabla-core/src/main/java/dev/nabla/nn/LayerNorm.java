package dev.nabla.nn;

import dev.nabla.array.DType;
import dev.nabla.array.Shapes;
import dev.nabla.autograd.Tensor;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Layer normalization (Ba, Kiros and Hinton, 2016) with PyTorch's semantics: each sample is
 * normalized over its last D dimensions, whose sizes are the normalized shape S (D = S.length):
 * <pre>
 *   y = (x − E[x]) / √(Var[x] + ε) ⊙ γ + β
 * </pre>
 * with E and the biased Var taken over those D dimensions, separately for every index of the
 * leading ones, in training and evaluation mode alike (no running statistics). An input [..., S]
 * gives an output of the same shape, and the graph goes through the statistics.
 *
 * <p>Parameters of shape S when elementwise affine: {@code weight} (γ, ones) and, unless left out,
 * {@code bias} (β, zeros).
 */
public final class LayerNorm extends Module {
    /**
     * The settings of a layer normalization besides its normalized shape.
     *
     * @param eps               ε, added to the variance (at least 0)
     * @param elementwiseAffine whether the module learns γ (and β)
     * @param bias              whether it learns β (with elementwiseAffine only)
     * @param dtype             of the parameters, and of the inputs taken
     */
    public record Options(double eps, boolean elementwiseAffine, boolean bias, DType dtype) {
        public Options {
            if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("LayerNorm: eps=" + eps + " must be finite and at least 0");
            if (dtype == null) throw new IllegalArgumentException("LayerNorm: dtype is null");
        }

        /** PyTorch's defaults: ε = 1e-5, elementwise affine with a bias; float32. */
        public static Options defaults() { return new Options(1e-5, true, true, DType.FLOAT32); }

        public Options withEps(double eps) { return new Options(eps, elementwiseAffine, bias, dtype); }
        public Options withElementwiseAffine(boolean affine) { return new Options(eps, affine, bias, dtype); }
        public Options withBias(boolean bias) { return new Options(eps, elementwiseAffine, bias, dtype); }
        public Options withDtype(DType dtype) { return new Options(eps, elementwiseAffine, bias, dtype); }
    }

    private final int[] shape;
    private final Options options;
    private final Tensor weight, bias;

    /** Normalization over the last dimensions, of these sizes, with PyTorch's defaults ({@link Options#defaults()}). */
    public LayerNorm(int... normalizedShape) { this(normalizedShape, Options.defaults()); }

    public LayerNorm(int[] normalizedShape, Options options) {
        if (normalizedShape == null || normalizedShape.length == 0 || Arrays.stream(normalizedShape).anyMatch(n -> n <= 0))
            throw new IllegalArgumentException("LayerNorm: normalized_shape " + (normalizedShape == null ? "null" : Shapes.str(normalizedShape))
                + " must name at least one dimension, each of positive size");
        if (options == null) throw new IllegalArgumentException("LayerNorm: options are null");
        this.shape = normalizedShape.clone();
        this.options = options;
        boolean affine = options.elementwiseAffine();
        this.weight = affine ? registerParameter("weight", Tensor.ones(options.dtype(), shape)) : null;
        this.bias = affine && options.bias() ? registerParameter("bias", Tensor.zeros(options.dtype(), shape)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        int r = x.rank(), d = shape.length;
        if (r < d || !Arrays.equals(Arrays.copyOfRange(x.shape(), r - d, r), shape))
            throw new IllegalArgumentException(this + ": input of shape " + Shapes.str(x.shape()) + " should end in the normalized shape "
                + Shapes.str(shape));
        if (x.dtype() != options.dtype())
            throw new IllegalArgumentException(this + ": input is " + x.dtype() + " but the module is " + options.dtype()
                + "; convert the input with to(" + options.dtype() + ")");
        int[] dims = new int[d];
        for (int i = 0; i < d; i++) dims[i] = r - d + i;
        Tensor centered = x.sub(x.mean(true, dims));
        Tensor var = centered.square().mean(true, dims);   // biased
        Tensor y = centered.div(var.add(options.eps()).sqrt());
        if (weight != null) y = y.mul(weight);   // [..., S] against S: broadcast from the right
        if (bias != null) y = y.add(bias);
        return y;
    }

    /** The normalized shape S. */
    public int[] normalizedShape() { return shape.clone(); }

    public Options options() { return options; }

    /** γ (shape S), or null without elementwise affine. */
    public Tensor weight() { return weight; }

    /** β (shape S), or null without it. */
    public Tensor bias() { return bias; }

    @Override
    protected String extraRepr() {
        String dims = Arrays.stream(shape).mapToObj(String::valueOf).collect(Collectors.joining(", ", "(", shape.length == 1 ? ",)" : ")"));
        return dims + ", eps=" + Repr.number(options.eps()) + ", elementwise_affine=" + (weight != null ? "True" : "False");
    }
}
