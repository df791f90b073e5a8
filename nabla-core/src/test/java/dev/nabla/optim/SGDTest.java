package dev.nabla.optim;

import dev.nabla.array.DType;
import dev.nabla.autograd.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.nabla.optim.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class SGDTest {

    /** PyTorch's SGD for one scalar, written out plainly: the test's independent reference. */
    static double[] reference(double theta, double[] grads, double lr, double mu, double tau, double wd, boolean nesterov) {
        double[] out = new double[grads.length];
        double buf = 0;
        for (int t = 0; t < grads.length; t++) {
            double d = grads[t];
            if (wd != 0) d = d + wd * theta;
            if (mu != 0) {
                if (t == 0) buf = d;
                else buf = mu * buf + (1 - tau) * d;
                if (nesterov) d = d + mu * buf;
                else d = buf;
            }
            theta = theta - lr * d;
            out[t] = theta;
        }
        return out;
    }

    private static double[] run(SGD.Options o, double theta0, double... grads) {
        Tensor p = param(theta0);
        SGD opt = new SGD(List.of(p), o);
        double[] out = new double[grads.length];
        for (int t = 0; t < grads.length; t++) {
            grad(p, grads[t]);
            opt.step();
            out[t] = p.item();
        }
        return out;
    }

    @Test
    void plainStepIsThetaMinusLrTimesGrad() {
        Tensor p = param(1, -2);
        grad(p, 0.5, 0.25);
        new SGD(List.of(p), 0.1).step();
        assertArrayEquals(new double[] {0.95, -2.025}, values(p), 1e-15);
    }

    @Test
    void momentumByHand() {
        // g = 1 each step, η = 0.1, μ = 0.9: b = 1, 1.9, 2.71; θ = 0.9, 0.71, 0.439
        double[] got = run(SGD.Options.defaults(0.1).withMomentum(0.9), 1, 1, 1, 1);
        assertArrayEquals(new double[] {0.9, 0.71, 0.439}, got, 1e-12);
    }

    @Test
    void dampeningIsNotAppliedOnTheFirstStep() {
        // τ = 0.5: b = 1 (copied), 0.9 + 0.5 = 1.4, 1.26 + 0.5 = 1.76; θ = 0.9, 0.76, 0.584
        double[] got = run(SGD.Options.defaults(0.1).withMomentum(0.9).withDampening(0.5), 1, 1, 1, 1);
        assertArrayEquals(new double[] {0.9, 0.76, 0.584}, got, 1e-12);
    }

    @Test
    void nesterovByHand() {
        // b = 1, g' = 1 + 0.9·1 = 1.9, θ = 0.81; b = 1.9, g' = 1 + 1.71 = 2.71, θ = 0.539
        double[] got = run(SGD.Options.defaults(0.1).withMomentum(0.9).withNesterov(true), 1, 1, 1);
        assertArrayEquals(new double[] {0.81, 0.539}, got, 1e-12);
    }

    @Test
    void weightDecayAddsLambdaThetaToTheGradient() {
        // g' = 1 + 0.1·1 = 1.1, θ = 0.89; g' = 1 + 0.089, θ = 0.7811
        double[] got = run(SGD.Options.defaults(0.1).withWeightDecay(0.1), 1, 1, 1);
        assertArrayEquals(new double[] {0.89, 0.7811}, got, 1e-12);
    }

    @Test
    void everyOptionCombinationMatchesTheReference() {
        double[] grads = {0.3, -1.2, 0.7, 2.0, -0.4, 0.05};
        for (double mu : new double[] {0, 0.5, 0.9})
            for (double tau : new double[] {0, 0.3})
                for (double wd : new double[] {0, 0.01})
                    for (boolean nesterov : new boolean[] {false, true}) {
                        if (nesterov && (mu == 0 || tau != 0)) continue;
                        SGD.Options o = new SGD.Options(0.05, mu, tau, wd, nesterov);
                        assertArrayEquals(reference(0.8, grads, 0.05, mu, tau, wd, nesterov), run(o, 0.8, grads), 1e-14, o.toString());
                    }
    }

    @Test
    void float32ParametersAreUpdatedInPlace() {
        Tensor p = Tensor.of(DType.FLOAT32, new double[] {1, 2, 3}).requiresGrad(true);
        float[] storage = p.data().floatData();
        grad(p, 1, 1, 1);
        SGD opt = new SGD(List.of(p), SGD.Options.defaults(0.5).withMomentum(0.5));
        opt.step();
        opt.step();
        assertSame(storage, p.data().floatData());
        // b = 1, then 1.5: θ = x − 0.5 − 0.75
        assertArrayEquals(new float[] {-0.25f, 0.75f, 1.75f}, storage, 0f);
    }

    @Test
    void validatesHyperparameters() {
        var e = assertThrows(IllegalArgumentException.class, () -> SGD.Options.defaults(-0.1));
        assertEquals("SGD: learning rate must be >= 0, got -0.1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SGD.Options.defaults(0.1).withMomentum(-1));
        assertEquals("SGD: momentum must be >= 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SGD.Options.defaults(0.1).withWeightDecay(Double.NaN));
        assertEquals("SGD: weight decay must be >= 0, got NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SGD.Options.defaults(0.1).withNesterov(true));
        assertEquals("SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum 0.0 and dampening 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD.Options(0.1, 0.9, 0.1, 0, true));
        assertTrue(e.getMessage().contains("dampening 0.1"), e.getMessage());
    }
}
