package dev.nabla.optim;

import java.util.List;

/**
 * Linear warm-up: the learning rate rises linearly from s·η₀ at step 0 to η₀ at step W, then stays
 * there. It is PyTorch's {@code LinearLR} with end factor 1, the same numbers as
 * {@code new LinearLR(opt, s, 1, W)}; {@link LinearLR} also ramps to other end factors (a linear decay):
 * <pre>
 *   ηₜ = η₀ · (s + (1 − s) · min(t, W) / W)
 * </pre>
 * {@link #then} chains another schedule after the warm-up:
 * {@code new LinearWarmup(opt, 5, 0.1).then(new CosineAnnealingLR(opt, 95, 0))}.
 */
public final class LinearWarmup extends ClosedFormLR {
    private final int warmupSteps;
    private final double startFactor;

    /**
     * @param warmupSteps W, the steps until the full learning rate, &gt; 0
     * @param startFactor s ∈ [0, 1], the fraction of η₀ to start from
     */
    public LinearWarmup(Optimizer optimizer, int warmupSteps, double startFactor) {
        this.warmupSteps = Check.positive("LinearWarmup", "warmup steps", warmupSteps);
        if (!(startFactor >= 0 && startFactor <= 1))
            throw new IllegalArgumentException("LinearWarmup: start factor must be in [0, 1], got " + startFactor);
        this.startFactor = startFactor;
        super("LinearWarmup", optimizer);
    }

    @Override
    protected double lrAt(int group, double baseLr, long t) {
        return baseLr * (startFactor + (1 - startFactor) * Math.min(t, warmupSteps) / warmupSteps);
    }

    /**
     * This warm-up for its W steps, then {@code next} from its own step 0 (a {@link SequentialLR} with
     * the milestone W). Call it before training: the result starts at step 0.
     */
    public SequentialLR then(ClosedFormLR next) {
        return new SequentialLR(optimizer, List.of(this, next), warmupSteps);
    }
}
