package dev.nabla.optim;

import dev.nabla.array.DType;
import dev.nabla.autograd.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.nabla.optim.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class AdamTest {

    /** Kingma and Ba's Algorithm 1 for one scalar (plus L2 or decoupled decay, and AMSGrad), written plainly. */
    static double[] reference(double theta, double[] grads, double lr, double b1, double b2, double eps, double wd,
                              boolean decoupled, boolean amsgrad) {
        double m = 0, v = 0, vMax = 0;
        double[] out = new double[grads.length];
        for (int t = 1; t <= grads.length; t++) {
            double g = grads[t - 1];
            if (decoupled) theta = theta - lr * wd * theta;
            else g = g + wd * theta;
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            vMax = Math.max(vMax, v);
            double mHat = m / (1 - Math.pow(b1, t));
            double vHat = (amsgrad ? vMax : v) / (1 - Math.pow(b2, t));
            theta = theta - lr * mHat / (Math.sqrt(vHat) + eps);
            out[t - 1] = theta;
        }
        return out;
    }

    private static double[] run(Optimizer opt, Tensor p, double... grads) {
        double[] out = new double[grads.length];
        for (int t = 0; t < grads.length; t++) {
            grad(p, grads[t]);
            opt.step();
            out[t] = p.item();
        }
        return out;
    }

    @Test
    void firstStepMovesEachWeightByLrTimesSignOfGradient() {
        Tensor p = param(1, 1, 1, 1);
        grad(p, 3, -0.001, 1e-3, -250);
        new Adam(List.of(p), 0.01).step();
        // m̂ = g and v̂ = g², so Δ = −η g/(|g| + ε) ≈ −η sign(g), whatever the magnitude of g
        double[] expected = {1 - 0.01 * 3 / (3 + 1e-8), 1 + 0.01 * 0.001 / (0.001 + 1e-8), 1 - 0.01 * 1e-3 / (1e-3 + 1e-8), 1 + 0.01};
        assertArrayEquals(expected, values(p), 1e-12);
        assertArrayEquals(new double[] {0.99, 1.01, 0.99, 1.01}, values(p), 1e-6);
    }

    @Test
    void severalStepsMatchThePaper() {
        double[] grads = {0.5, -0.2, 0.1, 0.8, 0.8, -1.5, 0.01};
        for (boolean amsgrad : new boolean[] {false, true}) {
            Tensor p = param(0.3);
            Adam opt = new Adam(List.of(p), new Adam.Options(0.05, 0.8, 0.95, 1e-6, 0, amsgrad));
            assertArrayEquals(reference(0.3, grads, 0.05, 0.8, 0.95, 1e-6, 0, false, amsgrad), run(opt, p, grads), 1e-13);
        }
    }

    @Test
    void adamWeightDecayEntersTheGradientAdamWDecaysTheWeight() {
        // θ = 1, g = 0, η = 0.1, λ = 0.1. Adam: g' = λθ = 0.1, and step 1 moves by η·sign(g') ≈ 0.1.
        // AdamW: θ ← θ(1 − ηλ) = 0.99, and the moments stay 0, so nothing else moves.
        Tensor a = param(1), w = param(1);
        Adam adam = new Adam(List.of(a), Adam.Options.defaults(0.1).withWeightDecay(0.1));
        AdamW adamW = new AdamW(List.of(w), AdamW.Options.defaults(0.1).withWeightDecay(0.1));
        grad(a, 0);
        grad(w, 0);
        adam.step();
        adamW.step();
        assertEquals(1 - 0.1 * 0.1 / (0.1 + 1e-8), a.item(), 1e-12);
        assertEquals(0.99, w.item(), 1e-15);
    }

    @Test
    void adamWMatchesLoshchilovAndHutter() {
        double[] grads = {0.5, -0.2, 0.1, 0.8, -1.5};
        Tensor p = param(2.0);
        AdamW opt = new AdamW(List.of(p), AdamW.Options.defaults(0.01).withWeightDecay(0.5));
        assertArrayEquals(reference(2.0, grads, 0.01, 0.9, 0.999, 1e-8, 0.5, true, false), run(opt, p, grads), 1e-13);
        Tensor q = param(2.0);
        Adam l2 = new Adam(List.of(q), Adam.Options.defaults(0.01).withWeightDecay(0.5));
        assertArrayEquals(reference(2.0, grads, 0.01, 0.9, 0.999, 1e-8, 0.5, false, false), run(l2, q, grads), 1e-13);
        assertNotEquals(p.item(), q.item(), 1e-6);
    }

    @Test
    void float32FollowsTheFloat64Reference() {
        double[] grads = {0.5, -0.2, 0.1, 0.8};
        Tensor p = Tensor.of(DType.FLOAT32, new double[] {0.3}).requiresGrad(true);
        Adam opt = new Adam(List.of(p), 0.01);
        double[] got = run(opt, p, grads);
        assertArrayEquals(reference(0.3, grads, 0.01, 0.9, 0.999, 1e-8, 0, false, false), got, 1e-7);
    }

    @Test
    void validatesHyperparameters() {
        var e = assertThrows(IllegalArgumentException.class, () -> Adam.Options.defaults(0.1).withBetas(0.9, 1.0));
        assertEquals("Adam: beta2 must be in [0, 1), got 1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AdamW.Options.defaults(-1));
        assertEquals("AdamW: learning rate must be >= 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Adam.Options.defaults(0.1).withEps(-1e-8));
        assertEquals("Adam: eps must be >= 0, got -1.0E-8", e.getMessage());
    }
}
