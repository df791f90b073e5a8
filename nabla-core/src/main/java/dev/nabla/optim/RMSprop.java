package dev.nabla.optim;

import dev.nabla.autograd.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * RMSprop (Hinton, Lecture 6e of "Neural Networks for Machine Learning", 2012), with the centered
 * variant of Graves (2013) and momentum, as PyTorch's {@code torch.optim.RMSprop}. For each
 * parameter θ with gradient g, at every step:
 * <pre>
 *   g ← g + λθ                                   (weight decay λ, if λ ≠ 0)
 *   v ← αv + (1 − α)g²                           (running mean of g²)
 *   centered:  ḡ ← αḡ + (1 − α)g,  d ← √(v − ḡ²) + ε
 *   otherwise: d ← √v + ε
 *   with momentum μ &gt; 0:  b ← μb + g/d,  θ ← θ − ηb
 *   otherwise:           θ ← θ − η g/d
 * </pre>
 * ε is added after the square root. Buffers: {@code square_avg} (v), {@code momentum_buffer} (b, when
 * μ &gt; 0, starting at 0) and {@code grad_avg} (ḡ, when centered).
 */
public final class RMSprop extends Optimizer {

    /**
     * @param lr          learning rate η ≥ 0
     * @param alpha       smoothing constant α ∈ [0, 1] of the running averages
     * @param eps         ε ≥ 0 added to the denominator
     * @param weightDecay L2 penalty λ ≥ 0, added to the gradient as λθ
     * @param momentum    momentum factor μ ≥ 0
     * @param centered    divide by an estimate of the variance of g instead of its second moment
     */
    public record Options(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered)
            implements Hyperparameters<Options> {
        public Options {
            Check.nonNegative("RMSprop", "learning rate", lr);
            if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("RMSprop: alpha must be in [0, 1], got " + alpha);
            Check.nonNegative("RMSprop", "eps", eps);
            Check.nonNegative("RMSprop", "weight decay", weightDecay);
            Check.nonNegative("RMSprop", "momentum", momentum);
        }

        /** PyTorch's defaults: α = 0.99, ε = 1e-8, no weight decay, no momentum, not centered. */
        public static Options defaults(double lr) { return new Options(lr, 0.99, 1e-8, 0, 0, false); }

        @Override public Options withLr(double lr) { return new Options(lr, alpha, eps, weightDecay, momentum, centered); }
        public Options withAlpha(double alpha) { return new Options(lr, alpha, eps, weightDecay, momentum, centered); }
        public Options withEps(double eps) { return new Options(lr, alpha, eps, weightDecay, momentum, centered); }
        public Options withWeightDecay(double weightDecay) { return new Options(lr, alpha, eps, weightDecay, momentum, centered); }
        public Options withMomentum(double momentum) { return new Options(lr, alpha, eps, weightDecay, momentum, centered); }
        public Options withCentered(boolean centered) { return new Options(lr, alpha, eps, weightDecay, momentum, centered); }
    }

    /** RMSprop with PyTorch's defaults and learning rate lr (PyTorch's default lr is 0.01). */
    public RMSprop(List<Tensor> params, double lr) { this(params, Options.defaults(lr)); }

    public RMSprop(List<Tensor> params, Options options) { this(List.of(new ParamGroup<>(params, options))); }

    /** RMSprop over several parameter groups, each with its own options. */
    public RMSprop(List<ParamGroup<Options>> groups) { super("RMSprop", groups); }

    @Override
    protected List<String> bufferNames(Hyperparameters<?> options) {
        Options o = (Options) options;
        List<String> names = new ArrayList<>(List.of("square_avg"));
        if (o.momentum() > 0) names.add("momentum_buffer");
        if (o.centered()) names.add("grad_avg");
        return List.copyOf(names);
    }

    @Override
    protected void update(Hyperparameters<?> options, long t, double[] p, double[] grad, double[][] state, int from, int to) {
        Options o = (Options) options;
        double eta = o.lr(), alpha = o.alpha(), eps = o.eps(), lambda = o.weightDecay(), mu = o.momentum();
        int k = 0;
        double[] v = state[k++];
        double[] buf = mu > 0 ? state[k++] : null;
        double[] gAvg = o.centered() ? state[k++] : null;
        for (int i = from; i < to; i++) {
            double theta = p[i];
            double g = grad[i] + lambda * theta;
            double vi = alpha * v[i] + (1 - alpha) * g * g;
            v[i] = vi;
            double d;
            if (gAvg != null) {
                double gi = alpha * gAvg[i] + (1 - alpha) * g;
                gAvg[i] = gi;
                d = Math.sqrt(vi - gi * gi) + eps;
            } else {
                d = Math.sqrt(vi) + eps;
            }
            if (buf != null) {
                double b = mu * buf[i] + g / d;
                buf[i] = b;
                p[i] = theta - eta * b;
            } else {
                p[i] = theta - eta * g / d;
            }
        }
    }

    @Override
    protected void update(Hyperparameters<?> options, long t, float[] p, float[] grad, float[][] state, int from, int to) {
        Options o = (Options) options;
        double eta = o.lr(), alpha = o.alpha(), eps = o.eps(), lambda = o.weightDecay(), mu = o.momentum();
        int k = 0;
        float[] v = state[k++];
        float[] buf = mu > 0 ? state[k++] : null;
        float[] gAvg = o.centered() ? state[k++] : null;
        for (int i = from; i < to; i++) {
            double theta = p[i];
            double g = grad[i] + lambda * theta;
            double vi = alpha * v[i] + (1 - alpha) * g * g;
            v[i] = (float) vi;
            double d;
            if (gAvg != null) {
                double gi = alpha * gAvg[i] + (1 - alpha) * g;
                gAvg[i] = (float) gi;
                d = Math.sqrt(vi - gi * gi) + eps;
            } else {
                d = Math.sqrt(vi) + eps;
            }
            if (buf != null) {
                double b = mu * buf[i] + g / d;
                buf[i] = (float) b;
                p[i] = (float) (theta - eta * b);
            } else {
                p[i] = (float) (theta - eta * g / d);
            }
        }
    }
}
