package dev.nabla.nn;

import java.math.BigDecimal;

/** Numbers written as Python's {@code repr} writes them, for modules that print like PyTorch's. */
final class Repr {
    private Repr() {}

    /**
     * A double as Python's {@code repr(float)}: the shortest digits that read back as the same
     * value, in fixed notation for decimal exponents from -4 to 15 ({@code 0.1}, {@code 0.0001},
     * {@code 2.0}) and scientific notation otherwise ({@code 1e-05}, {@code 1.5e+16}).
     */
    static String number(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return 1 / v < 0 ? "-0.0" : "0.0";
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;   // of the first significant digit
        if (exponent >= -4 && exponent < 16) {
            String plain = d.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = d.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (v < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
}
