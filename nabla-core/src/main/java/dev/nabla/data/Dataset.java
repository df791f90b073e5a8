package dev.nabla.data;

/**
 * A finite, indexable collection of (features, label) samples. {@link #get} gathers any samples into
 * one {@link Batch}, which is all a {@link DataLoader} needs; {@link TensorDataset} holds everything
 * in memory.
 */
public interface Dataset {
    /** The number of samples, N. */
    int size();

    /** The shape of one sample's features ([2] for a point, [28, 28] for an MNIST digit). */
    int[] featureShape();

    /**
     * The samples at the given positions, in that order: features [B, ...featureShape] and labels
     * [B, ...]. Positions must be in [0, size()); the dataset is not modified.
     */
    Batch get(int[] indices);
}
