package dev.nabla.optim;

/**
 * Decays the learning rate by γ every {@code stepSize} steps: ηₜ = η₀ · γ^⌊t / stepSize⌋
 * (PyTorch's {@code StepLR}). With η₀ = 0.1, stepSize 30 and γ = 0.1: 0.1 for steps 0–29, 0.01 for
 * 30–59, 0.001 from 60.
 */
public final class StepLR extends ClosedFormLR {
    private final int stepSize;
    private final double gamma;

    /**
     * @param stepSize steps between decays, &gt; 0
     * @param gamma    the factor γ ≥ 0
     */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        this.stepSize = Check.positive("StepLR", "step size", stepSize);
        this.gamma = Check.nonNegative("StepLR", "gamma", gamma);
        super("StepLR", optimizer);
    }

    @Override
    protected double lrAt(int group, double baseLr, long t) { return baseLr * Math.pow(gamma, t / stepSize); }
}
