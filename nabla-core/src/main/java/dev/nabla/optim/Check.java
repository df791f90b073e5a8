package dev.nabla.optim;

/** Validation of hyper-parameters, with messages that name the optimizer and the value. */
final class Check {
    private Check() {}

    /** value ≥ 0 (and not NaN). */
    static double nonNegative(String owner, String what, double value) {
        if (!(value >= 0)) throw new IllegalArgumentException(owner + ": " + what + " must be >= 0, got " + value);
        return value;
    }

    /** value > 0 (and not NaN). */
    static double positive(String owner, String what, double value) {
        if (!(value > 0)) throw new IllegalArgumentException(owner + ": " + what + " must be > 0, got " + value);
        return value;
    }

    /** 0 ≤ value &lt; 1. */
    static double unitInterval(String owner, String what, double value) {
        if (!(value >= 0 && value < 1)) throw new IllegalArgumentException(owner + ": " + what + " must be in [0, 1), got " + value);
        return value;
    }

    static int nonNegative(String owner, String what, int value) {
        if (value < 0) throw new IllegalArgumentException(owner + ": " + what + " must be >= 0, got " + value);
        return value;
    }

    static int positive(String owner, String what, int value) {
        if (value <= 0) throw new IllegalArgumentException(owner + ": " + what + " must be > 0, got " + value);
        return value;
    }
}
