package dev.nabla.kernels;

/**
 * The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt in double precision (the JDK has none), for the
 * scalar element-wise kernels; float32 goes through it and is rounded once.
 *
 * <p>Method: three pieces, each a smooth function fitted by its Chebyshev expansion. For |x| ≤ 1,
 * erf(x) = x·P(x²) (erf is odd, so there is no cancellation near 0), with P the Chebyshev fit in
 * u = x² on [0, 1] written in powers of u and summed by Horner's rule. For 1 &lt; |x| &lt; 6,
 * erf(x) = sign(x)·(1 − erfc(|x|)) with erfc(a) = e^(−a²)·R(a), where R(a) = e^(a²)·erfc(a) varies
 * slowly: on [1, 2] R is a Chebyshev series in a, on [2, 6] a·R(a) one in 1/a (it tends to 1/√π);
 * both are summed by Clenshaw's recurrence. From |x| = 6 on, erfc(|x|) &lt; 2.2e-17 is below half
 * an ulp of 1 and erf(x) = ±1. The coefficients were computed in 60-digit arithmetic by
 * {@code scripts/erf_chebyshev.py} (mpmath) and truncated where the dropped terms sum to less than
 * 4e-18 of each piece's smallest value, so what is left is rounding: measured once against 46,000
 * reference values of erf (mpmath, 30 digits; uniform, log-spaced and next to the borders), the
 * largest error was 1.5 ulp (relative 2.2e-16), below |x| = 1, and 1 ulp beyond; ErfTest holds it
 * to 2 ulp. erf(−x) = −erf(x) exactly, erf(±∞) = ±1, erf(NaN) = NaN, erf(−0) = −0.
 */
public final class Erf {
    private Erf() {}

    /** erf(x)/x as a polynomial in u = x², for |x| ≤ 1 (coefficients of u⁰, u¹, …). */
    static final double[] SMALL = {
        1.1283791670955126, -0.3761263890318375, 0.11283791670954882,
        -0.026866170645077334, 0.005223977624823223, -0.0008548326981129666,
        0.00012055331122299266, -1.4925595519506043e-05, 1.6461004480962034e-06,
        -1.6350354461959655e-07, 1.4660051998394848e-08, -1.1373902296430911e-09,
        5.958930743134941e-11,
    };

    /** e^(a²)·erfc(a) in Chebyshev polynomials of s = 2a − 3, for 1 ≤ a ≤ 2. */
    static final double[] MID = {
        0.331427281639452, -0.0850021377067432, 0.009951127341466115,
        -0.0010810888102208325, 0.0001102324363119495, -1.0636830518218601e-05,
        9.775012680479055e-07, -8.597922867888315e-08, 7.2677084117248425e-09,
        -5.923543840592542e-10, 4.6683928572294154e-11, -3.56612770156775e-12,
        2.6458779519104523e-13, -1.9101658673527567e-14, 1.343976588479829e-15,
        -9.228790549094326e-17, 6.19267308464391e-18,
    };

    /** a·e^(a²)·erfc(a) in Chebyshev polynomials of s = 6/a − 2 (t = 1/a in [1/6, 1/2]), for 2 ≤ a ≤ 6. */
    static final double[] TAIL = {
        0.5353732068438819, -0.023155412139469353, -0.0016392210759605804,
        0.00022227996277607014, -8.78999954273534e-06, -8.810395716790812e-07,
        1.8418972159404269e-07, -1.4087247661320117e-08, -2.163390848477303e-10,
        2.1064317309527063e-10, -2.979314476337555e-11, 1.8153634618564103e-12,
        1.4524503191869517e-13, -5.475907229823179e-14, 7.611811795943645e-15,
        -4.896370723709231e-16, -4.1418075055923383e-17, 1.7339829257820862e-17,
        -2.7536912315296703e-18,
    };

    /** erf(x); see the class comment for the method and its accuracy. */
    public static double erf(double x) {
        double a = Math.abs(x);
        if (a <= 1) return x * horner(SMALL, x * x);
        if (!(a < 6)) return Double.isNaN(x) ? x : Math.copySign(1.0, x);
        double r = a <= 2 ? clenshaw(MID, 2 * a - 3) : clenshaw(TAIL, 6 / a - 2) / a;
        return Math.copySign(1 - expMinusSquare(a) * r, x);
    }

    /**
     * e^(−a²) with a² taken exactly: a = h + l with h holding the upper 26 bits of a (so h² is
     * exact), a² = h² + d with d = l·(a + h), and e^(−a²) = e^(−h²)·e^(−d), where |d| &lt; 2^-24·a²
     * makes the second factor's series 1 − d + d²/2 exact to double precision. StrictMath's exp (not
     * Math's, which the JIT may replace with an intrinsic) so that the bits never depend on whether
     * the caller has been compiled yet.
     */
    private static double expMinusSquare(double a) {
        double h = Double.longBitsToDouble(Double.doubleToRawLongBits(a) & 0xFFFFFFFFF8000000L);
        double d = (a - h) * (a + h);
        return StrictMath.exp(-h * h) * (1 - d + 0.5 * d * d);
    }

    /** Σ p_k u^k. */
    private static double horner(double[] p, double u) {
        double r = p[p.length - 1];
        for (int k = p.length - 2; k >= 0; k--) r = p[k] + u * r;
        return r;
    }

    /** Σ c_k T_k(s) for s in [−1, 1], by Clenshaw's recurrence. */
    private static double clenshaw(double[] c, double s) {
        double b1 = 0, b2 = 0, s2 = 2 * s;
        for (int k = c.length - 1; k > 0; k--) {
            double b0 = c[k] + s2 * b1 - b2;
            b2 = b1;
            b1 = b0;
        }
        return c[0] + s * b1 - b2;
    }
}
