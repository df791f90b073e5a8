package dev.nabla.explain.spec;

/** The target of a spec: rows of numbers (N x dL), or one class index per sample. */
public sealed interface Target {

    int batchSize();

    /** N x dL numbers, compared entry by entry with the network output. */
    record Values(double[][] rows) implements Target {
        public int batchSize() { return rows.length; }
    }

    /** One 0-based class index per sample (cross_entropy, multiclass_hinge). */
    record Classes(int[] indices) implements Target {
        public int batchSize() { return indices.length; }
    }
}
