package dev.nabla.explain.check;

import java.math.BigDecimal;

/**
 * One number worked out by hand: where it lives in the output (a {@link ClaimPath}), the text as
 * printed (so that its decimals are kept), its value, the author's name for it (or null), and where
 * the claim stands in its claims file (a JSON path, for messages).
 */
public record Claim(ClaimPath path, String text, BigDecimal value, String label, String where) {

    /** The number of decimals printed (negative for a number like 1.2E+3). */
    public int decimals() { return value.scale(); }

    /** One unit in the last printed place. */
    public BigDecimal ulp() { return BigDecimal.ONE.scaleByPowerOfTen(-value.scale()); }

    /** The label when given, else the path. */
    public String name() { return label != null ? label : path.text(); }
}
