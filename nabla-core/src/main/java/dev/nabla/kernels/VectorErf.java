package dev.nabla.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * erf, GELU (exact and tanh forms) and their derivatives on float32 arrays, SIMD: each float is
 * widened to double, evaluated by {@link Erf}'s method (the same three pieces, each cut to the terms
 * that matter at float precision, as the comment above SMALL says) on double vectors, and rounded to
 * float once. The results are those of the scalar twins (which also compute in double and round
 * once) except where the two double results round to neighbouring floats: at most 1 ulp apart, rarely.
 *
 * <p>Like {@link VectorMath}, only adds, multiplies, fused multiply-adds, divisions and bit
 * operations are used (no {@code lanewise(EXP)}, whose bits depend on whether the caller has been
 * compiled), so the same input gives the same bits in every execution mode.
 */
final class VectorErf {
    private VectorErf() {}

    static final VectorSpecies<Double> DS = Elementwise.DS;
    /** Floats with as many lanes as {@link #DS}: one load widens to one double vector. */
    static final VectorSpecies<Float> FH = VectorSpecies.of(float.class, VectorShape.forBitSize(DS.vectorBitSize() / 2));
    static final int V = DS.length();
    /** Fewest elements worth handing to another thread (about 10 µs of work). */
    static final int GRAIN = 4096;
    /**
     * Fewest elements for which the element-wise entry points take these kernels rather than the
     * scalar twins: below it a call is cheap either way. The choice depends on the size alone, so a
     * computation gives the same bits every time it runs.
     *
     * <p>Start-up: until the JIT has compiled this class's one large loop it runs interpreted, then
     * C1-compiled, far slower than the scalar twins (measured on 32,768 elements: first calls 440, 69,
     * 55, 31 ms, compiled after about 0.75 s, then 0.06 ms a call). A process pays that once, the
     * first time a large erf or GELU runs: {@code nabla train --activation gelu} on the default spirals
     * (2-64-64-3, whose validation passes cross this size) took 2.0 s against 1.4 s with the scalar
     * path, while on MNIST (784-256-256-10, batch 128) every epoch after the first takes half the time.
     */
    static final int MIN_SIMD = 8192;

    private static final double SQRT1_2 = UnaryOp.SQRT1_2, INV_SQRT_2PI = UnaryOp.INV_SQRT_2PI;

    private static final double LOG2E = 1.4426950408889634;
    // ln 2 = LN2_HI + LN2_LO, LN2_HI with its last 32 bits zero, so that n·LN2_HI is exact for |n| < 2^20
    private static final double LN2_HI = Double.longBitsToDouble(Double.doubleToRawLongBits(Math.log(2)) & 0xFFFFFFFF00000000L);
    private static final double LN2_LO = Math.log(2) - LN2_HI;
    private static final double ROUND = 6755399441055744.0;   // 1.5·2^52: adding it rounds to an integer
    /*
     * The results are rounded to float, so each series keeps only the terms that matter at float
     * precision: the first dropped term is below 2e-10 of the piece's value (a float's ulp is 6e-8 of
     * it), so a result differs from the full double evaluation by far less than half an ulp before
     * rounding. erf(z)/z for |z| ≤ 1: u⁰…u¹⁰ (u¹¹'s coefficient is 1.1e-9 of 1.13); R on [1, 2]: T₀…T₁₀
     * (T₁₁: 4.7e-11 of 0.33); z·R on [2, 6]: T₀…T₉ (T₁₀: 3.0e-11 of 0.54); e^r for |r| ≤ ln 2 / 2:
     * degree 10 (the next Taylor term is below 5e-13). Relative, these also hold where 1 + erf(z) cancels
     * (GELU at negative x): there the result is x·½·e^(−z²)·R(|z|), as accurate as R.
     */
    private static final double[] SMALL = java.util.Arrays.copyOf(Erf.SMALL, 11);
    /**
     * The two Chebyshev pieces, cut as above and rewritten in powers of s (summed by Horner's rule:
     * a chain of FMAs, shorter than Clenshaw's recurrence). Well conditioned here: the powers'
     * coefficients sum in magnitude to at most 1.7 times the piece's value.
     */
    private static final double[] MID = powers(java.util.Arrays.copyOf(Erf.MID, 11));
    private static final double[] TAIL = powers(java.util.Arrays.copyOf(Erf.TAIL, 10));

