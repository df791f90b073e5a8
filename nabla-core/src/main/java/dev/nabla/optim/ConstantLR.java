package dev.nabla.optim;

/**
 * Holds the learning rate at a fraction of η₀ for the first T steps, then at η₀ (PyTorch's
 * {@code ConstantLR}):
 * <pre>
 *   ηₜ = η₀ · f   for t &lt; T,      ηₜ = η₀   for t ≥ T
 * </pre>
 * A gentle start before another schedule:
 * {@code new SequentialLR(opt, List.of(new ConstantLR(opt, 0.1, 20), new ExponentialLR(opt, 0.9)), 20)}.
 */
public final class ConstantLR extends ClosedFormLR {
    private final double factor;
    private final int totalIters;

    /**
     * @param factor     f ∈ [0, 1], the fraction of η₀ to hold (PyTorch's default is 1/3)
     * @param totalIters T, the steps at the reduced rate, &gt; 0 (PyTorch's default is 5)
     */
    public ConstantLR(Optimizer optimizer, double factor, int totalIters) {
        if (!(factor >= 0 && factor <= 1))
            throw new IllegalArgumentException("ConstantLR: factor must be in [0, 1], got " + factor);
        this.factor = factor;
        this.totalIters = Check.positive("ConstantLR", "totalIters", totalIters);
        super("ConstantLR", optimizer);
    }

    @Override
    protected double lrAt(int group, double baseLr, long t) { return t < totalIters ? baseLr * factor : baseLr; }
}
