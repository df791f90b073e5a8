package dev.nabla.nn;

import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;
import dev.nabla.autograd.Tensor;
import dev.nabla.kernels.UnaryOp;

import java.util.Arrays;

/**
 * Loss functions with PyTorch's semantics, composed of differentiable tensor operations (so their
 * gradients, and gradients of gradients, come from autograd). ŷ is the input (the network's output),
 * y the target; every loss returns its terms combined by a {@link Reduction}.
 *
 * <p>Element-wise losses take a target of the input's shape and have one term per element:
 * {@link #mse}, {@link #l1}, {@link #huber}, {@link #bce}, {@link #bceWithLogits}, {@link #hinge}.
 * Per-sample losses take an [N, C] input and have one term per row: {@link #crossEntropy},
 * {@link #nll}, {@link #multiClassHinge}, {@link #multiMargin} (with N class indices as target)
 * and {@link #cosine} (with an [N, D] target).
 *
 * <p>Class indices are a tensor of N integral values in [0, C) (stored as floating-point numbers).
 * At a kink the derivative taken is 0, as in PyTorch: |r| at r = 0 (L1), a hinge term exactly at
 * its margin (it counts as inactive).
 */
public final class Losses {
    private Losses() {}

    /** log is clamped at −100 in {@link #bce}, as PyTorch does, by clamping its argument at e^−100. */
    private static final double MIN_LOG_ARG = Math.exp(-100);

    /** PyTorch's cosine_similarity eps: the product of the norms is taken as at least this. */
    private static final double COSINE_EPS = 1e-8;

    // ================================================================ element-wise