    /** Σ c_k T_k(s) as Σ p_i s^i (T_0 = 1, T_1 = s, T_{k+1} = 2s·T_k − T_{k−1}). */
    static double[] powers(double[] c) {
        int n = c.length;
        double[] p = new double[n], prev = new double[n], cur = new double[n];
        prev[0] = 1;
        if (n > 1) cur[1] = 1;
        p[0] += c[0];
        for (int k = 1; k < n; k++) {
            for (int i = 0; i < n; i++) p[i] += c[k] * cur[i];
            double[] next = new double[n];
            for (int i = 0; i + 1 < n; i++) next[i + 1] = 2 * cur[i];
            for (int i = 0; i < n; i++) next[i] -= prev[i];
            prev = cur;
            cur = next;
        }
        return p;
    }
    /** Taylor coefficients 1/k! of e^r, k = 10 down to 0. */
    private static final double[] EXP_TAYLOR = new double[11];

    static {
        int top = EXP_TAYLOR.length - 1;
        double f = 1;
        for (int k = 1; k <= top; k++) f *= k;
        for (int k = top; k >= 0; k--) {
            EXP_TAYLOR[top - k] = 1 / f;
            if (k > 0) f /= k;
        }
    }

    /**
     * e^x for x ≤ 0: k = round(x/ln 2), r = x − k·ln 2 (|r| ≤ ln 2 / 2), e^x = 2^k · p(r) with p the
     * degree-10 Taylor polynomial of e^r; 0 below −708 (where e^x would be subnormal).
     */
    private static DoubleVector expNonPositive(DoubleVector x) {
        DoubleVector t = x.fma(DoubleVector.broadcast(DS, LOG2E), DoubleVector.broadcast(DS, ROUND));
        DoubleVector kk = t.sub(ROUND);
        DoubleVector r = kk.fma(DoubleVector.broadcast(DS, -LN2_HI), x);
        r = kk.fma(DoubleVector.broadcast(DS, -LN2_LO), r);
        DoubleVector p = DoubleVector.broadcast(DS, EXP_TAYLOR[0]);
        for (int k = 1; k < EXP_TAYLOR.length; k++) p = p.fma(r, DoubleVector.broadcast(DS, EXP_TAYLOR[k]));
        LongVector ki = (LongVector) kk.convert(VectorOperators.D2L, 0);
        DoubleVector scale = ki.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return p.mul(scale).blend(0.0, x.compare(VectorOperators.LT, -708.0));
    }

    private static final int ERF = 0, GELU = 1, GELU_GRAD = 2, GELU_BACKWARD = 3;
    private static final double SQRT_2_OVER_PI = UnaryOp.SQRT_2_OVER_PI, GELU_C = UnaryOp.GELU_C;

    /** Whether {@link #unary} has a SIMD path for op. */
    static boolean has(UnaryOp op) {
        return op == UnaryOp.ERF || op == UnaryOp.GELU || op == UnaryOp.GELU_GRAD
            || op == UnaryOp.GELU_TANH || op == UnaryOp.GELU_TANH_GRAD;
    }

