package dev.nabla.optim;

import java.util.Arrays;
import java.util.Objects;

/**
 * The 1cycle policy (Smith and Topin, Super-Convergence, 2017), as PyTorch's {@code OneCycleLR}
 * computes it. From η_max (per group) and T total steps:
 * <pre>
 *   η_init = η_max / divFactor,      η_min = η_init / finalDivFactor
 *
 *   two phases (default):      η_init → η_max   up to step p·T − 1
 *                              η_max  → η_min   up to step T − 1
 *   three phases:              η_init → η_max   up to step p·T − 1
 *                              η_max  → η_init  up to step 2·p·T − 2
 *                              η_init → η_min   up to step T − 1
 * </pre>
 * where p is {@code pctStart}. Step t lies in the first phase whose end e ≥ t (else in the last);
 * with s the end of the phase before (0 for the first), the fraction of the phase done is
 * f = (t − s)/(e − s), and the rate goes from a to b as
 * <pre>
 *   COS:     b + (a − b)/2 · (1 + cos(π f))
 *   LINEAR:  a + (b − a) · f
 * </pre>
 * With PyTorch's defaults (p = 0.3, COS, divFactor 25, finalDivFactor 10⁴, two phases), η_max = 0.1
 * and T = 100: 0.004 at step 0, 0.1 at step 29, 4·10⁻⁷ at step 99.
 *
 * <p><b>Steps.</b> Call {@link #step()} after every batch; T is the number of batches in the whole
 * run (epochs × batches per epoch). As in PyTorch, the T-th call is allowed (it follows the last
 * batch) and the next one raises an error. At that T-th step PyTorch extrapolates the last phase one
 * step beyond its end (with LINEAR that can give a negative rate); here the rate stays at its value
 * of step T − 1. A first phase of length zero (p·T = 1, where PyTorch divides zero by zero) is taken
 * as already at its end: step 0 has η_max.
 *
 * <p><b>What differs from PyTorch.</b> The optimizer's own learning rate is not used: η_max sets the
 * whole cycle, as in PyTorch. PyTorch also cycles the momentum (or Adam's β₁) inversely to the rate by
 * default ({@code cycle_momentum=True}, between 0.85 and 0.95); Nabla's does not: an optimizer's
 * momentum and betas are fixed for the life of its groups (schedules change only the learning rate),
 * so they stay as the optimizer was built, as with PyTorch's {@code cycle_momentum=False}.
 *
 * <p>The state dict is that of every closed-form schedule (step count and base learning rates); build
 * the schedule with the same η_max, T and options, then load it.
 */
public final class OneCycleLR extends ClosedFormLR {

    /** How the rate moves within a phase. */
    public enum Anneal { COS, LINEAR }

    /**
     * @param pctStart       p ∈ [0, 1], the fraction of the steps spent rising to η_max
     * @param anneal         COS or LINEAR
     * @param divFactor      η_init = η_max / divFactor, &gt; 0
     * @param finalDivFactor η_min = η_init / finalDivFactor, &gt; 0
     * @param threePhase     come back down to η_init symmetrically before annealing to η_min (the paper's
     *                       schedule) rather than going straight from η_max to η_min (fastai's, the default)
     */
    public record Options(double pctStart, Anneal anneal, double divFactor, double finalDivFactor, boolean threePhase) {
        public Options {
            if (!(pctStart >= 0 && pctStart <= 1))
                throw new IllegalArgumentException("OneCycleLR: pctStart must be in [0, 1], got " + pctStart);
            Objects.requireNonNull(anneal, "OneCycleLR: anneal must not be null");
            positiveFinite("divFactor", divFactor);
            positiveFinite("finalDivFactor", finalDivFactor);
        }

        /** PyTorch's defaults: pctStart 0.3, COS, divFactor 25, finalDivFactor 10⁴, two phases. */
        public static Options defaults() { return new Options(0.3, Anneal.COS, 25, 1e4, false); }

        public Options withPctStart(double pctStart) { return new Options(pctStart, anneal, divFactor, finalDivFactor, threePhase); }
        public Options withAnneal(Anneal anneal) { return new Options(pctStart, anneal, divFactor, finalDivFactor, threePhase); }
        public Options withDivFactor(double divFactor) { return new Options(pctStart, anneal, divFactor, finalDivFactor, threePhase); }
        public Options withFinalDivFactor(double finalDivFactor) { return new Options(pctStart, anneal, divFactor, finalDivFactor, threePhase); }
        public Options withThreePhase(boolean threePhase) { return new Options(pctStart, anneal, divFactor, finalDivFactor, threePhase); }
    }

