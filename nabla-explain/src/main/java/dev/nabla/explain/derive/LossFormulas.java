package dev.nabla.explain.derive;

import dev.nabla.explain.spec.LossSpec;

/**
 * Each loss of docs/spec-format.md as a formula: the per-sample loss ℓ in terms of one output row ŷ and its
 * target y (or class c), and its derivative ∂ℓ/∂ŷ, in text and LaTeX.
 */
final class LossFormulas {
    private LossFormulas() {}

    static Formula perSample(LossSpec loss) {
        String m = num(loss.margin()), d = num(loss.delta());
        return switch (loss.type()) {
            case SQUARED_ERROR -> Formula.compound("Σ_k (ŷ_k - y_k)²", "\\sum_k (\\hat y_k - y_k)^2");
            case ABS_ERROR -> Formula.compound("Σ_k |ŷ_k - y_k|", "\\sum_k |\\hat y_k - y_k|");
            case HUBER -> Formula.compound("Σ_k h(ŷ_k - y_k), h(r) = r²/2 if |r| ≤ " + d + ", else " + d + "(|r| - " + d + "/2)",
                "\\sum_k h(\\hat y_k - y_k),\\; h(r) = \\begin{cases} r^2/2 & |r| \\le " + d + " \\\\ " + d
                    + "\\,(|r| - " + d + "/2) & \\text{otherwise} \\end{cases}");
            case BCE -> Formula.compound("-Σ_k [y_k log ŷ_k + (1 - y_k) log(1 - ŷ_k)]",
                "-\\sum_k \\left[y_k \\log \\hat y_k + (1 - y_k) \\log(1 - \\hat y_k)\\right]");
            case BCE_WITH_LOGITS -> Formula.compound("-Σ_k [y_k log σ(ŷ_k) + (1 - y_k) log(1 - σ(ŷ_k))]",
                "-\\sum_k \\left[y_k \\log \\sigma(\\hat y_k) + (1 - y_k) \\log(1 - \\sigma(\\hat y_k))\\right]");
            case CROSS_ENTROPY -> Formula.compound("-log softmax(ŷ)_c", "-\\log \\operatorname{softmax}(\\hat y)_c");
            case HINGE -> Formula.compound("Σ_k max(0, 1 - y_k ŷ_k)", "\\sum_k \\max(0, 1 - y_k \\hat y_k)");
            case MULTICLASS_HINGE -> Formula.compound("Σ_{j≠c} max(0, ŷ_j - ŷ_c + " + m + ")",
                "\\sum_{j \\ne c} \\max(0, \\hat y_j - \\hat y_c + " + m + ")");
            case COSINE -> Formula.compound("-(y·ŷ)/(‖y‖ ‖ŷ‖)", "-\\frac{y \\cdot \\hat y}{\\|y\\| \\, \\|\\hat y\\|}");
        };
    }

    /** ∂ℓ/∂ŷ per entry (before the factor scale/divisor). */
    static Formula derivative(LossSpec loss) {
        String m = num(loss.margin()), d = num(loss.delta());
        return switch (loss.type()) {
            case SQUARED_ERROR -> Formula.product("2(ŷ - y)", "2(\\hat y - y)");
            case ABS_ERROR -> Formula.compound("sign(ŷ - y)", "\\operatorname{sign}(\\hat y - y)");
            case HUBER -> Formula.compound("ŷ - y if |ŷ - y| ≤ " + d + ", else " + d + "·sign(ŷ - y)",
                "\\begin{cases} \\hat y - y & |\\hat y - y| \\le " + d + " \\\\ " + d + " \\operatorname{sign}(\\hat y - y) & \\text{otherwise} \\end{cases}");
            case BCE -> Formula.compound("(ŷ - y) / (ŷ(1 - ŷ))", "\\frac{\\hat y - y}{\\hat y (1 - \\hat y)}");
            case BCE_WITH_LOGITS -> Formula.compound("σ(ŷ) - y", "\\sigma(\\hat y) - y");
            case CROSS_ENTROPY -> Formula.compound("softmax(ŷ) - onehot(c)", "\\operatorname{softmax}(\\hat y) - \\operatorname{onehot}(c)");
            case HINGE -> Formula.compound("-y if y ŷ < 1, else 0", "\\begin{cases} -y & y \\hat y < 1 \\\\ 0 & \\text{otherwise} \\end{cases}");
            case MULTICLASS_HINGE -> Formula.compound("[ŷ_j - ŷ_c + " + m + " > 0] for j ≠ c; minus the number of those terms for j = c",
                "\\begin{cases} [\\hat y_j - \\hat y_c + " + m + " > 0] & j \\ne c \\\\ -\\#\\{j \\ne c : \\hat y_j - \\hat y_c + " + m
                    + " > 0\\} & j = c \\end{cases}");
            case COSINE -> Formula.compound("-y/(‖y‖ ‖ŷ‖) + (y·ŷ) ŷ/(‖y‖ ‖ŷ‖³)",
                "-\\frac{y}{\\|y\\| \\, \\|\\hat y\\|} + \\frac{(y \\cdot \\hat y)\\, \\hat y}{\\|y\\| \\, \\|\\hat y\\|^3}");
        };
    }

    /** How the batch reduction reads in words. */
    static String reductionWords(LossSpec loss, int n, int d) {
        return switch (loss.reduction()) {
            case SUM -> "summed over the " + samples(n);
            case BATCHMEAN -> "summed over the " + samples(n) + " and divided by N = " + n;
            case MEAN -> loss.type().elementWise()
                ? "averaged over all N·dL = " + (n * d) + " output entries"
                : n == 1 ? "averaged over the single sample" : "averaged over the N = " + n + " samples";
        };
    }

    private static String samples(int n) { return n == 1 ? "single sample" : n + " samples"; }

    private static String num(double v) { return dev.nabla.explain.Numbers.format(v); }
}
