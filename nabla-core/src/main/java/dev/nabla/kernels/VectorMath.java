package dev.nabla.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 exp, tanh and sigmoid on vectors, built from adds, multiplies, fused multiply-adds and
 * bit operations only.
 *
 * <p>Why not {@code lanewise(EXP)}: the JIT compiles it to a vendor math library call while the
 * interpreter (and C1) evaluate it lane by lane with {@code Math.exp}; the two differ in the last bit,
 * so the same computation gave different floats before and after warm-up, and a resumed training
 * run drifted from an uninterrupted one. The operations used here are exactly rounded in every
 * execution mode, so these functions give the same bits everywhere.
 *
 * <p>Accuracy (relative, against the float64 function rounded to float): exp within 2 ulp for
 * x in [-87.3, 88.7] (the normal float range; below it the result is 0, above it +inf), tanh and
 * sigmoid within 4 ulp.
 */
public final class VectorMath {
    private VectorMath() {}

    private static final VectorSpecies<Float> FS = Elementwise.FS;

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693145751953125f;        // ln 2 with its last 12 bits zero: n·LN2_HI is exact
    private static final float LN2_LO = 1.42860682030941723212e-6f;
    private static final float ROUND = 12582912f;                    // 1.5·2^23: adding it rounds to an integer
    private static final float MAX_X = 88.72283f, MIN_X = -87.33654f;

    /**
     * e^x: with n = round(x / ln 2) and r = x − n ln 2 (|r| ≤ ln 2 / 2), e^x = 2^n · p(r), where p is
     * the degree-7 Taylor polynomial of e^r (truncation error below 1e-8 on that interval).
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector t = x.fma(FloatVector.broadcast(FS, LOG2E), FloatVector.broadcast(FS, ROUND));
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(FS, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(FS, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(FS, 1f / 5040f);
        p = p.fma(r, FloatVector.broadcast(FS, 1f / 720f));
        p = p.fma(r, FloatVector.broadcast(FS, 1f / 120f));
        p = p.fma(r, FloatVector.broadcast(FS, 1f / 24f));
        p = p.fma(r, FloatVector.broadcast(FS, 1f / 6f));
        p = p.fma(r, FloatVector.broadcast(FS, 0.5f));
        p = p.fma(r, FloatVector.broadcast(FS, 1f));
        p = p.fma(r, FloatVector.broadcast(FS, 1f));
        // n from the bits of t: its low mantissa bits hold n + 0x400000 (t = 1.5·2^23 + n). 2^n is applied
        // as 2^(n/2)·2^(n - n/2) so that n = 128 (x near the top of the range) does not overflow the scale.
        var ni = t.reinterpretAsInts().sub(0x4B400000);
        var n1 = ni.lanewise(VectorOperators.ASHR, 1);
        var n2 = ni.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector y = p.mul(s1).mul(s2);
        y = y.blend(0f, x.compare(VectorOperators.LT, MIN_X));
        y = y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, MAX_X));
        return y.blend(x, x.test(VectorOperators.IS_NAN));
    }

    /** σ(x) = 1 / (1 + e^−x); 0 for x below about −88 and 1 for large x. */
    public static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(FS, 1f).div(exp(x.neg()).add(1f));
    }

    /**
     * tanh x: for |x| ≤ 0.625 the [7/6] Padé approximant x(135135 + 17325x² + 378x⁴ + x⁶) /
     * (135135 + 62370x² + 3150x⁴ + 28x⁶) (error below 1e-12 there), beyond it
     * sign(x)·(1 − e)/(1 + e) with e = e^(−2|x|), which has no cancellation once |x| is that large.
     */
    public static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector x2 = x.mul(x);
        FloatVector num = x2.add(378f).fma(x2, FloatVector.broadcast(FS, 17325f)).fma(x2, FloatVector.broadcast(FS, 135135f)).mul(x);
        FloatVector den = x2.mul(28f).add(3150f).fma(x2, FloatVector.broadcast(FS, 62370f)).fma(x2, FloatVector.broadcast(FS, 135135f));
        FloatVector small = num.div(den);
        FloatVector e = exp(a.mul(-2f));
        FloatVector large = FloatVector.broadcast(FS, 1f).sub(e).div(e.add(1f));
        large = large.blend(large.neg(), x.compare(VectorOperators.LT, 0f));
        VectorMask<Float> useSmall = a.compare(VectorOperators.LE, 0.625f);
        return large.blend(small, useSmall).blend(x, x.test(VectorOperators.IS_NAN));
    }
}
