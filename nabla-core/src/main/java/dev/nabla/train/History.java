package dev.nabla.train;

import java.util.List;

/**
 * What a training run did: the metrics of every epoch so far (including those of the run it was
 * resumed from), whether early stopping ended it, and the epoch (1-based) whose monitored value was
 * best (0 when early stopping was off).
 */
public record History(List<EpochMetrics> epochs, boolean stoppedEarly, int bestEpoch) {
    public History {
        epochs = List.copyOf(epochs);
    }

    /** The last epoch's metrics; throws when no epoch ran. */
    public EpochMetrics last() {
        if (epochs.isEmpty()) throw new IllegalStateException("History: no epoch has run");
        return epochs.get(epochs.size() - 1);
    }

    /** The metrics the final model has: those of the best epoch when the best weights were restored, else the last. */
    public EpochMetrics fin() {
        return bestEpoch > 0 ? epochs.get(bestEpoch - 1) : last();
    }
}
