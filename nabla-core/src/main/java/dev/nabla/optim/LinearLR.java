package dev.nabla.optim;

/**
 * Moves the learning rate linearly from s·η₀ at step 0 to e·η₀ at step T, then holds it there
 * (PyTorch's {@code LinearLR}, in its closed form):
 * <pre>
 *   ηₜ = η₀ · (s + (e − s) · min(t, T) / T)
 * </pre>
 * With e = 1 it is a warm-up, the same numbers as {@link LinearWarmup} (which adds {@code then});
 * with s = 1 and e &lt; 1 it is a linear decay. PyTorch's defaults are s = 1/3, e = 1, T = 5.
 * PyTorch requires s &gt; 0 because its step-by-step form divides by the factor; the closed form has
 * no such limit, so s = 0 (start from zero) is accepted here.
 */
public final class LinearLR extends ClosedFormLR {
    private final double startFactor, endFactor;
    private final int totalIters;

    /**
     * @param startFactor s ∈ [0, 1], the fraction of η₀ at step 0
     * @param endFactor   e ∈ [0, 1], the fraction of η₀ from step T on
     * @param totalIters  T, the steps of the ramp, &gt; 0
     */
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        if (!(startFactor >= 0 && startFactor <= 1))
            throw new IllegalArgumentException("LinearLR: startFactor must be in [0, 1], got " + startFactor);
        if (!(endFactor >= 0 && endFactor <= 1))
            throw new IllegalArgumentException("LinearLR: endFactor must be in [0, 1], got " + endFactor);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = Check.positive("LinearLR", "totalIters", totalIters);
        super("LinearLR", optimizer);
    }

    @Override
    protected double lrAt(int group, double baseLr, long t) {
        return baseLr * (startFactor + (endFactor - startFactor) * Math.min(t, totalIters) / totalIters);
    }
}