    private final double[] maxLrs;
    private final int totalSteps;
    private final Options options;
    /** The last step of each phase, as PyTorch computes it (in double, possibly negative or fractional). */
    private final double[] phaseEnds;

    /** With PyTorch's defaults; η_max for every group. */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
        this(optimizer, maxLr, totalSteps, Options.defaults());
    }

    /** η_max for every group. */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, Options options) {
        this(optimizer, sameForEveryGroup(optimizer, maxLr), totalSteps, options);
    }

    /**
     * @param maxLrs     η_max of each group, in the optimizer's group order, each a finite number &gt; 0
     * @param totalSteps T, the number of steps in the cycle, &gt; 0
     */
    public OneCycleLR(Optimizer optimizer, double[] maxLrs, int totalSteps, Options options) {
        Objects.requireNonNull(optimizer, "OneCycleLR: optimizer must not be null");
        Objects.requireNonNull(maxLrs, "OneCycleLR: maxLrs must not be null");
        this.options = Objects.requireNonNull(options, "OneCycleLR: options must not be null");
        int groups = optimizer.paramGroups().size();
        if (maxLrs.length != groups)
            throw new IllegalArgumentException("OneCycleLR: got " + maxLrs.length + " maximum learning rate" + (maxLrs.length == 1 ? "" : "s")
                + " for an optimizer with " + groups + " group" + (groups == 1 ? "" : "s") + "; give one per group, or a single one for all");
        for (int g = 0; g < groups; g++) positiveFinite("maxLr" + (groups == 1 ? "" : " of group " + g), maxLrs[g]);
        this.maxLrs = maxLrs.clone();
        this.totalSteps = Check.positive("OneCycleLR", "totalSteps", totalSteps);
        double p = options.pctStart();
        this.phaseEnds = options.threePhase()
            ? new double[] {p * totalSteps - 1, 2 * p * totalSteps - 2, totalSteps - 1}
            : new double[] {p * totalSteps - 1, totalSteps - 1};
        super("OneCycleLR", optimizer);
    }

    private static double[] sameForEveryGroup(Optimizer optimizer, double maxLr) {
        Objects.requireNonNull(optimizer, "OneCycleLR: optimizer must not be null");
        double[] out = new double[optimizer.paramGroups().size()];
        Arrays.fill(out, maxLr);
        return out;
    }

    private static void positiveFinite(String what, double value) {
        if (!(value > 0) || Double.isInfinite(value))
            throw new IllegalArgumentException("OneCycleLR: " + what + " must be a finite number > 0, got " + value);
    }

    /** T, the number of steps in the cycle. */
    public int totalSteps() { return totalSteps; }

    public Options options() { return options; }

    /** Rejects a state whose step count is past T, before anything changes. */
    @Override
    public void loadState(State state) {
        if (state.step() > totalSteps)
            throw new IllegalArgumentException("OneCycleLR.loadState: the state is at step " + state.step()
                + ", past this schedule's totalSteps = " + totalSteps);
        super.loadState(state);
    }

    /** The rate at step t ≤ T of group g; the base learning rate is not used (η_max sets the cycle). */
    @Override
    protected double lrAt(int group, double baseLr, long t) {
        if (t > totalSteps)
            throw new IllegalStateException("OneCycleLR: cannot step past totalSteps = " + totalSteps + " (this would be step " + t
                + "); build it with totalSteps = the number of step() calls in the whole run (epochs × batches per epoch)");
        double max = maxLrs[group], initial = max / options.divFactor(), min = initial / options.finalDivFactor();
        double[] from = options.threePhase() ? new double[] {initial, max, initial} : new double[] {initial, max};
        double[] to = options.threePhase() ? new double[] {max, initial, min} : new double[] {max, min};
        long step = Math.min(t, totalSteps - 1);
        double start = 0;
        int last = phaseEnds.length - 1;
        for (int i = 0; i <= last; i++) {
            double end = phaseEnds[i];
            if (step <= end || i == last) {
                double pct = end == start ? 1 : (step - start) / (end - start);
                return anneal(from[i], to[i], pct);
            }
            start = end;
        }
        throw new AssertionError("the last phase always applies");
    }

    private double anneal(double a, double b, double pct) {
        return switch (options.anneal()) {
            case COS -> b + (a - b) / 2.0 * (Math.cos(Math.PI * pct) + 1);
            case LINEAR -> (b - a) * pct + a;
        };
    }
}
