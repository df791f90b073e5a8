package dev.nabla.nn;

/** {@link BatchNorm} of images [N, C, H, W]: statistics per channel over N, H and W. */
public final class BatchNorm2d extends BatchNorm {
    /** PyTorch's defaults ({@link Options#defaults()}): float32, ε = 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm2d(int numFeatures) { this(numFeatures, Options.defaults()); }

    public BatchNorm2d(int numFeatures, Options options) { super(numFeatures, options); }

    @Override boolean acceptsRank(int rank) { return rank == 4; }

    @Override String shapes() { return "[N, C, H, W]"; }
}
