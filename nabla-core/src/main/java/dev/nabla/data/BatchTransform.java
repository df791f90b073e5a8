package dev.nabla.data;

import java.util.random.RandomGenerator;

/**
 * A random change made to each training batch (data augmentation). A {@link DataLoader} calls it
 * with a generator seeded by (seed, epoch, batch) alone, so augmented epochs are reproducible and
 * a resumed run sees the same augmented batches.
 */
@FunctionalInterface
public interface BatchTransform {
    /** A new batch made from the given one (which must not be modified: it may be a view of the dataset). */
    Batch apply(Batch batch, RandomGenerator rng);
}
