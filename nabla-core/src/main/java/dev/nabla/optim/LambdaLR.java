package dev.nabla.optim;

import java.util.List;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;

/**
 * The learning rate is η₀ times a factor the caller computes from the step (PyTorch's
 * {@code LambdaLR}):
 * <pre>
 *   ηₜ = η₀ · f(t)        (or f_g(t) for group g, with one function per group)
 * </pre>
 * For example an inverse-square-root decay after a warm-up of 100 steps:
 * {@code new LambdaLR(opt, t -> Math.min((t + 1) / 100.0, Math.sqrt(100.0 / (t + 1))))}.
 * The factor must be a finite number ≥ 0; a step whose factor is not raises an error naming the
 * group and the step, and changes nothing. f should depend on t alone (no hidden state), so that the
 * schedule is a closed form like the others and can be resumed and chained.
 *
 * <p><b>State.</b> The functions are code, not data: {@link #stateDict()} holds only the step count
 * and the base learning rates. To resume, build the schedule with the same functions, then load the
 * state.
 */
public final class LambdaLR extends ClosedFormLR {
    private final List<IntToDoubleFunction> factors;

    /** One factor for every group. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction factor) {
        this.factors = List.of(Objects.requireNonNull(factor, "LambdaLR: factor must not be null"));
        super("LambdaLR", optimizer);
    }

    /** One factor per group, in the optimizer's group order. */
    public LambdaLR(Optimizer optimizer, List<IntToDoubleFunction> factors) {
        Objects.requireNonNull(optimizer, "LambdaLR: optimizer must not be null");
        Objects.requireNonNull(factors, "LambdaLR: factors must not be null");
        int groups = optimizer.paramGroups().size();
        if (factors.size() != groups)
            throw new IllegalArgumentException("LambdaLR: got " + factors.size() + " factor function" + (factors.size() == 1 ? "" : "s")
                + " for an optimizer with " + groups + " group" + (groups == 1 ? "" : "s") + "; give one per group, or a single one for all");
        for (int g = 0; g < groups; g++)
            if (factors.get(g) == null) throw new IllegalArgumentException("LambdaLR: the factor of group " + g + " is null");
        this.factors = List.copyOf(factors);
        super("LambdaLR", optimizer);
    }

    @Override
    protected double lrAt(int group, double baseLr, long t) {
        if (t > Integer.MAX_VALUE) throw new IllegalStateException("LambdaLR: step " + t + " is past the int range of the factor function");
        double f = factors.get(factors.size() == 1 ? 0 : group).applyAsDouble((int) t);
        if (!(f >= 0) || Double.isInfinite(f))
            throw new IllegalArgumentException("LambdaLR: the factor of group " + group + " at step " + t + " is " + f
                + "; it must be a finite number >= 0");
        return baseLr * f;
    }
}
