package dev.nabla.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deterministic float32 vector exp, tanh and sigmoid against the float64 functions, over a dense sweep. */
class VectorMathTest {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;

    /** Largest error in ulps of the float64 reference rounded to float, over x = lo, lo + step, ..., hi. */
    private static double maxUlps(UnaryOperator<FloatVector> f, DoubleUnaryOperator ref, float lo, float hi, int n) {
        float[] x = new float[FS.length()], y = new float[FS.length()];
        double worst = 0;
        for (int i = 0; i < n; i += FS.length()) {
            for (int l = 0; l < x.length; l++) x[l] = lo + (hi - lo) * (float) (i + l) / n;
            f.apply(FloatVector.fromArray(FS, x, 0)).intoArray(y, 0);
            for (int l = 0; l < x.length; l++) {
                float expected = (float) ref.applyAsDouble(x[l]);
                if (expected == 0f) { assertEquals(0f, y[l], Float.MIN_NORMAL, "at " + x[l]); continue; }
                worst = Math.max(worst, Math.abs(y[l] - expected) / Math.ulp(expected));
            }
        }
        return worst;
    }

    private static void assertUlps(double allowed, double measured) {
        assertTrue(measured <= allowed, "error " + measured + " ulp, allowed " + allowed);
    }

    @Test
    void expIsWithinTwoUlpOverTheNormalRange() {
        assertUlps(2, maxUlps(VectorMath::exp, Math::exp, -87f, 88.7f, 400_000));
        assertUlps(2, maxUlps(VectorMath::exp, Math::exp, -1f, 1f, 100_000));
    }

    @Test
    void tanhAndSigmoidAreWithinFourUlp() {
        assertUlps(4, maxUlps(VectorMath::tanh, Math::tanh, -12f, 12f, 400_000));
        assertUlps(4, maxUlps(VectorMath::tanh, Math::tanh, -1e-3f, 1e-3f, 10_000));
        assertUlps(4, maxUlps(VectorMath::sigmoid, x -> 1 / (1 + Math.exp(-x)), -80f, 80f, 400_000));
    }

    @Test
    void limitsAndSpecialValues() {
        float[] in = new float[FS.length()], out = new float[FS.length()];
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1000f, 1000f, 0f, -0f, 88.8f};
        for (int k = 0; k < special.length; k += in.length) {
            for (int l = 0; l < in.length; l++) in[l] = special[(k + l) % special.length];
            VectorMath.exp(FloatVector.fromArray(FS, in, 0)).intoArray(out, 0);
            for (int l = 0; l < in.length; l++) assertEquals((float) Math.exp(in[l]), out[l], 0f, "exp(" + in[l] + ")");
            VectorMath.tanh(FloatVector.fromArray(FS, in, 0)).intoArray(out, 0);
            for (int l = 0; l < in.length; l++) assertEquals((float) Math.tanh(in[l]), out[l], 0f, "tanh(" + in[l] + ")");
            VectorMath.sigmoid(FloatVector.fromArray(FS, in, 0)).intoArray(out, 0);
            for (int l = 0; l < in.length; l++)
                assertEquals((float) (1 / (1 + Math.exp(-in[l]))), out[l], Float.isNaN(in[l]) ? 0f : 1e-7f, "sigmoid(" + in[l] + ")");
        }
    }
}
