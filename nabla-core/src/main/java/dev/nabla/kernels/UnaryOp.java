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
    ERF,
    /** GELU(x) = x·Φ(x) = x·½·(1 + erf(x/√2)), PyTorch's exact GELU. */
    GELU,
    /** GELU′(x) = Φ(x) + x·φ(x), with φ(x) = e^(−x²/2)/√(2π) (not itself recorded as a differentiable op). */
    GELU_GRAD,
    /** ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), PyTorch's GELU with {@code approximate='tanh'}. */
    GELU_TANH,
    /** The derivative of {@link #GELU_TANH} (not itself recorded as a differentiable op). */
    GELU_TANH_GRAD;

    // GELU's constants, shared with VectorErf's SIMD twins
    static final double SQRT1_2 = Math.sqrt(0.5);
    static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    static final double GELU_C = 0.044715;

    /** x·½·(1 + erf(x/√2)), in PyTorch's order of operations. */
    static double gelu(double x) { return x * 0.5 * (1 + Erf.erf(x * SQRT1_2)); }

    /** Φ(x) + x·φ(x). (StrictMath's exp here and below: the same bits whether or not the caller is compiled.) */
    static double geluGrad(double x) { return 0.5 * (1 + Erf.erf(x * SQRT1_2)) + x * StrictMath.exp(-0.5 * x * x) * INV_SQRT_2PI; }

    /**
     * ½·x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715·x³). With w = e^(−2|u|), 1 + tanh(u) is 2/(1 + w)
     * for u ≥ 0 and 2w/(1 + w) for u &lt; 0: no cancellation where tanh(u) nears −1 (negative x).
     */
    static double geluTanh(double x) {
        double u = geluTanhArg(x);
        return 0.5 * x * onePlusTanh(u, StrictMath.exp(-2 * Math.abs(u)));
    }

    /** ½·(1 + t) + ½·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²), t = tanh(u); 1 − t² = 4w/(1 + w)². */
    static double geluTanhGrad(double x) {
        double u = geluTanhArg(x), w = StrictMath.exp(-2 * Math.abs(u)), sech2 = 4 * w / ((1 + w) * (1 + w));
        return 0.5 * onePlusTanh(u, w) + 0.5 * x * sech2 * SQRT_2_OVER_PI * (1 + 3 * GELU_C * x * x);
    }

    private static double geluTanhArg(double x) { return SQRT_2_OVER_PI * (x + GELU_C * x * x * x); }

    /** 1 + tanh(u), from w = e^(−2|u|). */
    private static double onePlusTanh(double u, double w) { return u >= 0 ? 2 / (1 + w) : 2 * w / (1 + w); }

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
            case GELU -> gelu(x);
            case GELU_GRAD -> geluGrad(x);
            case GELU_TANH -> geluTanh(x);
            case GELU_TANH_GRAD -> geluTanhGrad(x);
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
