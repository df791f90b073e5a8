package dev.nabla.nn;

/**
 * {@link BatchNorm} of an input [N, C] (features) or [N, C, L] (channels of a sequence): statistics
 * per channel over N, or over N and L.
 */
public final class BatchNorm1d extends BatchNorm {
    /** PyTorch's defaults ({@link Options#defaults()}): float32, ε = 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm1d(int numFeatures) { this(numFeatures, Options.defaults()); }

    public BatchNorm1d(int numFeatures, Options options) { super(numFeatures, options); }

    @Override boolean acceptsRank(int rank) { return rank == 2 || rank == 3; }

    @Override String shapes() { return "[N, C] or [N, C, L]"; }
}
