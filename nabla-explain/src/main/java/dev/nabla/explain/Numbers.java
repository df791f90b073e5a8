package dev.nabla.explain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** How numbers are shown to a reader: a fixed number of significant digits, no trailing zeros. */
public final class Numbers {
    private Numbers() {}

    /** The default number of significant digits in explanations and reports. */
    public static final int DIGITS = 6;

    /** v with {@link #DIGITS} significant digits: 0.676646, -0.00448818, 1.73363, 12. */
    public static String format(double v) { return format(v, DIGITS); }

    /**
     * v rounded to the given number of significant digits, in plain notation for 1e-5 ≤ |v| &lt; 1e7
     * and scientific (1.5e-07) otherwise; trailing zeros are dropped, and -0 prints as 0.
     */
    public static String format(double v, int digits) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return "0";
        BigDecimal b = new BigDecimal(v).round(new MathContext(digits, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        double a = Math.abs(v);
        if (a >= 1e-5 && a < 1e7) return b.toPlainString();
        String s = String.format(java.util.Locale.ROOT, "%." + (digits - 1) + "e", v);
        String mant = s.substring(0, s.indexOf('e')), exp = s.substring(s.indexOf('e') + 1);
        if (mant.contains(".")) mant = mant.replaceAll("0+$", "").replaceAll("\\.$", "");
        int e = Integer.parseInt(exp);
        return mant + "e" + (e < 0 ? "-" : "+") + (Math.abs(e) < 10 ? "0" : "") + Math.abs(e);
    }
}
