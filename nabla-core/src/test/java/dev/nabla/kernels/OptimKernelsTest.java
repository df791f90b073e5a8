package dev.nabla.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optimizer kernels against their scalar twins, bit for bit, and against the rule written out. */
class OptimKernelsTest {

    private static float[] random(SplittableRandom rng, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rng.nextGaussian() * scale);
        return x;
    }

    @ParameterizedTest(name = "n={0} lr={1} wd={2}")
    @CsvSource({"0,0.1,0", "1,0.1,0", "3,0.05,0", "7,0.3,0.01", "8,0.01,0", "33,1e-3,5e-4", "1000,0.1,0",
                "4097,0.0123,0.1", "65,0,0", "17,2.5,3"})
    void sgdStepMatchesItsTwinBitForBit(int n, double lr, double wd) {
        SplittableRandom rng = new SplittableRandom(n * 131L + 7);
        float[] theta = random(rng, n + 2, 1), grad = random(rng, n + 2, 3);
        float[] expect = theta.clone();
        float[] gradBefore = grad.clone();
        Optim.sgdStep(theta, grad, n, lr, wd);
        Optim.sgdStepScalar(expect, grad, n, lr, wd);
        assertArrayEquals(expect, theta);
        assertArrayEquals(gradBefore, grad, "the gradient is read only");
    }

    @Test
    void sgdStepIsTheDoubleRuleRoundedOnceAndStopsAtN() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 301;
        float[] theta = random(rng, n + 5, 10), grad = random(rng, n + 5, 10), before = theta.clone();
        double lr = 0.0371, wd = 0.002;
        Optim.sgdStep(theta, grad, n, lr, wd);
        for (int i = 0; i < n; i++) {
            float want = (float) ((double) before[i] - lr * ((double) grad[i] + wd * (double) before[i]));
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(theta[i]), "element " + i);
        }
        for (int i = n; i < n + 5; i++) assertEquals(before[i], theta[i], "element " + i + " past n is untouched");
    }

    @Test
    void sgdStepKeepsTheScalarRuleOnSpecialValues() {
        float[] specials = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE,
                            -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 0f, -0f, 1e-30f, 3.4e38f, 1f};
        int n = specials.length * specials.length;
        float[] theta = new float[n], grad = new float[n];
        for (int i = 0; i < specials.length; i++)
            for (int j = 0; j < specials.length; j++) {
                theta[i * specials.length + j] = specials[i];
                grad[i * specials.length + j] = specials[j];
            }
        for (double wd : new double[] {0, 0.5}) {
            float[] got = theta.clone(), expect = theta.clone();
            Optim.sgdStep(got, grad, n, 1.5, wd);
            Optim.sgdStepScalar(expect, grad, n, 1.5, wd);
            for (int i = 0; i < n; i++)
                // NaN compared as NaN: Java leaves a NaN's sign and payload unspecified, and x86's scalar
                // and vector units make different ones; every other value is compared bit for bit.
                assertEquals(Float.floatToIntBits(expect[i]), Float.floatToIntBits(got[i]), "element " + i + " wd " + wd);
        }
        // λ = 0 still multiplies in: an infinite θ gives NaN (∞ · 0), as the double rule does.
        float[] inf = {Float.POSITIVE_INFINITY};
        Optim.sgdStep(inf, new float[] {1f}, 1, 0.1, 0);
        assertTrue(Float.isNaN(inf[0]));
    }
}
