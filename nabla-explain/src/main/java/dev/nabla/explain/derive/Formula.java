package dev.nabla.explain.derive;

import dev.nabla.array.NdArray;
import dev.nabla.explain.Numbers;

import java.util.ArrayList;
import java.util.List;

/**
 * A piece of mathematics held in two renderings at once: plain text with Unicode symbols
 * ({@code ∂L/∂W_hidden = δ_hiddenᵀ x}) and LaTeX math ({@code \frac{\partial L}{\partial W_{\mathrm{hidden}}}}).
 * Built with small combinators so that one derivation serves every output format.
 *
 * <p>The LaTeX may hold break points (at the top level of sums and products, never inside
 * parentheses or arguments), where a renderer may start a new line when the formula is wide;
 * {@link #latex()} has them removed, {@link #latexBroken(String)} replaces them.
 *
 * @param prec  how tightly the piece binds: {@link #ATOM} (a symbol, a positive number, a matrix, a
 *              call), {@link #PRODUCT} (a product) or {@link #SUM} (a sum, a negative number); an
 *              operand that binds less tightly than its operator needs gets parentheses
 * @param width the estimated width when typeset, in characters (a matrix counts its widest row)
 */
public record Formula(String text, String rawLatex, int prec, int width) {

    public static final int SUM = 1, PRODUCT = 2, ATOM = 3;

    /** Matrices larger than this in either direction are shown by shape with a few entries. */
    public static final int MAX_FULL = 6;
    /** How many leading rows and columns a large matrix shows. */
    static final int SHOWN = 3;
    /** Marks a place in the LaTeX where a line may break. */
    private static final String BREAK = "\u0001";

    public static Formula of(String text, String latex) { return new Formula(text, latex, ATOM, text.length()); }

    /** A compound expression (gets parentheses when used as an operand). */
    public static Formula compound(String text, String latex) { return new Formula(text, latex, SUM, text.length()); }

    /** A product-like expression, such as 2(ŷ − y). */
    public static Formula product(String text, String latex) { return new Formula(text, latex, PRODUCT, text.length()); }

    /** The LaTeX without break points. */
    public String latex() { return rawLatex.replace(BREAK, ""); }

    /** The LaTeX with every break point replaced by the given text (such as a new aligned row). */
    public String latexBroken(String lineBreak) { return rawLatex.replace(BREAK, lineBreak); }

    /** A symbol with an optional subscript tag: W_hidden, z_1. Tags are letters and digits only. */
    public static Formula sym(String base, String tag) { return sym(base, base, tag); }

    /** A symbol whose text and LaTeX bases differ (δ / \delta). */
    public static Formula sym(String textBase, String latexBase, String tag) {
        if (tag == null || tag.isEmpty()) return of(textBase, latexBase);
        String lt = tag.length() == 1 ? tag : "\\mathrm{" + tag + "}";
        return of(textBase + "_" + tag, latexBase + "_{" + lt + "}");
    }

    /** A number with {@link Numbers#DIGITS} significant digits. */
    public static Formula num(double v) {
        String s = Numbers.format(v);
        return new Formula(s, latexNumber(s), s.startsWith("-") ? SUM : ATOM, s.length());
    }

    private static String latexNumber(String s) {
        int e = s.indexOf('e');
        if (e < 0) return s;
        return s.substring(0, e) + " \\times 10^{" + Integer.parseInt(s.substring(e + 1)) + "}";
    }

    /** A 1-d or 2-d array written out, or, when larger than {@link #MAX_FULL}, its leading entries and its shape. */
    public static Formula mat(NdArray a) {
        if (a.rank() == 0) return num(a.item());
        boolean vector = a.rank() == 1;
        int rows = vector ? 1 : a.size(0), cols = vector ? a.size(0) : a.size(1);
        boolean bigR = rows > MAX_FULL, bigC = cols > MAX_FULL;
        int showR = bigR ? SHOWN : rows, showC = bigC ? SHOWN : cols;
        List<List<String>> cells = new ArrayList<>();
        for (int r = 0; r < showR; r++) {
            List<String> row = new ArrayList<>();
            for (int c = 0; c < showC; c++) row.add(Numbers.format(vector ? a.get(c) : a.get(r, c)));
            cells.add(row);
        }
        StringBuilder t = new StringBuilder(), l = new StringBuilder("\\begin{bmatrix}");
        int width = 0;
        if (!vector) t.append('[');
        for (int r = 0; r < cells.size(); r++) {
            if (r > 0) { t.append(", "); l.append(" \\\\ "); }
            String row = String.join(", ", cells.get(r));
            width = Math.max(width, row.length() + 2 + (bigC ? 4 : 0));
            t.append('[').append(row).append(bigC ? ", …" : "").append(']');
            List<String> lc = new ArrayList<>();
            for (String s : cells.get(r)) lc.add(latexNumber(s));
            l.append(String.join(" & ", lc)).append(bigC ? " & \\cdots" : "");
        }
        if (bigR) {
            t.append(", …");
            l.append(" \\\\ \\vdots");
            for (int c = 1; c < showC; c++) l.append(" & \\vdots");
            if (bigC) l.append(" & \\ddots");
        }
        if (!vector) t.append(']');
        l.append("\\end{bmatrix}");
        if (bigR || bigC) {
            t.append(" (").append(rows).append('×').append(cols).append(')');
            l.append("_{").append(rows).append(" \\times ").append(cols).append('}');
        }
        return new Formula(t.toString(), l.toString(), ATOM, width);
    }

