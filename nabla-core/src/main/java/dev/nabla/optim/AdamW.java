package dev.nabla.optim;

import dev.nabla.autograd.Tensor;

import java.util.List;

/**
 * AdamW: Adam with decoupled weight decay (Loshchilov and Hutter, 2019, Algorithm 2), as PyTorch's
 * {@code torch.optim.AdamW}. The weight decay shrinks the parameter directly and never enters the
 * moments:
 * <pre>
 *   θ ← θ − ηλθ
 *   m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²
 *   θ ← θ − η m̂ / (√v̂ + ε)      (m̂, v̂ bias-corrected as in {@link Adam})
 * </pre>
 * Buffers: {@code exp_avg}, {@code exp_avg_sq}, and {@code max_exp_avg_sq} with AMSGrad.
 */
public final class AdamW extends Optimizer {

    /**
     * @param lr          learning rate η ≥ 0
     * @param beta1       decay β₁ ∈ [0, 1) of the first moment
     * @param beta2       decay β₂ ∈ [0, 1) of the second moment
     * @param eps         ε ≥ 0 added to √v̂
     * @param weightDecay decoupled decay λ ≥ 0: each step multiplies θ by (1 − ηλ)
     * @param amsgrad     use the maximum of past second moments
     */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad)
            implements Hyperparameters<Options> {
        public Options {
            Adam.validate("AdamW", lr, beta1, beta2, eps, weightDecay);
        }

        /** PyTorch's defaults: β = (0.9, 0.999), ε = 1e-8, weight decay 0.01, no AMSGrad. */
        public static Options defaults(double lr) { return new Options(lr, 0.9, 0.999, 1e-8, 1e-2, false); }

        @Override public Options withLr(double lr) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad); }
        public Options withBetas(double beta1, double beta2) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad); }
        public Options withEps(double eps) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad); }
        public Options withWeightDecay(double weightDecay) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad); }
        public Options withAmsgrad(boolean amsgrad) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad); }
    }

    /** AdamW with PyTorch's defaults (weight decay 0.01) and learning rate lr. */
    public AdamW(List<Tensor> params, double lr) { this(params, Options.defaults(lr)); }

    public AdamW(List<Tensor> params, Options options) { this(List.of(new ParamGroup<>(params, options))); }

    /** AdamW over several parameter groups, each with its own options. */
    public AdamW(List<ParamGroup<Options>> groups) { super("AdamW", groups); }

    @Override
    protected List<String> bufferNames(Hyperparameters<?> options) { return Adam.names(((Options) options).amsgrad()); }

    @Override
    protected void update(Hyperparameters<?> options, long t, double[] p, double[] grad, double[][] state, int from, int to) {
        Options o = (Options) options;
        Adam.rule(o.lr(), o.beta1(), o.beta2(), o.eps(), o.weightDecay(), true, o.amsgrad(), t, p, grad, state, from, to);
    }

    @Override
    protected void update(Hyperparameters<?> options, long t, float[] p, float[] grad, float[][] state, int from, int to) {
        Options o = (Options) options;
        Adam.rule(o.lr(), o.beta1(), o.beta2(), o.eps(), o.weightDecay(), true, o.amsgrad(), t, p, grad, state, from, to);
    }
}
