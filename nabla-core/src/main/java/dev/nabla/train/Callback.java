package dev.nabla.train;

/**
 * Code a {@link Trainer} calls as training goes: at the start, after every batch, after every epoch
 * and at the end. Every method does nothing by default. A callback may call {@link Trainer#stop()}
 * to end the run after the current epoch.
 */
public interface Callback {
    /** Before the first epoch that will run (after a resume: the first epoch not yet done). */
    default void onTrainBegin(int firstEpoch, int epochs, int batchesPerEpoch) {}

    /** After each optimizer step. */
    default void onBatchEnd(BatchEnd batch) {}

    /** After each epoch, once its metrics are known and its checkpoint (if any) is written. */
    default void onEpochEnd(EpochMetrics metrics) {}

    /** After the last epoch (or after early stopping). */
    default void onTrainEnd(History history) {}

    /**
     * The state after one batch.
     *
     * @param epoch         1-based epoch
     * @param epochs        the number of epochs the run is to have
     * @param batch         1-based batch within the epoch
     * @param batches       batches per epoch
     * @param loss          this batch's loss
     * @param meanLoss      the mean loss over the epoch's samples so far
     * @param samples       samples seen in this epoch so far
     * @param elapsedNanos  time since this epoch began
     */
    record BatchEnd(int epoch, int epochs, int batch, int batches, double loss, double meanLoss, long samples, long elapsedNanos) {}
}
