package dev.nabla.autograd;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Checks analytic gradients against central finite differences in float64.
 *
 * <p>{@link #gradcheck} compares whole Jacobians: for a function f of tensors to a tensor, the
 * analytic Jacobian ∂f_j/∂x_i is built row by row from one backward pass per output element
 * (with a one-hot output gradient), and the numeric one column by column from
 * (f(x + h e_i) − f(x − h e_i)) / 2h. Every pair (output element, input element) is compared, so an
 * error in any entry of any VJP is seen; checking a single projection ⟨f, v⟩ would miss errors that
 * happen to be orthogonal to v. The cost is one backward per output element plus two forwards per
 * input element: meant for small shapes.
 *
 * <p>{@link #gradgradcheck} checks second derivatives: it runs {@link #gradcheck} on the function
 * x ↦ ∂⟨f(x), v⟩/∂x (all inputs' gradients, flattened and joined), computed with createGraph, for a
 * fixed random v with entries of both signs.
 *
 * <pre>{@code
 * GradCheck.Result r = GradCheck.gradcheck(xs -> xs.get(0).tanh().matmul(xs.get(1)), List.of(a, b));
 * if (!r.passed()) System.out.println(r);   // the worst entry, where it is, analytic and numeric values
 * }</pre>
 */
public final class GradCheck {
    private GradCheck() {}

    /**
     * The outcome: the worst Jacobian entry over all inputs, ∂out[outputIndex]/∂input[index], with its
     * analytic and numeric values, their difference, and the difference allowed there
     * (atol + rtol·|numeric|). passed is true when no entry exceeds its allowance.
     */
    public record Result(boolean passed, int input, int[] index, int[] outputIndex, double analytic, double numeric,
                         double error, double allowed, String what) {
        @Override
        public String toString() {
            return (passed ? "passed" : "FAILED") + " " + what + ": worst entry is ∂out" + Arrays.toString(outputIndex)
                + "/∂input " + input + Arrays.toString(index) + ": analytic " + analytic + ", numeric " + numeric
                + " (error " + fmt(error) + ", allowed " + fmt(allowed) + ")";
        }

        private static String fmt(double x) { return String.format(java.util.Locale.ROOT, "%.3g", x); }
    }

    /** Default finite-difference step and tolerances (float64; the check is strict on purpose). */
    public static final double EPS = 1e-6, ATOL = 1e-7, RTOL = 1e-6;

    /** First-order check with the default step and tolerances. Inputs must be float64. */
    public static Result gradcheck(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        return gradcheck(f, inputs, EPS, ATOL, RTOL);
    }

    /**
     * Compares the analytic and numeric Jacobians of f with respect to every input that requires a
     * gradient. Passes when |analytic − numeric| ≤ atol + rtol·|numeric| for every entry; a NaN on
     * either side fails. The inputs' data are perturbed in place during the check and restored.
     */
    public static Result gradcheck(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, double eps, double atol, double rtol) {
        return check(f, inputs, eps, atol, rtol, "gradcheck");
    }

    /** Second-order check with the default step and somewhat looser tolerances (nested rounding). */
    public static Result gradgradcheck(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        return gradgradcheck(f, inputs, EPS, 1e-6, 1e-5);
    }

    /**
     * Checks the derivatives of the gradient: the Jacobian of x ↦ ∂⟨f(x), v⟩/∂x (a Hessian-vector
     * product structure) against finite differences of that gradient.
     */
    public static Result gradgradcheck(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, double eps, double atol, double rtol) {
        checkInputs("gradgradcheck", inputs);
        NdArray v = projection(f.apply(inputs).shape(), 12345L);
        Function<List<Tensor>, Tensor> gradient = xs -> {
            Tensor s = f.apply(xs).mul(Tensor.of(v)).sum();
            List<Tensor> need = xs.stream().filter(Tensor::requiresGrad).toList();
            List<Tensor> g = s.requiresGrad() ? s.gradient(need, null, true, true)
                : need.stream().map(t -> Tensor.zeros(t.dtype(), t.shape())).toList();
            return Tensor.concat(g.stream().map(Tensor::flatten).toList(), 0);
        };
        return check(gradient, inputs, eps, atol, rtol, "gradgradcheck");
    }

    private static void checkInputs(String what, List<Tensor> inputs) {
        for (Tensor t : inputs)
            if (t.dtype() != DType.FLOAT64)
                throw new IllegalArgumentException(what + ": inputs must be float64 for finite differences to be meaningful, got " + t.dtype());
        if (inputs.stream().noneMatch(Tensor::requiresGrad))
            throw new IllegalArgumentException(what + ": no input requires grad, so there is nothing to check");
    }

    private static Result check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, double eps, double atol, double rtol, String what) {
        checkInputs(what, inputs);
        List<Tensor> needing = inputs.stream().filter(Tensor::requiresGrad).toList();
        Tensor out = f.apply(inputs);
        int[] outShape = out.shape();
        int m = out.numel();
        // analytic[k][j] = ∂out_j/∂(input k), flattened: row j of input k's Jacobian
        double[][][] analytic = new double[needing.size()][m][];
        for (int j = 0; j < m; j++) {
            List<Tensor> rows = out.requiresGrad() ? out.gradient(needing, Tensor.of(oneHot(outShape, j)), true, false) : null;
            for (int k = 0; k < needing.size(); k++)
                analytic[k][j] = rows != null ? rows.get(k).data().toDoubleArray() : new double[needing.get(k).numel()];
        }
        Result worst = null;
        double worstRatio = -1;
        for (int k = 0; k < needing.size(); k++) {
            Tensor x = needing.get(k);
            NdArray xd = x.data();
            int[] shape = x.shape();
            int[] idx = new int[shape.length];
            for (int i = 0, n = x.numel(); i < n; i++) {
                unravel(i, shape, idx);
                double orig = xd.get(idx);
                double[] fp, fm;
                try {
                    xd.set(orig + eps, idx);
                    fp = f.apply(inputs).data().toDoubleArray();
                    xd.set(orig - eps, idx);
                    fm = f.apply(inputs).data().toDoubleArray();
                } finally {
                    xd.set(orig, idx);
                }
                for (int j = 0; j < m; j++) {
                    double num = (fp[j] - fm[j]) / (2 * eps), ana = analytic[k][j][i];
                    double err = Math.abs(ana - num), allowed = atol + rtol * Math.abs(num);
                    double ratio = err / allowed;
                    if (Double.isNaN(ratio)) ratio = Double.POSITIVE_INFINITY;   // a NaN on either side fails
                    if (ratio > worstRatio) {
                        worstRatio = ratio;
                        int[] oi = new int[outShape.length];
                        unravel(j, outShape, oi);
                        worst = new Result(ratio <= 1, inputs.indexOf(x), idx.clone(), oi, ana, num, err, allowed, what);
                    }
                }
            }
        }
        if (worst == null)   // no entry at all: an empty input or output
            worst = new Result(true, inputs.indexOf(needing.get(0)), new int[0], new int[0], 0, 0, 0, atol, what + " (empty Jacobian)");
        return worst;
    }

    private static NdArray oneHot(int[] shape, int flat) {
        NdArray e = NdArray.zeros(DType.FLOAT64, shape);
        int[] idx = new int[shape.length];
        unravel(flat, shape, idx);
        e.set(1.0, idx);
        return e;
    }

    private static void unravel(int flat, int[] shape, int[] idx) {
        for (int i = shape.length - 1; i >= 0; i--) { idx[i] = flat % shape[i]; flat /= shape[i]; }
    }

    /** Fixed random entries of both signs with magnitudes in [0.5, 1.5]: no entry is 0, none is shared. */
    private static NdArray projection(int[] shape, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        double[] v = new double[dev.nabla.array.Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (0.5 + rng.nextDouble()) * (rng.nextBoolean() ? 1 : -1);
        return NdArray.of(v, shape);
    }
}
