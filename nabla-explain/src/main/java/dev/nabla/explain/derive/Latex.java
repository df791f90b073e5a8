package dev.nabla.explain.derive;

import java.util.Map;

/**
 * Escaping for LaTeX text mode: the special characters, and the Unicode symbols the explanations
 * use, mapped to LaTeX (σ to $\sigma$); any other non-ASCII character becomes '?', so that the
 * document always compiles with a plain pdflatex.
 */
public final class Latex {
    private Latex() {}

    private static final Map<Character, String> UNICODE = Map.ofEntries(
        Map.entry('σ', "$\\sigma$"), Map.entry('Δ', "$\\Delta$"), Map.entry('Ŷ', "$\\hat Y$"),
        Map.entry('δ', "$\\delta$"), Map.entry('λ', "$\\lambda$"), Map.entry('η', "$\\eta$"),
        Map.entry('θ', "$\\theta$"), Map.entry('Σ', "$\\Sigma$"), Map.entry('∂', "$\\partial$"), Map.entry('⊙', "$\\odot$"),
        Map.entry('·', "$\\cdot$"), Map.entry('×', "$\\times$"), Map.entry('→', "$\\to$"), Map.entry('←', "$\\leftarrow$"),
        Map.entry('−', "-"), Map.entry('–', "--"), Map.entry('—', "---"), Map.entry('…', "\\ldots{}"),
        Map.entry('²', "$^2$"), Map.entry('³', "$^3$"), Map.entry('ᵀ', "$^\\top$"), Map.entry('′', "$'$"),
        Map.entry('≤', "$\\le$"), Map.entry('≥', "$\\ge$"), Map.entry('≠', "$\\ne$"), Map.entry('√', "$\\surd$"),
        Map.entry('‖', "$\\|$"), Map.entry('ŷ', "$\\hat y$"), Map.entry('ℓ', "$\\ell$"), Map.entry('½', "$\\frac12$"),
        Map.entry('∈', "$\\in$"), Map.entry('≈', "$\\approx$"), Map.entry('°', "$^\\circ$"), Map.entry('μ', "$\\mu$"),
        Map.entry('ε', "$\\varepsilon$"), Map.entry('∇', "$\\nabla$"), Map.entry('“', "``"), Map.entry('”', "''"),
        Map.entry('’', "'"));

    /** Text escaped for LaTeX text mode. */
    public static String escapeText(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\textbackslash{}");
                case '{', '}', '$', '&', '#', '%', '_' -> sb.append('\\').append(c);
                case '^' -> sb.append("\\^{}");
                case '~' -> sb.append("\\textasciitilde{}");
                case '<' -> sb.append("$<$");
                case '>' -> sb.append("$>$");
                case '|' -> sb.append("$|$");
                default -> {
                    if (c < 128) sb.append(c);
                    else sb.append(UNICODE.getOrDefault(c, "?"));
                }
            }
        }
        return sb.toString();
    }

    /**
     * Prose for LaTeX: escaped, with {@code `code`} spans set in typewriter type.
     */
    public static String prose(String s) {
        StringBuilder sb = new StringBuilder();
        String[] parts = s.split("`", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i % 2 == 1 && i < parts.length - 1) sb.append("\\texttt{").append(escapeText(parts[i])).append('}');
            else sb.append(escapeText(i % 2 == 1 ? "`" + parts[i] : parts[i]));
        }
        return sb.toString();
    }
}
