package dev.nabla.optim;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/** Parameters and gradients for the optimizer tests. */
final class Fixtures {
    private Fixtures() {}

    /** A float64 leaf parameter with the given values. */
    static Tensor param(double... values) {
        return Tensor.of(NdArray.of(values.clone(), values.length)).requiresGrad(true);
    }

    /** Sets a fixed gradient (it stays until changed, since nothing zeroes it). */
    static void grad(Tensor p, double... values) {
        p.setGrad(Tensor.of(NdArray.of(values.clone(), values.length).to(p.dtype())));
    }

    static double[] values(Tensor p) { return p.data().toDoubleArray(); }

    /** Plain SGD over one one-element parameter: an optimizer for schedule tests. */
    static SGD sgd(double lr) { return new SGD(List.of(param(1)), lr); }

    /** The optimizer's lr at steps 0..n-1 (read before each schedule step), checking that the schedule reports the same. */
    static double[] lrs(Optimizer opt, LRScheduler s, int n) {
        double[] out = new double[n];
        for (int t = 0; t < n; t++) {
            out[t] = opt.lr();
            org.junit.jupiter.api.Assertions.assertEquals(out[t], s.lr(), 0, "schedule and optimizer agree at step " + t);
            s.step();
        }
        return out;
    }

    /** Two seeded parameters ([3, 4] and [4]) of the given dtype. */
    static List<Tensor> model(DType dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return List.of(Tensor.randn(rng, dtype, 3, 4).requiresGrad(true), Tensor.randn(rng, dtype, 4).requiresGrad(true));
    }

    /**
     * One backward pass of a smooth, non-quadratic loss, L = Σ (W x_k + b − y_k)² / 2 + Σ tanh(W)·0.3,
     * with x_k and y_k fixed by the step number, so that every run sees the same gradients.
     */
    static void backward(List<Tensor> params, int step) {
        Tensor w = params.get(0), b = params.get(1);
        SplittableRandom rng = new SplittableRandom(1000 + step);
        Tensor x = Tensor.randn(rng, w.dtype(), 4), y = Tensor.randn(rng, w.dtype(), 3);
        Tensor r = w.matmul(x).add(b.narrow(0, 0, 3)).sub(y);
        Tensor loss = r.square().sum().mul(0.5).add(w.tanh().sum().mul(0.3)).add(b.square().sum().mul(0.1));
        loss.backward();
    }
}