    /**
     * out[i] = op(a[i]) for the whole vectors of [0, n) (op one of {@link #has}); returns how many
     * elements were done (the caller finishes the tail with the scalar twin).
     */
    static int unary(UnaryOp op, float[] a, int aOff, float[] out, int oOff, int n) {
        return switch (op) {
            case ERF -> run(ERF, null, 0, a, aOff, out, oOff, n);
            case GELU -> run(GELU, null, 0, a, aOff, out, oOff, n);
            case GELU_GRAD -> run(GELU_GRAD, null, 0, a, aOff, out, oOff, n);
            case GELU_TANH -> runTanh(GELU, null, 0, a, aOff, out, oOff, n);
            case GELU_TANH_GRAD -> runTanh(GELU_GRAD, null, 0, a, aOff, out, oOff, n);
            default -> throw new IllegalStateException(op.name());
        };
    }

    /**
     * out[i] = g[i]·GELU′(x[i]) (of the tanh form when {@code tanh}) for the whole vectors of [0, n);
     * returns how many were done.
     */
    static int geluBackward(boolean tanh, float[] g, int gOff, float[] x, int xOff, float[] out, int oOff, int n) {
        return tanh ? runTanh(GELU_BACKWARD, g, gOff, x, xOff, out, oOff, n) : run(GELU_BACKWARD, g, gOff, x, xOff, out, oOff, n);
    }

