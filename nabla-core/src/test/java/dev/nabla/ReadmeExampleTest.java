package dev.nabla;

import dev.nabla.autograd.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's Java example, run as written, with its results checked by hand-derived formulas. */
class ReadmeExampleTest {
    @Test
    void readmeExample() {
        Tensor w = Tensor.of(new double[][] {{0.5, -1.0}, {2.0, 0.25}}).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {0.1, -0.2}).requiresGrad(true);
        Tensor x = Tensor.of(new double[][] {{1.0, 2.0}, {3.0, -1.0}, {0.0, 1.5}});

        Tensor z = x.matmul(w.t()).add(b);
        Tensor loss = z.tanh().square().mean();
        loss.backward();

        // by hand: loss = (1/6) Σ tanh(z)², ∂loss/∂z = (1/3) tanh(z)(1 − tanh²(z)), ∂w = δᵀ x, ∂b = Σ_n δ
        double[][] xs = {{1.0, 2.0}, {3.0, -1.0}, {0.0, 1.5}};
        double[][] ws = {{0.5, -1.0}, {2.0, 0.25}};
        double[] bs = {0.1, -0.2};
        double[] gw = new double[4], gb = new double[2];
        double l = 0;
        for (double[] row : xs)
            for (int o = 0; o < 2; o++) {
                double zz = row[0] * ws[o][0] + row[1] * ws[o][1] + bs[o], t = Math.tanh(zz);
                l += t * t / 6;
                double delta = t * (1 - t * t) / 3;
                gw[o * 2] += delta * row[0];
                gw[o * 2 + 1] += delta * row[1];
                gb[o] += delta;
            }
        assertEquals(l, loss.item(), 1e-12);
        assertArrayEquals(gw, w.grad().data().toDoubleArray(), 1e-12);
        assertArrayEquals(gb, b.grad().data().toDoubleArray(), 1e-12);

        Tensor p = Tensor.of(new double[] {1.0, 2.0}).requiresGrad(true);
        Tensor f = p.pow(3).sum();
        Tensor g = f.gradient(List.of(p), null, true, true).get(0);
        Tensor hv = g.mul(Tensor.of(new double[] {1, 0})).sum().gradient(List.of(p), null, false, false).get(0);
        assertArrayEquals(new double[] {3, 12}, g.data().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {6, 0}, hv.data().toDoubleArray(), 1e-12);
    }
}