    /** Parenthesized unless atomic. */
    public Formula operand() { return atLeast(ATOM); }

    public Formula paren() { return new Formula("(" + text + ")", "\\left(" + latex() + "\\right)", ATOM, width + 2); }

    private Formula atLeast(int p) { return prec >= p ? this : paren(); }

    /** this op o, with a break point before the operator. */
    private Formula bin(String t, String l, Formula o, int p) {
        return new Formula(text + t + o.text, rawLatex + BREAK + l + o.rawLatex, p, width + t.length() + o.width);
    }

    public Formula plus(Formula o) { return bin(" + ", " + ", o.text.startsWith("-") ? o.paren() : o, SUM); }
    public Formula minus(Formula o) { return bin(" - ", " - ", o.atLeast(PRODUCT), SUM); }
    public Formula eq(Formula o) { return new Formula(text + " = " + o.text, latex() + " = " + o.latex(), SUM, width + 3 + o.width); }

    /** Juxtaposition (matrix product, or a factor before a symbol): "x Wᵀ". */
    public Formula times(Formula o) { return atLeast(PRODUCT).bin(" ", " ", o.atLeast(PRODUCT), PRODUCT); }

    /** A product written with a dot: "0.5 · 2". */
    public Formula dot(Formula o) { return atLeast(PRODUCT).bin(" · ", " \\cdot ", o.atLeast(PRODUCT), PRODUCT); }

    /** Element-wise (Hadamard) product ⊙. */
    public Formula odot(Formula o) { return atLeast(PRODUCT).bin(" ⊙ ", " \\odot ", o.atLeast(PRODUCT), PRODUCT); }

    /** The transpose: xᵀ. */
    public Formula t() { Formula o = operand(); return new Formula(o.text + "ᵀ", "{" + o.latex() + "}^{\\top}", ATOM, o.width + 1); }

    /** A square: x². */
    public Formula squared() { Formula o = operand(); return new Formula(o.text + "²", "{" + o.latex() + "}^{2}", ATOM, o.width + 1); }

    /** Indexing: x[0][2] (0-based, as the output's paths). */
    public Formula at(int... index) {
        StringBuilder sb = new StringBuilder();
        for (int i : index) sb.append('[').append(i).append(']');
        Formula o = operand();
        return new Formula(o.text + sb, o.latex() + sb, ATOM, o.width + sb.length());
    }

    /** A function applied: σ(z). */
    public static Formula call(String textName, String latexName, Formula arg) {
        return new Formula(textName + "(" + arg.text + ")", latexName + "\\left(" + arg.latex() + "\\right)", ATOM,
            textName.length() + 2 + arg.width);
    }

    /** ∂num/∂den. */
    public static Formula partial(Formula num, Formula den) {
        return new Formula("∂" + num.text + "/∂" + den.text, "\\frac{\\partial " + num.latex() + "}{\\partial " + den.latex() + "}",
            ATOM, 1 + Math.max(num.width, den.width));
    }

    /** Σ_{sub} body. */
    public static Formula sum(String sub, Formula body) {
        Formula b = body.operand();
        return new Formula("Σ_" + sub + " " + b.text, "\\sum_{" + sub + "} " + b.latex(), SUM, 3 + b.width);
    }

    /** Words inside a formula. */
    public static Formula words(String s) {
        return of(s, "\\text{" + Latex.escapeText(s) + "}");
    }

    /** Terms joined by " + ", for a sum written out. */
    public static Formula joinPlus(List<Formula> terms) {
        Formula f = terms.getFirst();
        for (int i = 1; i < terms.size(); i++) f = f.plus(terms.get(i));
        return f;
    }
}
