package dev.nabla.optim;

import dev.nabla.autograd.Tensor;
import dev.nabla.kernels.Optim;

import java.util.List;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
 * decay, following PyTorch's {@code torch.optim.SGD} exactly. For each parameter θ with gradient g,
 * at step t:
 * <pre>
 *   g ← g + λθ                              (weight decay λ, if λ ≠ 0)
 *   if μ ≠ 0:
 *       b ← g                    at t = 1   (the first step copies g: no dampening)
 *       b ← μb + (1 − τ)g        at t &gt; 1   (momentum μ, dampening τ)
 *       g ← g + μb   if Nesterov, else   g ← b
 *   θ ← θ − ηg
 * </pre>
 * Buffers: {@code momentum_buffer} (only when μ ≠ 0).
 */
public final class SGD extends Optimizer {

    /**
     * @param lr          learning rate η ≥ 0
     * @param momentum    momentum factor μ ≥ 0 (0: plain SGD)
     * @param dampening   dampening τ of the momentum ≥ 0
     * @param weightDecay L2 penalty λ ≥ 0, added to the gradient as λθ
     * @param nesterov    use Nesterov momentum (needs μ &gt; 0 and τ = 0)
     */
    public record Options(double lr, double momentum, double dampening, double weightDecay, boolean nesterov)
            implements Hyperparameters<Options> {
        public Options {
            Check.nonNegative("SGD", "learning rate", lr);
            Check.nonNegative("SGD", "momentum", momentum);
            Check.nonNegative("SGD", "dampening", dampening);
            Check.nonNegative("SGD", "weight decay", weightDecay);
            if (nesterov && (momentum <= 0 || dampening != 0))
                throw new IllegalArgumentException("SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum "
                    + momentum + " and dampening " + dampening);
        }

        /** PyTorch's defaults: no momentum, no dampening, no weight decay, no Nesterov. */
        public static Options defaults(double lr) { return new Options(lr, 0, 0, 0, false); }

        @Override public Options withLr(double lr) { return new Options(lr, momentum, dampening, weightDecay, nesterov); }
        public Options withMomentum(double momentum) { return new Options(lr, momentum, dampening, weightDecay, nesterov); }
        public Options withDampening(double dampening) { return new Options(lr, momentum, dampening, weightDecay, nesterov); }
        public Options withWeightDecay(double weightDecay) { return new Options(lr, momentum, dampening, weightDecay, nesterov); }
        public Options withNesterov(boolean nesterov) { return new Options(lr, momentum, dampening, weightDecay, nesterov); }
    }

    /** Plain SGD over the parameters with learning rate lr. */
    public SGD(List<Tensor> params, double lr) { this(params, Options.defaults(lr)); }

    public SGD(List<Tensor> params, Options options) { this(List.of(new ParamGroup<>(params, options))); }

    /** SGD over several parameter groups, each with its own options. */
    public SGD(List<ParamGroup<Options>> groups) { super("SGD", groups); }

    @Override
    protected List<String> bufferNames(Hyperparameters<?> options) {
        return ((Options) options).momentum() != 0 ? List.of("momentum_buffer") : List.of();
    }

    @Override
    protected void update(Hyperparameters<?> options, long t, double[] p, double[] grad, double[][] state, int from, int to) {
        Options o = (Options) options;
        double eta = o.lr(), mu = o.momentum(), tau = o.dampening(), lambda = o.weightDecay();
        boolean nesterov = o.nesterov();
        double[] buf = mu != 0 ? state[0] : null;
        for (int i = from; i < to; i++) {
            double theta = p[i];
            double g = grad[i] + lambda * theta;
            if (buf != null) {
                double b = t == 1 ? g : mu * buf[i] + (1 - tau) * g;
                buf[i] = b;
                g = nesterov ? g + mu * b : b;
            }
            p[i] = theta - eta * g;
        }
    }

    @Override
    protected void update(Hyperparameters<?> options, long t, float[] p, float[] grad, float[][] state, int from, int to) {
        Options o = (Options) options;
        double eta = o.lr(), mu = o.momentum(), tau = o.dampening(), lambda = o.weightDecay();
        boolean nesterov = o.nesterov();
        if (mu == 0) {                       // no momentum: the vector kernel, the same double rule
            Optim.sgdStep(p, grad, from, to, eta, lambda);
            return;
        }
        float[] buf = state[0];
        for (int i = from; i < to; i++) {
            double theta = p[i];
            double g = grad[i] + lambda * theta;
            double b = t == 1 ? g : mu * buf[i] + (1 - tau) * g;
            buf[i] = (float) b;
            g = nesterov ? g + mu * b : b;
            p[i] = (float) (theta - eta * g);
        }
    }
}
