package dev.nabla.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Optimizer update kernels over float32 parameters, computed in double lanes so that each result
 * is bit for bit the scalar double rule rounded once on store.
 *
 * <ul>
 *   <li>{@link #sgdStep}: θ ← θ − η(g + λθ), plain SGD with L2 weight decay λ (no momentum).</li>
 * </ul>
 * Each has a scalar twin ({@code *Scalar}) that the tests hold it to. No fused multiply-add is used:
 * every product and sum is rounded to double as Java's scalar arithmetic rounds it.
 */
public final class Optim {
    private Optim() {}

    private static final VectorSpecies<Double> DS = Elementwise.DS;
    /** Floats with as many lanes as {@link #DS}: loaded, widened to double, narrowed back on store. */
    private static final VectorSpecies<Float> HALF =
        VectorSpecies.of(float.class, VectorShape.forBitSize(DS.vectorBitSize() / 2));

    /**
     * θ[i] ← (float) (θ[i] − η · (g[i] + λ · θ[i])) for i in [0, n), the products and sums in double.
     * θ and g are float32 arrays of at least n elements; modifies θ only.
     *
     * @param lr          the learning rate η
     * @param weightDecay the L2 factor λ (0: none; still multiplied in, so a non-finite θ stays NaN
     *                    exactly as the scalar rule makes it)
     */
    public static void sgdStep(float[] theta, float[] grad, int n, double lr, double weightDecay) {
        sgdStep(theta, grad, 0, n, lr, weightDecay);
    }

    /** {@link #sgdStep(float[], float[], int, double, double)} on the elements [from, to) only. */
    public static void sgdStep(float[] theta, float[] grad, int from, int to, double lr, double weightDecay) {
        int v = DS.length(), bound = from + DS.loopBound(to - from), i = from;
        for (; i < bound; i += v) {
            DoubleVector t = (DoubleVector) FloatVector.fromArray(HALF, theta, i).convertShape(VectorOperators.F2D, DS, 0);
            DoubleVector g = (DoubleVector) FloatVector.fromArray(HALF, grad, i).convertShape(VectorOperators.F2D, DS, 0);
            DoubleVector step = g.add(t.mul(weightDecay)).mul(lr);
            ((FloatVector) t.sub(step).convertShape(VectorOperators.D2F, HALF, 0)).intoArray(theta, i);
        }
        for (; i < to; i++) theta[i] = (float) (theta[i] - lr * (grad[i] + weightDecay * theta[i]));
    }

    /** The scalar twin of {@link #sgdStep}: the same rule one element at a time. */
    public static void sgdStepScalar(float[] theta, float[] grad, int n, double lr, double weightDecay) {
        for (int i = 0; i < n; i++) {
            double t = theta[i];
            double g = grad[i] + weightDecay * t;
            theta[i] = (float) (t - lr * g);
        }
    }
}
