package dev.nabla.autograd;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Checks analytic gradients against central finite differences in float64:
 * ∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / 2h, for a function of tensors to a tensor. A non-scalar
 * output is reduced by a fixed random projection ⟨f(x), v⟩, so every output element takes part.
 *
 * <pre>{@code
 * GradCheck.Result r = GradCheck.gradcheck(xs -> xs.get(0).tanh().matmul(xs.get(1)), List.of(a, b));
 * if (!r.passed()) System.out.println(r);   // the worst element, its index, analytic and numeric values
 * }</pre>
 */
public final class GradCheck {
    private GradCheck() {}

    /** The outcome: the worst element over all inputs, with where it is and both values. */
    public record Result(boolean passed, int input, int[] index, double analytic, double numeric, double error, String what) {
        @Override
        public String toString() {
            return (passed ? "passed" : "FAILED") + " " + what + ": worst element is input " + input + " at " + Arrays.toString(index)
                + ": analytic " + analytic + ", numeric " + numeric + " (error " + String.format(java.util.Locale.ROOT, "%.3g", error) + ")";
        }
    }

    public static final double EPS = 1e-6, ATOL = 1e-7, RTOL = 1e-6;

    /** First-order check with the default step and tolerances. Inputs must be float64. */
    public static Result gradcheck(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        return gradcheck(f, inputs, EPS, ATOL, RTOL);
    }

    /**
     * Compares, for every element of every input that requires a gradient, the analytic gradient of
     * ⟨f(x), v⟩ with its central difference. Passes when |analytic − numeric| ≤ atol + rtol·|numeric|
     * everywhere.
     */
    public static Result gradcheck(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, double eps, double atol, double rtol) {
        for (Tensor t : inputs)
            if (t.dtype() != DType.FLOAT64)
                throw new IllegalArgumentException("gradcheck: inputs must be float64 for finite differences to be meaningful, got " + t.dtype());
        Tensor probe = f.apply(inputs);
        NdArray v = projection(probe.shape(), probe.dtype());
        Function<List<Tensor>, Tensor> scalar = xs -> f.apply(xs).mul(Tensor.of(v)).sum();
        Tensor s = scalar.apply(inputs);
        List<Tensor> needing = inputs.stream().filter(Tensor::requiresGrad).toList();
        List<Tensor> analytic = s.requiresGrad() ? s.gradient(needing, null, false, false)
            : needing.stream().map(t -> Tensor.zeros(t.dtype(), t.shape())).toList();
        return compare(scalar, inputs, needing, analytic, eps, atol, rtol, "gradcheck");
    }

    /**
     * Second-order check: differentiates the gradient ⟨∂⟨f, v⟩/∂x, u⟩ again and compares with finite
     * differences of the (analytic, first-order) gradient.
     */
    public static Result gradgradcheck(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        return gradgradcheck(f, inputs, EPS, 1e-6, 1e-5);
    }

    public static Result gradgradcheck(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, double eps, double atol, double rtol) {
        Tensor probe = f.apply(inputs);
        NdArray v = projection(probe.shape(), probe.dtype());
        List<Tensor> needing = inputs.stream().filter(Tensor::requiresGrad).toList();
        List<NdArray> us = new ArrayList<>();
        for (int i = 0; i < needing.size(); i++) us.add(projection(needing.get(i).shape(), DType.FLOAT64, 7919L * (i + 1)));
        Function<List<Tensor>, Tensor> firstOrder = xs -> {
            Tensor s = f.apply(xs).mul(Tensor.of(v)).sum();
            List<Tensor> need = xs.stream().filter(Tensor::requiresGrad).toList();
            if (!s.requiresGrad()) return Tensor.scalar(0.0);
            List<Tensor> g = s.gradient(need, null, true, true);
            Tensor acc = null;
            for (int i = 0; i < g.size(); i++) {
                Tensor term = g.get(i).mul(Tensor.of(us.get(i))).sum();
                acc = acc == null ? term : acc.add(term);
            }
            return acc;
        };
        Tensor s = firstOrder.apply(inputs);
        List<Tensor> analytic = s.requiresGrad() ? s.gradient(needing, null, false, false)
            : needing.stream().map(t -> Tensor.zeros(t.dtype(), t.shape())).toList();
        return compare(firstOrder, inputs, needing, analytic, eps, atol, rtol, "gradgradcheck");
    }

    private static Result compare(Function<List<Tensor>, Tensor> scalar, List<Tensor> inputs, List<Tensor> needing,
                                  List<Tensor> analytic, double eps, double atol, double rtol, String what) {
        Result worst = new Result(true, -1, new int[0], 0, 0, 0, what);
        double worstRatio = -1;
        for (int k = 0; k < needing.size(); k++) {
            Tensor x = needing.get(k);
            NdArray xd = x.data();
            double[] ga = analytic.get(k).data().toDoubleArray();
            int[] shape = x.shape();
            int[] idx = new int[shape.length];
            for (int flat = 0; flat < ga.length; flat++) {
                int rem = flat;
                for (int i = shape.length - 1; i >= 0; i--) { idx[i] = rem % shape[i]; rem /= shape[i]; }
                double orig = xd.get(idx);
                double fp, fm;
                try (GradMode.Scope ignored = GradMode.set(what.equals("gradgradcheck"))) {
                    xd.set(orig + eps, idx);
                    fp = scalar.apply(inputs).item();
                    xd.set(orig - eps, idx);
                    fm = scalar.apply(inputs).item();
                } finally {
                    xd.set(orig, idx);
                }
                double num = (fp - fm) / (2 * eps);
                double err = Math.abs(ga[flat] - num);
                double ratio = err / (atol + rtol * Math.abs(num));
                if (ratio > worstRatio) {
                    worstRatio = ratio;
                    worst = new Result(ratio <= 1, inputs.indexOf(x), idx.clone(), ga[flat], num, err, what);
                }
            }
        }
        return worst;
    }

    private static NdArray projection(int[] shape, DType dtype) { return projection(shape, dtype, 12345L); }

    private static NdArray projection(int[] shape, DType dtype, long seed) {
        return NdArray.uniform(new java.util.SplittableRandom(seed), dtype, 0.5, 1.5, shape);
    }
}
