package dev.nabla.optim;

import dev.nabla.autograd.Tensor;

import java.util.List;

/**
 * Adam (Kingma and Ba, 2015, Algorithm 1), as PyTorch's {@code torch.optim.Adam}. For each parameter
 * θ with gradient g, at step t:
 * <pre>
 *   g ← g + λθ                            (L2 weight decay λ, if λ ≠ 0: it enters the moments)
 *   m ← β₁m + (1 − β₁)g                   (first moment)
 *   v ← β₂v + (1 − β₂)g²                  (second moment)
 *   m̂ ← m / (1 − β₁ᵗ),  v̂ ← v / (1 − β₂ᵗ)  (bias corrections)
 *   θ ← θ − η m̂ / (√v̂ + ε)
 * </pre>
 * With AMSGrad, v̂ uses the running maximum of v instead of v. At t = 1 the step is
 * η g/(|g| + ε) ≈ η·sign(g). {@link AdamW} decouples the weight decay instead.
 * Buffers: {@code exp_avg} (m), {@code exp_avg_sq} (v), and {@code max_exp_avg_sq} with AMSGrad.
 */
public final class Adam extends Optimizer {

    /**
     * @param lr          learning rate η ≥ 0
     * @param beta1       decay β₁ ∈ [0, 1) of the first moment
     * @param beta2       decay β₂ ∈ [0, 1) of the second moment
     * @param eps         ε ≥ 0 added to √v̂ for stability
     * @param weightDecay L2 penalty λ ≥ 0, added to the gradient as λθ
     * @param amsgrad     use the maximum of past second moments (Reddi et al., 2018)
     */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad)
            implements Hyperparameters<Options> {
        public Options {
            validate("Adam", lr, beta1, beta2, eps, weightDecay);
        }

        /** PyTorch's defaults: β = (0.9, 0.999), ε = 1e-8, no weight decay, no AMSGrad. */
        public static Options defaults(double lr) { return new Options(lr, 0.9, 0.999, 1e-8, 0, false); }

        @Override public Options withLr(double lr) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad); }
        public Options withBetas(double beta1, double beta2) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad); }
        public Options withEps(double eps) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad); }
        public Options withWeightDecay(double weightDecay) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad); }
        public Options withAmsgrad(boolean amsgrad) { return new Options(lr, beta1, beta2, eps, weightDecay, amsgrad); }
    }

    /** Adam with PyTorch's defaults and learning rate lr. */
    public Adam(List<Tensor> params, double lr) { this(params, Options.defaults(lr)); }

    public Adam(List<Tensor> params, Options options) { this(List.of(new ParamGroup<>(params, options))); }

    /** Adam over several parameter groups, each with its own options. */
    public Adam(List<ParamGroup<Options>> groups) { super("Adam", groups); }

    @Override
    protected List<String> bufferNames(Hyperparameters<?> options) { return names(((Options) options).amsgrad()); }

    @Override
    protected void update(Hyperparameters<?> options, long t, double[] p, double[] grad, double[][] state, int from, int to) {
        Options o = (Options) options;
        rule(o.lr(), o.beta1(), o.beta2(), o.eps(), o.weightDecay(), false, o.amsgrad(), t, p, grad, state, from, to);
    }

    @Override
    protected void update(Hyperparameters<?> options, long t, float[] p, float[] grad, float[][] state, int from, int to) {
        Options o = (Options) options;
        rule(o.lr(), o.beta1(), o.beta2(), o.eps(), o.weightDecay(), false, o.amsgrad(), t, p, grad, state, from, to);
    }

    static List<String> names(boolean amsgrad) {
        return amsgrad ? List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq") : List.of("exp_avg", "exp_avg_sq");
    }

    static void validate(String owner, double lr, double beta1, double beta2, double eps, double weightDecay) {
        Check.nonNegative(owner, "learning rate", lr);
        Check.unitInterval(owner, "beta1", beta1);
        Check.unitInterval(owner, "beta2", beta2);
        Check.nonNegative(owner, "eps", eps);
        Check.nonNegative(owner, "weight decay", weightDecay);
    }

    /** The Adam rule shared with AdamW: decoupled weight decay shrinks θ by ηλθ instead of adding λθ to g. */
    static void rule(double eta, double beta1, double beta2, double eps, double lambda, boolean decoupled, boolean amsgrad,
                     long t, double[] p, double[] grad, double[][] state, int from, int to) {
        double[] m = state[0], v = state[1], vMax = amsgrad ? state[2] : null;
        double bias1 = 1 - Math.pow(beta1, t), bias2 = 1 - Math.pow(beta2, t);
        for (int i = from; i < to; i++) {
            double theta = p[i], g = grad[i];
            if (decoupled) theta -= eta * lambda * theta;
            else g += lambda * theta;
            double mi = beta1 * m[i] + (1 - beta1) * g;
            double vi = beta2 * v[i] + (1 - beta2) * g * g;
            m[i] = mi;
            v[i] = vi;
            if (vMax != null) vMax[i] = vi = Math.max(vMax[i], vi);
            double mHat = mi / bias1, vHat = vi / bias2;
            p[i] = theta - eta * mHat / (Math.sqrt(vHat) + eps);
        }
    }

    /** The float32 twin of the rule above. */
    static void rule(double eta, double beta1, double beta2, double eps, double lambda, boolean decoupled, boolean amsgrad,
                     long t, float[] p, float[] grad, float[][] state, int from, int to) {
        float[] m = state[0], v = state[1], vMax = amsgrad ? state[2] : null;
        double bias1 = 1 - Math.pow(beta1, t), bias2 = 1 - Math.pow(beta2, t);
        for (int i = from; i < to; i++) {
            double theta = p[i], g = grad[i];
            if (decoupled) theta -= eta * lambda * theta;
            else g += lambda * theta;
            double mi = beta1 * m[i] + (1 - beta1) * g;
            double vi = beta2 * v[i] + (1 - beta2) * g * g;
            m[i] = (float) mi;
            v[i] = (float) vi;
            if (vMax != null) { vi = Math.max(vMax[i], vi); vMax[i] = (float) vi; }
            double mHat = mi / bias1, vHat = vi / bias2;
            p[i] = (float) (theta - eta * mHat / (Math.sqrt(vHat) + eps));
        }
    }
}
