package dev.nabla.optim;

import dev.nabla.autograd.Tensor;

import java.util.List;

/**
 * Adagrad (Duchi, Hazan and Singer, 2011), as PyTorch's {@code torch.optim.Adagrad}. Each weight's
 * step shrinks with the sum of its past squared gradients. For each parameter θ with gradient g, at
 * step t:
 * <pre>
 *   g ← g + λθ                          (weight decay λ, if λ ≠ 0)
 *   ηₜ ← η / (1 + (t − 1)·δ)            (learning-rate decay δ)
 *   s ← s + g²                          (s starts at the initial accumulator value)
 *   θ ← θ − ηₜ g / (√s + ε)
 * </pre>
 * Buffers: {@code sum} (s).
 */
public final class Adagrad extends Optimizer {

    /**
     * @param lr                      learning rate η ≥ 0
     * @param lrDecay                 learning-rate decay δ ≥ 0
     * @param weightDecay             L2 penalty λ ≥ 0, added to the gradient as λθ
     * @param initialAccumulatorValue the value s starts with, ≥ 0
     * @param eps                     ε ≥ 0 added to √s
     */
    public record Options(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps)
            implements Hyperparameters<Options> {
        public Options {
            Check.nonNegative("Adagrad", "learning rate", lr);
            Check.nonNegative("Adagrad", "lr decay", lrDecay);
            Check.nonNegative("Adagrad", "weight decay", weightDecay);
            Check.nonNegative("Adagrad", "initial accumulator value", initialAccumulatorValue);
            Check.nonNegative("Adagrad", "eps", eps);
        }

        /** PyTorch's defaults: no lr decay, no weight decay, accumulator starting at 0, ε = 1e-10. */
        public static Options defaults(double lr) { return new Options(lr, 0, 0, 0, 1e-10); }

        @Override public Options withLr(double lr) { return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps); }
        public Options withLrDecay(double lrDecay) { return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps); }
        public Options withWeightDecay(double weightDecay) { return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps); }
        public Options withInitialAccumulatorValue(double value) { return new Options(lr, lrDecay, weightDecay, value, eps); }
        public Options withEps(double eps) { return new Options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps); }
    }

    /** Adagrad with PyTorch's defaults and learning rate lr (PyTorch's default lr is 0.01). */
    public Adagrad(List<Tensor> params, double lr) { this(params, Options.defaults(lr)); }

    public Adagrad(List<Tensor> params, Options options) { this(List.of(new ParamGroup<>(params, options))); }

    /** Adagrad over several parameter groups, each with its own options. */
    public Adagrad(List<ParamGroup<Options>> groups) { super("Adagrad", groups); }

    @Override
    protected List<String> bufferNames(Hyperparameters<?> options) { return List.of("sum"); }

    @Override
    protected double initialValue(Hyperparameters<?> options, String buffer) { return ((Options) options).initialAccumulatorValue(); }

    @Override
    protected void update(Hyperparameters<?> options, long t, double[] p, double[] grad, double[][] state, int from, int to) {
        Options o = (Options) options;
        double lambda = o.weightDecay(), eps = o.eps();
        double etaT = o.lr() / (1 + (t - 1) * o.lrDecay());
        double[] sum = state[0];
        for (int i = from; i < to; i++) {
            double theta = p[i];
            double g = grad[i] + lambda * theta;
            double s = sum[i] + g * g;
            sum[i] = s;
            p[i] = theta - etaT * g / (Math.sqrt(s) + eps);
        }
    }

    @Override
    protected void update(Hyperparameters<?> options, long t, float[] p, float[] grad, float[][] state, int from, int to) {
        Options o = (Options) options;
        double lambda = o.weightDecay(), eps = o.eps();
        double etaT = o.lr() / (1 + (t - 1) * o.lrDecay());
        float[] sum = state[0];
        for (int i = from; i < to; i++) {
            double theta = p[i];
            double g = grad[i] + lambda * theta;
            double s = sum[i] + g * g;
            sum[i] = (float) s;
            p[i] = (float) (theta - etaT * g / (Math.sqrt(s) + eps));
        }
    }
}
