package dev.nabla.optim;

/** Decays the learning rate by γ every step: ηₜ = η₀ · γᵗ (PyTorch's {@code ExponentialLR}). */
public final class ExponentialLR extends ClosedFormLR {
    private final double gamma;

    /** @param gamma the factor γ ≥ 0 */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        this.gamma = Check.nonNegative("ExponentialLR", "gamma", gamma);
        super("ExponentialLR", optimizer);
    }

    @Override
    protected double lrAt(int group, double baseLr, long t) { return baseLr * Math.pow(gamma, t); }
}
