package dev.nabla.explain.check;

/**
 * The verdict on one claim.
 *
 * @param exact       the exact value at the claim's path
 * @param right       true when the claim agrees with the exact value rounded to its decimals,
 *                    allowing one unit in the last place
 * @param lastDigitOff true when the claim is right only thanks to that one unit
 * @param slip        for a wrong claim, what kind of mistake it looks like (null when right)
 * @param explanation for a wrong claim, the reasoning behind the slip (null when right)
 */
public record Verdict(Claim claim, double exact, boolean right, boolean lastDigitOff, Slip slip, String explanation) {

    /** The verdict column's text. */
    public String words() {
        if (right) return lastDigitOff ? "right (last digit off by one, allowed)" : "right";
        return "WRONG: " + slip.words();
    }
}
