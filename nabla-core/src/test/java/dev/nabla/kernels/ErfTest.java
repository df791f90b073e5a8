package dev.nabla.kernels;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Erf#erf} against reference values computed independently: a table from mpmath and, on
 * seeded random points, the Taylor series summed here in 90-digit decimal arithmetic; its symmetry,
 * its special values, its continuity where its pieces meet, and the float32 path.
 */
class ErfTest {
    /** Errors allowed, in ulps of the exact value (the class comment of Erf states 1.5 ulp measured). */
    static final double ULPS = 2;

    /**
     * x and erf(x) to 25 digits, from mpmath 1.3.0 at 50 digits, erf taken at the double x exactly:
     * {@code mp.mp.dps = 50; mp.nstr(mp.erf(mp.mpf(x)), 25)}. Points on both sides of the pieces'
     * borders (1, 2, 6), in the tail where erf rounds to 1 or just below, and far out.
     */
    static final Object[][] MPMATH = {
        {1e-300, "1.128379167095512602172316e-300"},
        {1e-20, "1.128379167095512512008253e-20"},
        {1e-08, "1.128379167095512559892102e-8"},
        {0.001, "0.001128378790969236403437564"},
        {0.01, "0.01128341555584961715077714"},
        {0.1, "0.1124629160182848984047123"},
        {0.25, "0.2763263901682369329850683"},
        {0.3141592653589793, "0.343165836403424680765925"},
        {0.5, "0.5204998778130465376827467"},
        {0.75, "0.7111556336535151315989378"},
        {0.9, "0.7969082124228321396646662"},
        {0.99, "0.8385080695553697998187909"},
        {1.0, "0.8427007929497148693412206"},
        {1.0000000000000002, "0.8427007929497149615136009"},
        {1.0000001, "0.8427008344604604845626145"},
        {1.1, "0.8802050695740817296572595"},
        {1.25, "0.9229001282564582301365235"},
        {1.4142135623730951, "0.9544997361036416003623114"},
        {1.5, "0.9661051464753107270669763"},
        {1.75, "0.9866716712191824437722111"},
        {1.99, "0.9951114131996169970473154"},
        {2.0, "0.9953222650189527341620693"},
        {2.0000000000000004, "0.9953222650189527433400545"},
        {2.01, "0.9955248493552482370797929"},
        {2.5, "0.9995930479825550410604358"},
        {2.718281828459045, "0.999879068959907237324787"},
        {3.0, "0.9999779095030014145586272"},
        {3.5, "0.9999992569016276585872545"},
        {4.0, "0.9999999845827420997199811"},
        {4.5, "0.9999999998033839558457113"},
        {5.0, "0.999999999998462540205572"},
        {5.5, "0.999999999999992642152082"},
        {5.8, "0.9999999999999997644410625"},
        {5.9, "0.9999999999999999280959022"},
        {5.95, "0.9999999999999999605663602"},
        {5.99, "0.9999999999999999756995449"},
        {6.0, "0.9999999999999999784802633"},
        {6.5, "0.9999999999999999999615785"},
        {10.0, "1.0"},
        {27.0, "1.0"},
        {1e10, "1.0"},
        {-0.2, "-0.222702589210478466176453"},
        {-0.6, "-0.6038560908479259050823068"},
        {-1.3, "-0.9340079449406524458501854"},
        {-2.2, "-0.9981371537020181101414414"},
        {-3.7, "-0.9999998328489420908540249"},
        {-5.85, "-0.999999999999999869533885"},
    };

    /** |computed − exact| in ulps of the exact value rounded to double. */
    static double ulps(double computed, BigDecimal exact) {
        double e = exact.doubleValue();
        return new BigDecimal(computed).subtract(exact).abs().doubleValue() / Math.ulp(e);
    }

    @Test
    void matchesMpmathReferenceValues() {
        double worstUlps = 0, worstRel = 0;
        for (Object[] row : MPMATH) {
            double x = (double) row[0];
            BigDecimal exact = new BigDecimal((String) row[1]);
            double y = Erf.erf(x);
            double u = ulps(y, exact);
            assertTrue(u <= ULPS, "erf(" + x + ") = " + y + ", exact " + exact + ": " + u + " ulp");
            worstUlps = Math.max(worstUlps, u);
            worstRel = Math.max(worstRel, new BigDecimal(y).subtract(exact).abs().doubleValue() / exact.abs().doubleValue());
        }
        assertTrue(worstRel < 3e-16, "largest relative error " + worstRel + " (" + worstUlps + " ulp)");
    }

    // ------------------------------------------------------------------ an independent reference

    static final MathContext MC = new MathContext(90, RoundingMode.HALF_EVEN);
    static final BigDecimal PI = new BigDecimal(
        "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798");
    static final BigDecimal TWO_OVER_SQRT_PI = BigDecimal.valueOf(2).divide(PI.sqrt(MC), MC);

