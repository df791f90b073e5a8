package dev.nabla.kernels;

/**
 * Element-wise functions of one argument, with optional scalar parameters {@code p} and {@code q}
 * (for example the exponent of {@link #POW_SCALAR} or the bounds of {@link #CLAMP}).
 * {@link #apply} is the scalar definition; the SIMD kernels in {@link Elementwise} are held to it.
 */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, ABS,
    /** sign(x) with sign(0) = 0. */
    SIGN,
    SIGMOID, TANH, RELU,
    /** 1 where x &gt; 0, else 0 (the derivative of ReLU, 0 at the kink). */
    STEP,
    /** x where x &gt; 0, else p·x. */
    LEAKY_RELU,
    /** 1 where x &gt; 0, else p. */
    LEAKY_STEP,
    /** log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) so that it never overflows. */
    SOFTPLUS,
    /** x^p. */
    POW_SCALAR,
    /** min(max(x, p), q). */
    CLAMP,
    /** 1 where p &lt;= x &lt;= q, else 0 (the derivative of clamp). */
    IN_RANGE,
    ADD_SCALAR, MUL_SCALAR,
    /** p - x. */
    RSUB_SCALAR,
    /** p / x. */
    RDIV_SCALAR,
    SQUARE, RECIPROCAL,
    /** 1 where x &gt; p, else 0. */
    GT_SCALAR,
    /** x itself (a copy). */
    IDENTITY,
    /** The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt (see {@link Erf}). */
    ERF;

    public double apply(double x, double p, double q) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case SIGMOID -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            case TANH -> Math.tanh(x);
            case RELU -> Math.max(x, 0.0);   // NaN stays NaN, as in PyTorch and the SIMD path
            case STEP -> x > 0 ? 1.0 : 0.0;
            case LEAKY_RELU -> x > 0 ? x : p * x;
            case LEAKY_STEP -> x > 0 ? 1.0 : p;
            case SOFTPLUS -> Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
            case POW_SCALAR -> p == 2.0 ? x * x : Math.pow(x, p);
            case CLAMP -> Math.min(Math.max(x, p), q);
            case IN_RANGE -> (x >= p && x <= q) ? 1.0 : 0.0;
            case ADD_SCALAR -> x + p;
            case MUL_SCALAR -> x * p;
            case RSUB_SCALAR -> p - x;
            case RDIV_SCALAR -> p / x;
            case SQUARE -> x * x;
            case RECIPROCAL -> 1.0 / x;
            case GT_SCALAR -> x > p ? 1.0 : 0.0;
            case IDENTITY -> x;
            case ERF -> Erf.erf(x);
        };
    }

    public float apply(float x, float p, float q) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case RELU -> Math.max(x, 0f);
            case STEP -> x > 0 ? 1f : 0f;
            case LEAKY_RELU -> x > 0 ? x : p * x;
            case LEAKY_STEP -> x > 0 ? 1f : p;
            case CLAMP -> Math.min(Math.max(x, p), q);
            case IN_RANGE -> (x >= p && x <= q) ? 1f : 0f;
            case ADD_SCALAR -> x + p;
            case MUL_SCALAR -> x * p;
            case RSUB_SCALAR -> p - x;
            case RDIV_SCALAR -> p / x;
            case SQUARE -> x * x;
            case RECIPROCAL -> 1f / x;
            case GT_SCALAR -> x > p ? 1f : 0f;
            case IDENTITY -> x;
            default -> (float) apply((double) x, p, q);
        };
    }
}
