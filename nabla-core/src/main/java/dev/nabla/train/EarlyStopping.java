package dev.nabla.train;

/**
 * Stops training when the monitored value (the validation loss, or the training loss without
 * validation data) has not improved by more than minDelta for patience epochs in a row. With
 * restoreBest, the model ends the run with the weights of its best epoch.
 */
public record EarlyStopping(int patience, double minDelta, boolean restoreBest) {
    public EarlyStopping {
        if (patience < 1) throw new IllegalArgumentException("early stopping: patience " + patience + " must be at least 1 epoch");
        if (!(minDelta >= 0)) throw new IllegalArgumentException("early stopping: minimum improvement " + minDelta + " must be ≥ 0");
    }

    /** Patience epochs, any improvement counts, best weights restored. */
    public static EarlyStopping patience(int patience) { return new EarlyStopping(patience, 0, true); }
}