    /**
     * erf(x) = 2/√π Σₙ (−1)ⁿ x^(2n+1) / (n!·(2n+1)), summed in 90 digits: for |x| ≤ 6.5 the largest
     * term is below e^(x²) ≈ 1e19, so about 70 digits survive the cancellation.
     */
    static BigDecimal erfSeries(double x) {
        BigDecimal bx = new BigDecimal(x), x2 = bx.multiply(bx, MC), power = bx, sum = BigDecimal.ZERO;
        BigDecimal tiny = new BigDecimal("1e-60");
        for (int n = 0; ; n++) {
            // power = (−1)ⁿ x^(2n+1) / n!
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), MC);
            sum = sum.add(term, MC);
            if (n > x * x && term.abs().compareTo(tiny) < 0) break;
            power = power.multiply(x2, MC).divide(BigDecimal.valueOf(-(n + 1L)), MC);
        }
        return sum.multiply(TWO_OVER_SQRT_PI, MC);
    }

    @Test
    void seriesReferenceAgreesWithMpmath() {
        for (Object[] row : MPMATH) {
            double x = (double) row[0];
            if (Math.abs(x) > 6.5) continue;
            BigDecimal a = erfSeries(x), b = new BigDecimal((String) row[1]);
            assertTrue(a.subtract(b).abs().compareTo(b.abs().multiply(new BigDecimal("1e-23"))) <= 0, x + ": " + a + " vs " + b);
        }
    }

    @Test
    void matchesTheSeriesOnSeededRandomPoints() {
        SplittableRandom rng = new SplittableRandom(20240611);
        double worst = 0, at = 0;
        for (int i = 0; i < 1500; i++) {
            // uniform on [−6.5, 6.5], and log-uniform on (1e-12, 1) where erf is nearly linear
            double x = i % 3 == 2 ? Math.pow(10, rng.nextDouble(-12, 0)) * (rng.nextBoolean() ? 1 : -1) : rng.nextDouble(-6.5, 6.5);
            double u = ulps(Erf.erf(x), erfSeries(x));
            if (u > worst) { worst = u; at = x; }
        }
        assertTrue(worst <= ULPS, "largest error " + worst + " ulp at x = " + at);
    }

    // ------------------------------------------------------------------ properties and special values

    @Test
    void isOddExactly() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            double x = rng.nextDouble(-8, 8);
            assertEquals(-Erf.erf(x), Erf.erf(-x), 0.0, "at " + x);
        }
    }

    @Test
    void specialValues() {
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(Erf.erf(0.0)), "erf(+0) = +0");
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Erf.erf(-0.0)), "erf(−0) = −0");
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
        assertEquals(1.0, Erf.erf(Double.MAX_VALUE));
        assertEquals(-1.0, Erf.erf(-6.0000000000000009));
        // subnormal inputs: erf(x) = 2x/√π rounded (here the spacing of subnormals limits what is exact)
        assertEquals(Double.MIN_VALUE, Erf.erf(Double.MIN_VALUE));
        assertEquals(2 / Math.sqrt(Math.PI) * 1e-310, Erf.erf(1e-310), Double.MIN_VALUE);
        // erfc(5.9) = 7.2e-17 is nearer to the spacing of doubles just below 1 (1.1e-16) than to 0: erf(5.9) rounds below 1
        assertEquals(Math.nextDown(1.0), Erf.erf(5.9));
    }

    /** Where the pieces meet (|x| = 1, 2, 6) the values on either side differ by no more than the function does. */
    @Test
    void continuousWhereThePiecesMeet() {
        for (double b : new double[] {1, 2, 6}) {
            double lo = Erf.erf(Math.nextDown(b)), at = Erf.erf(b), hi = Erf.erf(Math.nextUp(b));
            assertTrue(lo <= at && at <= hi, "monotone at " + b + ": " + lo + ", " + at + ", " + hi);
            assertTrue(hi - lo <= 2 * Math.ulp(at), "jump at " + b + ": " + lo + " to " + hi);
        }
    }

    @Test
    void float32IsWithinAnUlpOfTheDoublePathAndOfTheExactValue() {
        SplittableRandom rng = new SplittableRandom(5);
        float[] a = new float[1001], out = new float[1001];
        for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextDouble(-7, 7);
        Elementwise.unary(UnaryOp.ERF, 0f, 0f, a, 0, 1, out, 0, a.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals((float) Erf.erf(a[i]), out[i], Math.ulp((float) Erf.erf(a[i])), "at " + a[i]);
            float exact = erfSeries(a[i]).floatValue();
            assertTrue(Math.abs(out[i] - exact) <= Math.ulp(exact), "float32 erf(" + a[i] + ") = " + out[i] + ", exact " + exact);
        }
        double[] d = {0.5, -3, Double.NaN}, dOut = new double[3];
        Elementwise.unary(UnaryOp.ERF, 0, 0, d, 0, 1, dOut, 0, 3);
        assertArrayEquals(new double[] {Erf.erf(0.5), Erf.erf(-3), Double.NaN}, dOut, 0.0);
    }
}
