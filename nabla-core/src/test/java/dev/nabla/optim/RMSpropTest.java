package dev.nabla.optim;

import dev.nabla.autograd.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.nabla.optim.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class RMSpropTest {

    /** RMSprop for one scalar as PyTorch documents it, written plainly. */
    static double[] reference(double theta, double[] grads, double lr, double alpha, double eps, double wd, double mu, boolean centered) {
        double v = 0, gAvg = 0, buf = 0;
        double[] out = new double[grads.length];
        for (int t = 0; t < grads.length; t++) {
            double g = grads[t] + wd * theta;
            v = alpha * v + (1 - alpha) * g * g;
            double vTilde = v;
            if (centered) {
                gAvg = alpha * gAvg + (1 - alpha) * g;
                vTilde = v - gAvg * gAvg;
            }
            if (mu > 0) {
                buf = mu * buf + g / (Math.sqrt(vTilde) + eps);
                theta = theta - lr * buf;
            } else {
                theta = theta - lr * g / (Math.sqrt(vTilde) + eps);
            }
            out[t] = theta;
        }
        return out;
    }

    private static double[] run(RMSprop.Options o, double theta0, double... grads) {
        Tensor p = param(theta0);
        RMSprop opt = new RMSprop(List.of(p), o);
        double[] out = new double[grads.length];
        for (int t = 0; t < grads.length; t++) {
            grad(p, grads[t]);
            opt.step();
            out[t] = p.item();
        }
        return out;
    }

    @Test
    void plainByHand() {
        // η = 0.01, α = 0.99, g = 1: v = 0.01 then 0.0199; θ = 1 − 0.01/√0.01 = 0.9, then − 0.01/√0.0199
        double[] got = run(RMSprop.Options.defaults(0.01), 1, 1, 1);
        double first = 1 - 0.01 / (Math.sqrt(0.01) + 1e-8);
        assertArrayEquals(new double[] {first, first - 0.01 / (Math.sqrt(0.0199) + 1e-8)}, got, 1e-14);
        assertEquals(0.9, got[0], 1e-6);
    }

    @Test
    void centeredWithMomentumByHand() {
        // α = 0.9, μ = 0.5, η = 0.1, ε = 0; g = 2, then 1.
        // step 1: v = 0.4, ḡ = 0.2, d = √(0.4 − 0.04) = 0.6, b = 2/0.6, θ = 1 − 0.1·b
        // step 2: v = 0.46, ḡ = 0.28, d = √(0.46 − 0.0784), b = 0.5·(2/0.6) + 1/d
        RMSprop.Options o = new RMSprop.Options(0.1, 0.9, 0, 0, 0.5, true);
        double[] got = run(o, 1, 2, 1);
        double b1 = 2 / 0.6, b2 = 0.5 * b1 + 1 / Math.sqrt(0.46 - 0.0784);
        assertArrayEquals(new double[] {1 - 0.1 * b1, 1 - 0.1 * b1 - 0.1 * b2}, got, 1e-13);
    }

    @Test
    void everyOptionCombinationMatchesTheReference() {
        double[] grads = {0.3, -1.2, 0.7, 2.0, -0.4, 0.05};
        for (double mu : new double[] {0, 0.9})
            for (boolean centered : new boolean[] {false, true})
                for (double wd : new double[] {0, 0.1}) {
                    RMSprop.Options o = new RMSprop.Options(0.01, 0.95, 1e-6, wd, mu, centered);
                    assertArrayEquals(reference(0.5, grads, 0.01, 0.95, 1e-6, wd, mu, centered), run(o, 0.5, grads), 1e-13, o.toString());
                }
    }

    @Test
    void keepsOnlyTheBuffersItsOptionsNeed() {
        Tensor p = param(1);
        grad(p, 1);
        RMSprop plain = new RMSprop(List.of(p), 0.01);
        plain.step();
        assertEquals(List.of("state.0.step", "state.0.square_avg"), stateKeys(plain));
        RMSprop full = new RMSprop(List.of(p), RMSprop.Options.defaults(0.01).withMomentum(0.9).withCentered(true));
        full.step();
        assertEquals(List.of("state.0.step", "state.0.square_avg", "state.0.momentum_buffer", "state.0.grad_avg"), stateKeys(full));
    }

    static List<String> stateKeys(Optimizer o) {
        return o.stateDict().keySet().stream().filter(k -> k.startsWith("state.")).toList();
    }

    @Test
    void validatesHyperparameters() {
        var e = assertThrows(IllegalArgumentException.class, () -> RMSprop.Options.defaults(0.01).withAlpha(1.5));
        assertEquals("RMSprop: alpha must be in [0, 1], got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RMSprop.Options.defaults(0.01).withMomentum(-0.9));
        assertEquals("RMSprop: momentum must be >= 0, got -0.9", e.getMessage());
    }
}
