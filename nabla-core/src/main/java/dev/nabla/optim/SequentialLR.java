package dev.nabla.optim;

import java.util.Arrays;
import java.util.List;

/**
 * Closed-form schedules one after another: schedule k runs from milestone k−1 (0 for the first) to
 * milestone k, and counts its own steps from 0 at its start:
 * <pre>
 *   ηₜ = f_k(η₀, t − m_{k−1})   for m_{k−1} ≤ t &lt; m_k
 * </pre>
 * The schedules must be built over the same optimizer; only this one is stepped.
 */
public final class SequentialLR extends ClosedFormLR {
    private final List<ClosedFormLR> schedules;
    private final long[] milestones;

    /**
     * @param schedules  two or more schedules over {@code optimizer}
     * @param milestones one fewer than the schedules, positive and increasing: the steps at which the next one starts
     */
    public SequentialLR(Optimizer optimizer, List<? extends ClosedFormLR> schedules, long... milestones) {
        if (schedules.isEmpty()) throw new IllegalArgumentException("SequentialLR: needs at least one schedule");
        if (milestones.length != schedules.size() - 1)
            throw new IllegalArgumentException("SequentialLR: " + schedules.size() + " schedules need " + (schedules.size() - 1)
                + " milestones, got " + milestones.length);
        for (int k = 0; k < schedules.size(); k++)
            if (schedules.get(k).optimizer != optimizer)
                throw new IllegalArgumentException("SequentialLR: schedule " + k + " (" + schedules.get(k).getClass().getSimpleName()
                    + ") was built over another optimizer");
        for (int k = 0; k < milestones.length; k++)
            if (milestones[k] <= (k == 0 ? 0 : milestones[k - 1]))
                throw new IllegalArgumentException("SequentialLR: milestones must be positive and increasing, got " + Arrays.toString(milestones));
        this.schedules = List.copyOf(schedules);
        this.milestones = milestones.clone();
        super("SequentialLR", optimizer);
    }

    @Override
    protected double lrAt(int group, double baseLr, long t) {
        int k = 0;
        while (k < milestones.length && t >= milestones[k]) k++;
        long start = k == 0 ? 0 : milestones[k - 1];
        return schedules.get(k).lrAt(group, baseLr, t - start);
    }
}
