package dev.nabla.nn;

import dev.nabla.autograd.Tensor;

/** Cross-entropy of logits [N, C] against class indices [N], optionally label-smoothed: see {@link Losses#crossEntropy}. */
public final class CrossEntropyLoss extends Loss {
    private final double labelSmoothing;

    public CrossEntropyLoss() { this(Reduction.MEAN, 0); }

    public CrossEntropyLoss(Reduction reduction) { this(reduction, 0); }

    public CrossEntropyLoss(Reduction reduction, double labelSmoothing) {
        super(reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new IllegalArgumentException("CrossEntropyLoss: label smoothing " + labelSmoothing + " is not in [0, 1]");
        this.labelSmoothing = labelSmoothing;
    }

    public double labelSmoothing() { return labelSmoothing; }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return Losses.crossEntropy(input, target, reduction, labelSmoothing); }

    @Override
    protected String extraRepr() { return labelSmoothing == 0 ? "" : "label_smoothing=" + labelSmoothing; }
}