    /** Squared error (ŷ − y)² per element; ∂/∂ŷ = 2(ŷ − y). PyTorch's MSELoss. */
    public static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        sameShape("mse_loss", input, target);
        return reduction.apply(input.sub(target).square());
    }

    /** Absolute error |ŷ − y| per element; ∂/∂ŷ = sign(ŷ − y), 0 where ŷ = y. PyTorch's L1Loss. */
    public static Tensor l1(Tensor input, Tensor target, Reduction reduction) {
        sameShape("l1_loss", input, target);
        return reduction.apply(input.sub(target).abs());
    }

    /**
     * Huber loss per element, r = ŷ − y: r²/2 where |r| ≤ δ, else δ(|r| − δ/2); ∂/∂ŷ = r, resp.
     * δ·sign(r) (continuous at |r| = δ). PyTorch's HuberLoss(delta).
     */
    public static Tensor huber(Tensor input, Tensor target, double delta, Reduction reduction) {
        sameShape("huber_loss", input, target);
        if (!(delta > 0)) throw new IllegalArgumentException("huber_loss: delta = " + delta + " must be positive");
        Tensor r = input.sub(target);
        Tensor a = r.abs();
        NdArray outside = a.data().unary(UnaryOp.GT_SCALAR, delta, 0);   // 1 where |r| > δ
        Tensor terms = Tensor.where(outside, a.sub(delta / 2).mul(delta), r.square().mul(0.5));
        return reduction.apply(terms);
    }

    /**
     * Binary cross-entropy on probabilities p ∈ [0, 1] per element:
     * −[y·log p + (1 − y)·log(1 − p)], with each log clamped at −100 as in PyTorch, so p = 0 or 1
     * gives a finite loss and gradient. ∂/∂p = (p − y) / (p(1 − p)) away from the clamp.
     * PyTorch's BCELoss. Prefer {@link #bceWithLogits} after a sigmoid.
     */
    public static Tensor bce(Tensor probabilities, Tensor target, Reduction reduction) {
        sameShape("binary_cross_entropy", probabilities, target);
        double[] p = probabilities.data().toDoubleArray();
        for (int i = 0; i < p.length; i++)
            if (!(p[i] >= 0 && p[i] <= 1))
                throw new IllegalArgumentException("binary_cross_entropy: input value " + p[i] + " at position "
                    + position(probabilities.shape(), i) + " is not a probability in [0, 1] (use bceWithLogits for logits)");
        Tensor logP = clampedLog(probabilities);
        Tensor logQ = clampedLog(probabilities.rsub(1.0));
        Tensor terms = target.mul(logP).add(target.rsub(1.0).mul(logQ)).neg();
        return reduction.apply(terms);
    }

    /** log x, clamped at −100: the argument is clamped first, so that no gradient is 0·∞. */
    private static Tensor clampedLog(Tensor x) { return x.clamp(MIN_LOG_ARG, Double.POSITIVE_INFINITY).log(); }

    /**
     * Binary cross-entropy on logits x per element, the same as {@link #bce} of σ(x) but computed
     * stably: softplus(x) − x·y = max(x, 0) − x·y + log(1 + e^−|x|), finite for any finite x.
     * ∂/∂x = σ(x) − y. PyTorch's BCEWithLogitsLoss.
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor target, Reduction reduction) {
        sameShape("binary_cross_entropy_with_logits", logits, target);
        return reduction.apply(logits.softplus().sub(logits.mul(target)));
    }

    /**
     * Binary hinge loss per element, targets y ∈ {−1, 1}: max(0, 1 − y·ŷ); ∂/∂ŷ = −y where y·ŷ &lt; 1,
     * else 0 (0 exactly at y·ŷ = 1).
     */
    public static Tensor hinge(Tensor input, Tensor target, Reduction reduction) {
        sameShape("hinge_loss", input, target);
        double[] y = target.data().toDoubleArray();
        for (int i = 0; i < y.length; i++)
            if (y[i] != 1 && y[i] != -1)
                throw new IllegalArgumentException("hinge_loss: target value " + y[i] + " at position " + position(target.shape(), i) + " is not -1 or 1");
        return reduction.apply(input.mul(target).rsub(1.0).relu());
    }

    // ================================================================ per sample

    /**
     * Cross-entropy of logits [N, C] against class indices [N]: −log softmax(ŷ_n)_{y_n}, computed as
     * −log_softmax (finite for logits as large as ±1e4). ∂/∂ŷ_n = softmax(ŷ_n) − onehot(y_n). With
     * label smoothing ε the term is (1 − ε)·(−log p_{y_n}) + ε·(1/C)·Σ_c −log p_c (PyTorch's formula).
     * MEAN divides by N.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor classIndices, Reduction reduction, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new IllegalArgumentException("cross_entropy: label smoothing " + labelSmoothing + " is not in [0, 1]");
        NdArray index = classIndex("cross_entropy", logits, classIndices);
        if (labelSmoothing == 0) return reduction.apply(logits.crossEntropyTerms(index));   // one primitive
        Tensor logP = logits.logSoftmax(1);
        Tensor terms = pick(logP, index).neg();
        terms = terms.mul(1 - labelSmoothing).add(logP.mean(1).neg().mul(labelSmoothing));
        return reduction.apply(terms);
    }

    /** Cross-entropy without label smoothing. */
    public static Tensor crossEntropy(Tensor logits, Tensor classIndices, Reduction reduction) {
        return crossEntropy(logits, classIndices, reduction, 0);
    }

    /** Negative log-likelihood of log-probabilities [N, C] against class indices [N]: −logP_{n, y_n}. */
    public static Tensor nll(Tensor logProbs, Tensor classIndices, Reduction reduction) {
        NdArray index = classIndex("nll_loss", logProbs, classIndices);
        return reduction.apply(pick(logProbs, index).neg());
    }

    /**
     * Multi-class hinge (Weston–Watkins / the seeds' form) for scores [N, C] and class indices [N]:
     * per sample Σ_{j≠y} max(0, ŷ_j − ŷ_y + margin). A term exactly at 0 is inactive (derivative 0).
     * MEAN divides by N.
     */
    public static Tensor multiClassHinge(Tensor input, Tensor classIndices, double margin, Reduction reduction) {
        return reduction.apply(marginTerms("multi_class_hinge", input, classIndices, margin));
    }

    /** PyTorch's MultiMarginLoss (p = 1): the {@link #multiClassHinge} sum of each sample divided by C. */
    public static Tensor multiMargin(Tensor input, Tensor classIndices, double margin, Reduction reduction) {
        Tensor terms = marginTerms("multi_margin_loss", input, classIndices, margin);
        return reduction.apply(terms.div(input.size(1)));
    }

    private static Tensor marginTerms(String op, Tensor input, Tensor classIndices, double margin) {
        NdArray index = classIndex(op, input, classIndices);
        Tensor correct = input.gather(1, index);                        // [N, 1], broadcast over classes
        Tensor hinge = input.sub(correct).add(margin).relu();
        NdArray others = oneHot(index, input).unary(UnaryOp.RSUB_SCALAR, 1, 0);
        return hinge.mul(Tensor.of(others)).sum(1);
    }

    /**
     * Cosine loss per sample for input and target [N, D]: −(y·ŷ) / (‖y‖·‖ŷ‖), where the product of
     * the norms is taken as at least 1e-8 (PyTorch's cosine_similarity eps). MEAN divides by N.
     * The gradient is −(y/(‖y‖‖ŷ‖) − (y·ŷ)·ŷ/(‖y‖‖ŷ‖³)).
     */
    public static Tensor cosine(Tensor input, Tensor target, Reduction reduction) {
        sameShape("cosine_loss", input, target);
        if (input.rank() != 2)
            throw new IllegalArgumentException("cosine_loss: input has shape " + Shapes.str(input.shape()) + ", expected [N, D]");
        Tensor dot = input.mul(target).sum(1);
        Tensor normProduct = input.square().sum(1).mul(target.square().sum(1))
            .clamp(COSINE_EPS * COSINE_EPS, Double.POSITIVE_INFINITY).sqrt();
        return reduction.apply(dot.div(normProduct).neg());
    }

    // ================================================================ checks and helpers

    /** input[n, index[n]] for each n, as an [N] tensor. */
    private static Tensor pick(Tensor input, NdArray index) {
        return input.gather(1, index).reshape(input.size(0));
    }

    private static NdArray oneHot(NdArray index, Tensor like) {
        NdArray h = NdArray.zeros(like.dtype(), like.shape());
        for (int n = 0; n < like.size(0); n++) h.set(1, n, (int) index.get(n, 0));
        return h;
    }

    /**
     * Checks an [N, C] input and N class indices in [0, C); returns them as an [N, 1] index array.
     */
    static NdArray classIndex(String op, Tensor input, Tensor target) {
        if (input.rank() != 2)
            throw new IllegalArgumentException(op + ": input has shape " + Shapes.str(input.shape()) + ", expected [N, C] (one row of scores per sample)");
        int n = input.size(0), c = input.size(1);
        if (target.rank() != 1 || target.size(0) != n)
            throw new IllegalArgumentException(op + ": target has shape " + Shapes.str(target.shape()) + ", expected [" + n
                + "] class indices for input " + Shapes.str(input.shape()));
        double[] v = target.data().toDoubleArray();
        for (int i = 0; i < n; i++) {
            if (v[i] != Math.rint(v[i]))
                throw new IllegalArgumentException(op + ": class index " + v[i] + " at position " + i + " is not an integer");
            if (v[i] < 0 || v[i] >= c)
                throw new IllegalArgumentException(op + ": class index " + (long) v[i] + " at position " + i + " is out of range for " + c + " classes");
        }
        return target.data().contiguous().reshape(n, 1);
    }

    private static void sameShape(String op, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape()))
            throw new IllegalArgumentException(op + ": target has shape " + Shapes.str(target.shape())
                + ", expected the input's shape " + Shapes.str(input.shape()));
    }

    /** The multi-index of flat position i in a contiguous array of the given shape, as [a, b]. */
    private static String position(int[] shape, int flat) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) { idx[d] = flat % shape[d]; flat /= shape[d]; }
        return Arrays.toString(idx);
    }
}
