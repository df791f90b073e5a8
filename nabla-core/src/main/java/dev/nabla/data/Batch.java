package dev.nabla.data;

import dev.nabla.array.NdArray;

/**
 * A batch of B samples: features of shape [B, ...] and labels of shape [B] (class indices or one
 * target each) or [B, ...] (several targets each). Both arrays are freshly made or views of the
 * dataset's arrays: a caller must not modify them in place.
 */
public record Batch(NdArray features, NdArray labels) {
    public Batch {
        if (features.rank() == 0 || labels.rank() == 0 || features.size(0) != labels.size(0))
            throw new IllegalArgumentException("Batch: features " + dev.nabla.array.Shapes.str(features.shape()) + " and labels "
                + dev.nabla.array.Shapes.str(labels.shape()) + " must have the same first dimension");
    }

    /** The number of samples, B. */
    public int size() { return features.size(0); }
}
