package dev.nabla.optim;

/**
 * Cosine annealing (Loshchilov and Hutter, SGDR, 2017, without restarts), in PyTorch's closed form:
 * <pre>
 *   ηₜ = η_min + (η₀ − η_min) · (1 + cos(π t / T_max)) / 2
 * </pre>
 * η₀ at t = 0, η_min at t = T_max; past T_max the cosine goes on, rising back to η₀ at 2·T_max.
 */
public final class CosineAnnealingLR extends ClosedFormLR {
    private final int tMax;
    private final double etaMin;

    /**
     * @param tMax   steps from η₀ down to η_min, &gt; 0
     * @param etaMin the smallest learning rate η_min ≥ 0
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        this.tMax = Check.positive("CosineAnnealingLR", "tMax", tMax);
        this.etaMin = Check.nonNegative("CosineAnnealingLR", "etaMin", etaMin);
        super("CosineAnnealingLR", optimizer);
    }

    @Override
    protected double lrAt(int group, double baseLr, long t) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2;
    }
}
