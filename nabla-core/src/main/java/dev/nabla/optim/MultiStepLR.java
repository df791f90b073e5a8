package dev.nabla.optim;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Decays the learning rate by γ at each milestone (PyTorch's {@code MultiStepLR}):
 * <pre>
 *   ηₜ = η₀ · γ^k,   k = the number of milestones m with m ≤ t
 * </pre>
 * With η₀ = 0.05, milestones 30 and 80 and γ = 0.1: 0.05 for steps 0–29, 0.005 for 30–79, 0.0005 from 80.
 *
 * <p>The milestones must be positive and strictly increasing. PyTorch also accepts a repeated
 * milestone and decays by γ once per copy (γ² at a milestone given twice); here a repeat is rejected
 * as the likely typo it is. For a larger drop at one milestone, use a {@link LambdaLR}.
 */
public final class MultiStepLR extends ClosedFormLR {
    private final int[] milestones;
    private final double gamma;

    /**
     * @param milestones the steps at which γ is applied, one or more, positive and strictly increasing
     * @param gamma      the factor γ ≥ 0
     */
    public MultiStepLR(Optimizer optimizer, List<Integer> milestones, double gamma) {
        Objects.requireNonNull(milestones, "MultiStepLR: milestones must not be null");
        if (milestones.isEmpty()) throw new IllegalArgumentException("MultiStepLR: needs at least one milestone");
        int[] m = new int[milestones.size()];
        for (int k = 0; k < m.length; k++) {
            Integer v = milestones.get(k);
            if (v == null) throw new IllegalArgumentException("MultiStepLR: milestone " + k + " is null");
            m[k] = v;
            if (m[k] <= (k == 0 ? 0 : m[k - 1]))
                throw new IllegalArgumentException("MultiStepLR: milestones must be positive and strictly increasing, got " + milestones
                    + (k > 0 && m[k] == m[k - 1] ? " (a repeated milestone is not allowed; each decays by gamma once)" : ""));
        }
        this.milestones = m;
        this.gamma = Check.nonNegative("MultiStepLR", "gamma", gamma);
        super("MultiStepLR", optimizer);
    }

    /** The milestones, in order. */
    public List<Integer> milestones() { return Arrays.stream(milestones).boxed().toList(); }

    @Override
    protected double lrAt(int group, double baseLr, long t) {
        int k = 0;
        while (k < milestones.length && milestones[k] <= t) k++;
        return baseLr * Math.pow(gamma, k);
    }
}
