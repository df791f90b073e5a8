package dev.nabla.explain.check;

/** What kind of mistake a wrong claim looks like. */
public enum Slip {
    /** The value with its sign flipped is right. */
    SIGN("sign slip"),
    /** Twice the right value. */
    FACTOR_TWO("factor of 2"),
    /** Half the right value. */
    FACTOR_HALF("factor of 1/2"),
    /** The right value of another entry (transposed indices, or a mislabelled quantity). */
    MISPLACED("transposed or mislabelled entry"),
    /** Near the exact value, and what the pass gives when intermediates are rounded part-way. */
    ROUNDING_DRIFT("rounding drift"),
    /** None of the above. */
    WRONG("plainly wrong");

    private final String words;

    Slip(String words) { this.words = words; }

    /** A few words for the verdict column. */
    public String words() { return words; }
}