    /**
     * The tanh form of GELU (mode GELU), its derivative (GELU_GRAD) or g times it (GELU_BACKWARD), as
     * {@link UnaryOp}'s scalar twins compute them: u = √(2/π)(x + 0.044715x³), w = e^(−2|u|) ({@link #expNonPositive}), 1 + tanh(u) = 2/(1 + w) or 2w/(1 + w) for u &lt; 0, and
     * 1 − tanh²(u) = 4w/(1 + w)².
     */
    private static int runTanh(int mode, float[] g, int gOff, float[] a, int aOff, float[] out, int oOff, int n) {
        int i = 0;
        for (int bound = FH.loopBound(n); i < bound; i += V) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(FH, a, aOff + i).convertShape(VectorOperators.F2D, DS, 0);
            DoubleVector x2 = x.mul(x);
            DoubleVector u = x2.mul(GELU_C).mul(x).add(x).mul(SQRT_2_OVER_PI);
            DoubleVector arg = u.abs().mul(-2.0);
            DoubleVector w = expNonPositive(arg).blend(arg, arg.test(VectorOperators.IS_NAN));
            DoubleVector inv = DoubleVector.broadcast(DS, 1.0).div(w.add(1.0));
            DoubleVector onePlusT = inv.mul(2.0);
            onePlusT = onePlusT.blend(onePlusT.mul(w), u.compare(VectorOperators.LT, 0.0));
            DoubleVector y = x.mul(0.5).mul(onePlusT);
            if (mode != GELU) {
                DoubleVector sech2 = w.mul(4.0).mul(inv).mul(inv);
                DoubleVector slope = x2.mul(3 * GELU_C).add(1.0).mul(0.5 * SQRT_2_OVER_PI);
                y = x.mul(sech2).fma(slope, onePlusT.mul(0.5));
                if (mode == GELU_BACKWARD)
                    y = ((DoubleVector) FloatVector.fromArray(FH, g, gOff + i).convertShape(VectorOperators.F2D, DS, 0)).mul(y);
            }
            ((FloatVector) y.convertShape(VectorOperators.D2F, FH, 0)).intoArray(out, oOff + i);
        }
        return i;
    }

    /**
     * The one loop behind the erf entry points, written out in full but for the exponential: the JIT
     * did not inline larger helpers (the erf pieces) into it, and a vector passed to a method that is
     * not inlined is boxed on the heap (those helpers cost a factor of three here; the exponential
     * is inlined, measured at the same speed either way). For z = x (erf) or x/√2 (GELU), per lane:
     * <ul>
     * <li>|z| ≤ 1: erf(z) = z·P(z²), Horner's rule;</li>
     * <li>1 &lt; |z| &lt; 6: erf(z) = ±(1 − e^(−z²)·R(|z|)), R on [1, 2] or [2, 6] by Horner's rule in
     *     powers of s (each piece skipped when no lane needs it); |z| ≥ 6: ±1;</li>
     * <li>e^(−z²) with z² split exactly (z = h + l, h² exact, e^(−z²) = e^(−h²)·(1 − d + d²/2),
     *     d = l·(z + h)), e^(−h²) by {@link #expNonPositive}. The GELU
     *     derivative's φ(x) = e^(−x²/2)/√(2π) is the same e^(−z²).</li>
     * </ul>
     */
    private static int run(int mode, float[] g, int gOff, float[] a, int aOff, float[] out, int oOff, int n) {
        boolean pdf = mode >= GELU_GRAD;
        int i = 0;
        for (int bound = FH.loopBound(n); i < bound; i += V) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(FH, a, aOff + i).convertShape(VectorOperators.F2D, DS, 0);
            DoubleVector z = mode == ERF ? x : x.mul(SQRT1_2);
            DoubleVector az = z.abs();
            DoubleVector u = z.mul(z);
            DoubleVector sm = DoubleVector.broadcast(DS, SMALL[SMALL.length - 1]);
            for (int k = SMALL.length - 2; k >= 0; k--) sm = sm.fma(u, DoubleVector.broadcast(DS, SMALL[k]));
            DoubleVector erf = z.mul(sm);
            VectorMask<Double> big = az.compare(VectorOperators.GT, 1.0);
            boolean anyBig = big.anyTrue();
            DoubleVector e = DoubleVector.zero(DS);
            if (anyBig || pdf) {
                DoubleVector h = az.reinterpretAsLongs().and(0xFFFFFFFFF8000000L).reinterpretAsDoubles();
                DoubleVector d = az.sub(h).mul(az.add(h));
                DoubleVector series = d.mul(0.5).sub(1.0).fma(d, DoubleVector.broadcast(DS, 1.0));
                e = expNonPositive(h.mul(h).neg()).mul(series);
            }
            if (anyBig) {
                DoubleVector ac = az.max(1.0).min(6.0);
                VectorMask<Double> tail = ac.compare(VectorOperators.GT, 2.0);
                DoubleVector rr = DoubleVector.zero(DS);
                if (!tail.allTrue()) {
                    DoubleVector s = ac.mul(2.0).sub(3.0);
                    rr = DoubleVector.broadcast(DS, MID[MID.length - 1]);
                    for (int k = MID.length - 2; k >= 0; k--) rr = rr.fma(s, DoubleVector.broadcast(DS, MID[k]));
                }
                if (tail.anyTrue()) {
                    DoubleVector s = DoubleVector.broadcast(DS, 6.0).div(ac).sub(2.0);
                    DoubleVector q = DoubleVector.broadcast(DS, TAIL[TAIL.length - 1]);
                    for (int k = TAIL.length - 2; k >= 0; k--) q = q.fma(s, DoubleVector.broadcast(DS, TAIL[k]));
                    rr = rr.blend(q.div(ac), tail);
                }
                DoubleVector far = DoubleVector.broadcast(DS, 1.0).sub(e.mul(rr));
                far = far.blend(1.0, az.compare(VectorOperators.GE, 6.0));
                far = far.blend(far.neg(), z.compare(VectorOperators.LT, 0.0));
                erf = erf.blend(far, big);
            }
            erf = erf.blend(z, z.test(VectorOperators.IS_NAN));
            DoubleVector y = switch (mode) {
                case ERF -> erf;
                case GELU -> x.mul(0.5).mul(erf.add(1.0));
                default -> {
                    DoubleVector grad = x.fma(e.mul(INV_SQRT_2PI), erf.add(1.0).mul(0.5));
                    yield mode == GELU_GRAD ? grad
                        : ((DoubleVector) FloatVector.fromArray(FH, g, gOff + i).convertShape(VectorOperators.F2D, DS, 0)).mul(grad);
                }
            };
            ((FloatVector) y.convertShape(VectorOperators.D2F, FH, 0)).intoArray(out, oOff + i);
        }
        return i;
    }
}
