package dev.nabla.optim;

import dev.nabla.array.NdArray;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A schedule whose learning rate is a function of the step count alone: ηₜ = f_g(η₀, t) for each group
 * g, where η₀ is the learning rate the group was built with ({@link Optimizer#initialLr}). Several such
 * schedules over one optimizer therefore do not depend on the order they were made in, and one can be
 * chained after another ({@link SequentialLR}). Construction sets each group's learning rate to
 * f_g(η₀, 0); each {@link #step()} advances t and sets f_g(η₀, t).
 *
 * <p>A step is all or nothing: every group's new rate is computed and checked (a finite number ≥ 0)
 * before any is set, so a step that fails (a {@link LambdaLR} factor that is negative, a
 * {@link OneCycleLR} stepped past its end) leaves the step count and the optimizer as they were.
 *
 * <p>A subclass gives f as {@link #lrAt}; it must set its own fields before calling this constructor
 * (which calls {@code lrAt}), as Java 25's flexible constructor bodies allow.
 */
public abstract class ClosedFormLR implements LRScheduler {
    /**
     * The state of a closed-form schedule.
     *
     * @param step    the number of steps taken (t)
     * @param baseLrs η₀ of each group
     */
    public record State(long step, List<Double> baseLrs) {
        public State {
            if (step < 0) throw new IllegalArgumentException("ClosedFormLR.State: step must be >= 0, got " + step);
            baseLrs = List.copyOf(baseLrs);
        }
    }

    protected final Optimizer optimizer;
    private final String name;
    private final double[] baseLrs;
    private long t;

    protected ClosedFormLR(String name, Optimizer optimizer) {
        this.name = Objects.requireNonNull(name);
        this.optimizer = Objects.requireNonNull(optimizer, name + ": optimizer must not be null");
        int groups = optimizer.paramGroups().size();
        this.baseLrs = new double[groups];
        for (int g = 0; g < groups; g++) baseLrs[g] = optimizer.initialLr(g);
        apply(baseLrs, 0);
    }

    /**
     * The learning rate at step t of group {@code group}, whose base learning rate is baseLr. Most
     * schedules apply one rule to every group and ignore {@code group}; {@link LambdaLR} and
     * {@link OneCycleLR} may have one per group.
     */
    protected abstract double lrAt(int group, double baseLr, long t);

    @Override
    public void step() {
        apply(baseLrs, t + 1);
        t++;
    }

    @Override
    public double lr() { return lrAt(0, baseLrs[0], t); }

    /** The number of steps taken. */
    public long steps() { return t; }

    /** Computes and checks every group's rate at step t from the given bases, then sets them all. */
    private void apply(double[] bases, long t) {
        double[] lrs = new double[bases.length];
        for (int g = 0; g < bases.length; g++) {
            lrs[g] = lrAt(g, bases[g], t);
            if (!(lrs[g] >= 0) || Double.isInfinite(lrs[g]))
                throw new IllegalArgumentException(name + ": the learning rate of group " + g + " at step " + t + " would be " + lrs[g]
                    + "; a schedule must give a finite rate >= 0");
        }
        for (int g = 0; g < lrs.length; g++) optimizer.setLr(g, lrs[g]);
    }

    public State state() { return new State(t, Arrays.stream(baseLrs).boxed().toList()); }

    /**
     * Restores a state and sets the optimizer's learning rates to match it; a state that does not fit
     * raises an error and changes nothing.
     */
    public void loadState(State state) {
        if (state.baseLrs().size() != baseLrs.length)
            throw new IllegalArgumentException(name + ".loadState: the state has " + state.baseLrs().size()
                + " base learning rates, but the optimizer has " + baseLrs.length + " groups");
        double[] bases = new double[baseLrs.length];
        for (int g = 0; g < bases.length; g++) bases[g] = Check.nonNegative(name + ".loadState", "base learning rate", state.baseLrs().get(g));
        apply(bases, state.step());
        System.arraycopy(bases, 0, baseLrs, 0, bases.length);
        t = state.step();
    }

    /** {@code step} (0-d) and {@code base_lrs} (1-d, one per group). */
    @Override
    public Map<String, NdArray> stateDict() {
        Map<String, NdArray> out = new LinkedHashMap<>();
        out.put("step", StateDicts.scalar(t));
        out.put("base_lrs", StateDicts.vector(baseLrs));
        return out;
    }

    @Override
    public void loadStateDict(Map<String, NdArray> state) {
        String op = name + ".loadStateDict";
        StateDicts.requireKeys(op, state, List.of("step", "base_lrs"));
        NdArray b = state.get("base_lrs");
        if (b.rank() != 1)
            throw new IllegalArgumentException(op + ": entry 'base_lrs' must be 1-d, got rank " + b.rank());
        loadState(new State(StateDicts.count(op, "step", state.get("step")), Arrays.stream(b.toDoubleArray()).boxed().toList()));
    }

    @Override
    public String toString() { return name + "(step=" + t + ", lr=" + lr() + ")"; }
}
