package dev.nabla.train;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;
import dev.nabla.autograd.Tensor;
import dev.nabla.nn.Loss;

/**
 * What a network's output and a batch's labels mean: how to turn them into a loss to minimize, and
 * how to count correct predictions. Three kinds:
 * <ul>
 *   <li>{@link ClassIndices}: labels are class indices [B], the output has one score per class
 *       [B, C]; the loss takes the indices as its target (cross-entropy, NLL, multi-margin,
 *       multi-class hinge); a prediction is correct when argmax over the C scores is the label;</li>
 *   <li>{@link OneHot}: the same labels and accuracy, but the loss compares the output with the
 *       one-hot encoding of the label, a [B, C] array with 1 at the label and 0 elsewhere (MSE, L1,
 *       Huber, BCE with logits);</li>
 *   <li>{@link Targets}: regression; labels are the targets ([B] against an output [B, 1], or the
 *       output's shape); there is no accuracy.</li>
 * </ul>
 */
public sealed interface Objective {

    /** The loss of a batch: a differentiable one-element tensor (the batch mean for a MEAN loss). */
    Tensor loss(Tensor output, NdArray labels);

    /** How many samples of the batch are predicted correctly, or -1 when accuracy does not apply. */
    int correct(NdArray output, NdArray labels);

    /** The loss function used. */
    Loss lossFunction();

    /** Class indices as the loss's target; accuracy by argmax. */
    record ClassIndices(Loss lossFunction) implements Objective {
        @Override public Tensor loss(Tensor output, NdArray labels) { return lossFunction.forward(output, Tensor.of(labels)); }
        @Override public int correct(NdArray output, NdArray labels) { return argmaxCorrect(output, labels); }
    }

    /** One-hot targets for the loss; accuracy by argmax. */
    record OneHot(Loss lossFunction, int classes) implements Objective {
        public OneHot {
            if (classes < 2) throw new IllegalArgumentException("OneHot: needs at least 2 classes, got " + classes);
        }

        @Override public Tensor loss(Tensor output, NdArray labels) {
            return lossFunction.forward(output, Tensor.of(oneHot(labels, classes, output.dtype())));
        }

        @Override public int correct(NdArray output, NdArray labels) { return argmaxCorrect(output, labels); }
    }

    /** Regression targets; no accuracy. A [B] label array is compared with a [B, 1] output as [B, 1]. */
    record Targets(Loss lossFunction) implements Objective {
        @Override public Tensor loss(Tensor output, NdArray labels) {
            NdArray y = labels.rank() == 1 && output.rank() == 2 && output.size(1) == 1 ? labels.reshape(labels.size(0), 1) : labels;
            return lossFunction.forward(output, Tensor.of(y.dtype() == output.dtype() ? y : y.to(output.dtype())));
        }

        @Override public int correct(NdArray output, NdArray labels) { return -1; }
    }

    /** The one-hot encoding [B, classes] of class indices [B]. */
    static NdArray oneHot(NdArray labels, int classes, DType dtype) {
        int b = labels.size(0);
        NdArray out = NdArray.zeros(dtype, b, classes);
        double[] y = labels.toDoubleArray();
        for (int i = 0; i < b; i++) {
            int k = (int) y[i];
            if (k != y[i] || k < 0 || k >= classes)
                throw new IllegalArgumentException("one-hot: label " + y[i] + " of sample " + i + " is not a class index in 0.." + (classes - 1));
            out.set(1, i, k);
        }
        return out;
    }

    /** Counts rows whose largest score (first on ties) sits at the label's index. */
    static int argmaxCorrect(NdArray output, NdArray labels) {
        if (output.rank() != 2 || labels.rank() != 1 || output.size(0) != labels.size(0))
            throw new IllegalArgumentException("accuracy: expected outputs [B, C] and class indices [B], got "
                + Shapes.str(output.shape()) + " and " + Shapes.str(labels.shape()));
        int b = output.size(0), c = output.size(1);
        // The network's output is normally a fresh contiguous float32 array: read it in place.
        float[] o = output.dtype() == DType.FLOAT32 && output.isContiguous() && output.offset() == 0
            ? output.floatData() : output.to(DType.FLOAT32).contiguous().toFloatArray();
        double[] y = labels.toDoubleArray();
        int correct = 0;
        for (int i = 0; i < b; i++) {
            int best = 0;
            float max = o[i * c];
            for (int j = 1; j < c; j++) if (o[i * c + j] > max) { max = o[i * c + j]; best = j; }
            if (best == y[i]) correct++;
        }
        return correct;
    }
}
