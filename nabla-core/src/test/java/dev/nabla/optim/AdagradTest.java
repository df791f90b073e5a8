package dev.nabla.optim;

import dev.nabla.autograd.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.nabla.optim.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class AdagradTest {

    /** Adagrad for one scalar, written plainly. */
    static double[] reference(double theta, double[] grads, double lr, double lrDecay, double wd, double init, double eps) {
        double sum = init;
        double[] out = new double[grads.length];
        for (int t = 1; t <= grads.length; t++) {
            double g = grads[t - 1] + wd * theta;
            double clr = lr / (1 + (t - 1) * lrDecay);
            sum = sum + g * g;
            theta = theta - clr * g / (Math.sqrt(sum) + eps);
            out[t - 1] = theta;
        }
        return out;
    }

    private static double[] run(Adagrad.Options o, double theta0, double... grads) {
        Tensor p = param(theta0);
        Adagrad opt = new Adagrad(List.of(p), o);
        double[] out = new double[grads.length];
        for (int t = 0; t < grads.length; t++) {
            grad(p, grads[t]);
            opt.step();
            out[t] = p.item();
        }
        return out;
    }

    @Test
    void firstStepOfPlainAdagradIsLrTimesSign() {
        // s = g², so θ moves by η g/|g|
        Tensor p = param(1, 1);
        grad(p, 4, -0.5);
        new Adagrad(List.of(p), 0.1).step();
        assertArrayEquals(new double[] {0.9, 1.1}, values(p), 1e-9);
    }

    @Test
    void decayAndInitialAccumulatorByHand() {
        // η = 0.1, δ = 0.5, s₀ = 0.1, ε = 0, g = 1: s = 1.1, θ = 1 − 0.1/√1.1; s = 2.1, ηₜ = 0.1/1.5
        Adagrad.Options o = new Adagrad.Options(0.1, 0.5, 0, 0.1, 0);
        double first = 1 - 0.1 / Math.sqrt(1.1);
        assertArrayEquals(new double[] {first, first - 0.1 / 1.5 / Math.sqrt(2.1)}, run(o, 1, 1, 1), 1e-14);
    }

    @Test
    void withWeightDecayMatchesTheReference() {
        double[] grads = {0.3, -1.2, 0.7, 2.0, -0.4};
        Adagrad.Options o = new Adagrad.Options(0.2, 0.01, 0.05, 0.3, 1e-10);
        assertArrayEquals(reference(0.5, grads, 0.2, 0.01, 0.05, 0.3, 1e-10), run(o, 0.5, grads), 1e-14);
    }

    @Test
    void initialAccumulatorAppearsInTheStateDict() {
        Tensor p = param(1, 2);
        Adagrad opt = new Adagrad(List.of(p), Adagrad.Options.defaults(0.1).withInitialAccumulatorValue(0.25));
        grad(p, 1, 2);
        opt.step();
        assertArrayEquals(new double[] {1.25, 4.25}, opt.stateDict().get("state.0.sum").toDoubleArray(), 0);
    }

    @Test
    void validatesHyperparameters() {
        var e = assertThrows(IllegalArgumentException.class, () -> Adagrad.Options.defaults(0.1).withLrDecay(-1));
        assertEquals("Adagrad: lr decay must be >= 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Adagrad.Options.defaults(0.1).withInitialAccumulatorValue(-0.1));
        assertEquals("Adagrad: initial accumulator value must be >= 0, got -0.1", e.getMessage());
    }
}
