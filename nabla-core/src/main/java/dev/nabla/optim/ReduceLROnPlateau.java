package dev.nabla.optim;

import dev.nabla.array.NdArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reduces the learning rate when a monitored metric has stopped improving (PyTorch's
 * {@code ReduceLROnPlateau}). After each epoch, call {@link #step(double)} with the metric:
 * <ul>
 *   <li>the metric is better than the best so far when, in mode MIN, it is below best·(1 − threshold)
 *       (relative) or best − threshold (absolute); in mode MAX, above best·(1 + threshold) or
 *       best + threshold. A better metric becomes the best and resets the count of bad steps;
 *       otherwise the count grows by one;</li>
 *   <li>during a cool-down the count of bad steps is held at 0;</li>
 *   <li>when the count exceeds {@code patience}, each group's learning rate becomes
 *       max(η·factor, minLr) (unless that changes it by no more than eps), the count resets and a
 *       cool-down of {@code cooldown} steps begins.</li>
 * </ul>
 * It changes the optimizer's current learning rate, so it does not chain with closed-form schedules.
 */
public final class ReduceLROnPlateau implements LRScheduler {

    /** Whether the metric should go down (a loss) or up (an accuracy). */
    public enum Mode { MIN, MAX }

    /** Whether {@code threshold} is a fraction of the best value or an absolute amount. */
    public enum ThresholdMode { REL, ABS }

    /**
     * @param mode          MIN or MAX
     * @param factor        the factor the learning rate is multiplied by, in [0, 1)
     * @param patience      bad steps tolerated before a reduction, ≥ 0
     * @param threshold     the least change that counts as an improvement, ≥ 0
     * @param thresholdMode REL or ABS
     * @param cooldown      steps after a reduction in which bad steps are not counted, ≥ 0
     * @param minLr         the smallest learning rate, ≥ 0
     * @param eps           a reduction smaller than this is not applied, ≥ 0
     */
    public record Options(Mode mode, double factor, int patience, double threshold, ThresholdMode thresholdMode,
                          int cooldown, double minLr, double eps) {
        public Options {
            Objects.requireNonNull(mode, "ReduceLROnPlateau: mode must not be null");
            Objects.requireNonNull(thresholdMode, "ReduceLROnPlateau: threshold mode must not be null");
            Check.unitInterval("ReduceLROnPlateau", "factor", factor);
            Check.nonNegative("ReduceLROnPlateau", "patience", patience);
            Check.nonNegative("ReduceLROnPlateau", "threshold", threshold);
            Check.nonNegative("ReduceLROnPlateau", "cooldown", cooldown);
            Check.nonNegative("ReduceLROnPlateau", "minimum learning rate", minLr);
            Check.nonNegative("ReduceLROnPlateau", "eps", eps);
        }

        /** PyTorch's defaults: MIN, factor 0.1, patience 10, threshold 1e-4 relative, no cool-down, minLr 0, eps 1e-8. */
        public static Options defaults() { return new Options(Mode.MIN, 0.1, 10, 1e-4, ThresholdMode.REL, 0, 0, 1e-8); }

        public Options withMode(Mode mode) { return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps); }
        public Options withFactor(double factor) { return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps); }
        public Options withPatience(int patience) { return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps); }
        public Options withThreshold(double threshold, ThresholdMode thresholdMode) {
            return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }
        public Options withCooldown(int cooldown) { return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps); }
        public Options withMinLr(double minLr) { return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps); }
    }

    /**
     * The state between steps.
     *
     * @param best         the best metric so far (+∞ for MIN, −∞ for MAX before the first step)
     * @param badSteps     steps since the last improvement, not counting cool-down
     * @param cooldownLeft steps of cool-down still to go
     * @param step         steps taken
     */
    public record State(double best, int badSteps, int cooldownLeft, long step) {}

    private final Optimizer optimizer;
    private final Options options;
    private State state;

    public ReduceLROnPlateau(Optimizer optimizer, Options options) {
        this.optimizer = Objects.requireNonNull(optimizer, "ReduceLROnPlateau: optimizer must not be null");
        this.options = Objects.requireNonNull(options, "ReduceLROnPlateau: options must not be null");
        this.state = new State(options.mode() == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY, 0, 0, 0);
    }

    /** With a relative threshold and eps 1e-8 (PyTorch's defaults for those). */
    public ReduceLROnPlateau(Optimizer optimizer, Mode mode, double factor, int patience, double threshold, int cooldown, double minLr) {
        this(optimizer, new Options(mode, factor, patience, threshold, ThresholdMode.REL, cooldown, minLr, 1e-8));
    }

    /** Not available: the schedule needs the metric. */
    @Override
    public void step() {
        throw new UnsupportedOperationException("ReduceLROnPlateau.step: needs the monitored metric; call step(metric)");
    }

    /** Records the metric of the epoch just finished and reduces the learning rate after a plateau. */
    public void step(double metric) {
        State s = state;
        double best = s.best();
        int bad = s.badSteps(), cooldownLeft = s.cooldownLeft();
        if (isBetter(metric, best)) {
            best = metric;
            bad = 0;
        } else {
            bad++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            bad = 0;
        }
        if (bad > options.patience()) {
            reduce();
            cooldownLeft = options.cooldown();
            bad = 0;
        }
        state = new State(best, bad, cooldownLeft, s.step() + 1);
    }

    private boolean isBetter(double a, double best) {
        double th = options.threshold();
        boolean rel = options.thresholdMode() == ThresholdMode.REL;
        return options.mode() == Mode.MIN
            ? a < (rel ? best * (1 - th) : best - th)
            : a > (rel ? best * (1 + th) : best + th);
    }

    private void reduce() {
        int groups = optimizer.paramGroups().size();
        for (int g = 0; g < groups; g++) {
            double old = optimizer.lr(g), next = Math.max(old * options.factor(), options.minLr());
            if (old - next > options.eps()) optimizer.setLr(g, next);
        }
    }

    @Override
    public double lr() { return optimizer.lr(); }

    public Options options() { return options; }

    public State state() { return state; }

    public void loadState(State state) { this.state = Objects.requireNonNull(state, "ReduceLROnPlateau.loadState: state must not be null"); }

    /** {@code best}, {@code num_bad_steps}, {@code cooldown_counter} and {@code step}, as 0-d float64 arrays. */
    @Override
    public Map<String, NdArray> stateDict() {
        Map<String, NdArray> out = new LinkedHashMap<>();
        out.put("best", StateDicts.scalar(state.best()));
        out.put("num_bad_steps", StateDicts.scalar(state.badSteps()));
        out.put("cooldown_counter", StateDicts.scalar(state.cooldownLeft()));
        out.put("step", StateDicts.scalar(state.step()));
        return out;
    }

    @Override
    public void loadStateDict(Map<String, NdArray> s) {
        String op = "ReduceLROnPlateau.loadStateDict";
        StateDicts.requireKeys(op, s, List.of("best", "num_bad_steps", "cooldown_counter", "step"));
        long bad = StateDicts.count(op, "num_bad_steps", s.get("num_bad_steps"));
        long cool = StateDicts.count(op, "cooldown_counter", s.get("cooldown_counter"));
        if (bad > Integer.MAX_VALUE || cool > Integer.MAX_VALUE)
            throw new IllegalArgumentException(op + ": counters out of range: " + bad + ", " + cool);
        state = new State(StateDicts.scalar(op, "best", s.get("best")), (int) bad, (int) cool, StateDicts.count(op, "step", s.get("step")));
    }

    @Override
    public String toString() { return "ReduceLROnPlateau(" + options + ", " + state + ", lr=" + lr() + ")"; }
}
