package dev.nabla.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Cuts a dataset into batches of {@code batchSize} samples, one pass (an epoch) at a time.
 *
 * <p>With shuffling on, epoch e visits the samples in a permutation drawn from a generator seeded
 * with (seed, e) alone: every epoch has a new order, the same seed gives the same orders, and epoch
 * e's order does not depend on the epochs before it. So a run that stops after epoch k and resumes
 * with {@link #setEpoch setEpoch(k)} sees exactly the batches the uninterrupted run would have seen.
 * Without shuffling, samples come in dataset order.
 *
 * <p>The last batch holds the remaining N mod batchSize samples, or is dropped when
 * {@code dropLast} is set. A {@code for (Batch b : loader)} loop runs one epoch and advances the
 * epoch counter; {@link #epoch(int)} gives the batches of a given epoch without touching it.
 * {@link #withTransform} adds a random change to every batch (augmentation), seeded by
 * (seed, epoch, batch).
 */
public final class DataLoader implements Iterable<Batch> {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle, dropLast;
    private final long seed;
    private final BatchTransform transform;
    private int nextEpoch;

    /**
     * @param batchSize samples per batch, ≥ 1
     * @param shuffle   a new seeded permutation each epoch (else dataset order)
     * @param seed      the shuffling seed
     * @param dropLast  drop the last batch when it has fewer than batchSize samples
     */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast) {
        this(dataset, batchSize, shuffle, seed, dropLast, null);
    }

    private DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast, BatchTransform transform) {
        if (dataset == null) throw new IllegalArgumentException("DataLoader: dataset is null");
        if (batchSize < 1) throw new IllegalArgumentException("DataLoader: batch size " + batchSize + " must be at least 1");
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
        this.transform = transform;
    }

    /**
     * A loader like this one whose batches pass through transform (data augmentation), with a
     * generator seeded by (seed, epoch, batch).
     */
    public DataLoader withTransform(BatchTransform transform) {
        DataLoader d = new DataLoader(dataset, batchSize, shuffle, seed, dropLast, transform);
        d.nextEpoch = nextEpoch;
        return d;
    }

    /** Batches in dataset order, the last one possibly smaller. */
    public DataLoader(Dataset dataset, int batchSize) { this(dataset, batchSize, false, 0, false); }

    public Dataset dataset() { return dataset; }
    public int batchSize() { return batchSize; }
    public boolean shuffle() { return shuffle; }
    public long seed() { return seed; }
    public boolean dropLast() { return dropLast; }
    /** The transform every batch passes through ({@link #withTransform}), or null for none. */
    public BatchTransform transform() { return transform; }

    /** Batches per epoch: ⌈N / batchSize⌉, or ⌊N / batchSize⌋ with dropLast. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Samples per epoch (N, less the dropped remainder with dropLast). */
    public int samplesPerEpoch() { return dropLast ? numBatches() * batchSize : dataset.size(); }

    /** The epoch the next for-each loop runs (0 at first). */
    public int nextEpoch() { return nextEpoch; }

    /** Sets the epoch the next for-each loop runs (to resume a run part way). */
    public void setEpoch(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("DataLoader.setEpoch: epoch " + epoch + " is negative");
        nextEpoch = epoch;
    }

    /** The order in which epoch e visits the samples: a permutation of 0..N-1 (identity without shuffling). */
    public int[] permutation(int epoch) {
        int n = dataset.size();
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        if (!shuffle) return p;
        // Fisher-Yates with a generator that depends on (seed, epoch) only.
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + 1);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The batches of epoch e, made lazily as they are iterated. */
    public Iterable<Batch> epoch(int epoch) {
        return () -> new BatchIterator(epoch);
    }

    /** Runs the next epoch and advances the epoch counter. */
    @Override
    public Iterator<Batch> iterator() { return new BatchIterator(nextEpoch++); }

    private final class BatchIterator implements Iterator<Batch> {
        private final int[] order;
        private final boolean sequential;
        private final int batches, epoch;
        private int b;

        BatchIterator(int epoch) {
            this.epoch = epoch;
            this.order = permutation(epoch);
            this.sequential = !shuffle && dataset instanceof TensorDataset;
            this.batches = numBatches();
        }

        @Override public boolean hasNext() { return b < batches; }

        @Override public Batch next() {
            if (!hasNext()) throw new NoSuchElementException("DataLoader: the epoch has " + batches + " batches");
            int index = b++;
            int start = index * batchSize;
            int len = Math.min(batchSize, order.length - start);
            Batch batch;
            if (sequential) batch = ((TensorDataset) dataset).slice(start, len);   // views, no copy
            else {
                int[] idx = new int[len];
                System.arraycopy(order, start, idx, 0, len);
                batch = dataset.get(idx);
            }
            if (transform == null) return batch;
            return transform.apply(batch, new SplittableRandom(seed * 0xD1B54A32D192ED03L + epoch * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 7));
        }
    }

    @Override
    public String toString() {
        return "DataLoader(samples=" + dataset.size() + ", batchSize=" + batchSize + ", shuffle=" + shuffle
            + (shuffle ? ", seed=" + seed : "") + ", dropLast=" + dropLast
            + (transform != null ? ", transform=" + transform : "") + ")";
    }
}
