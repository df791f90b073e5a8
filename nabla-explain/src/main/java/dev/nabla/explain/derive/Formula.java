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
 * @param prec how tightly the piece binds: {@link #ATOM} (a symbol, a positive number, a matrix, a
 *             call), {@link #PRODUCT} (a product) or {@link #SUM} (a sum, a negative number); an
 *             operand that binds less tightly than its operator needs gets parentheses
 */
public record Formula(String text, String latex, int prec) {

    public static final int SUM = 1, PRODUCT = 2, ATOM = 3;

    /** Matrices larger than this in either direction are shown by shape with a few entries. */
    public static final int MAX_FULL = 6;
    /** How many leading rows and columns a large matrix shows. */
    static final int SHOWN = 3;

    public static Formula of(String text, String latex) { return new Formula(text, latex, ATOM); }

    /** A compound expression (gets parentheses when used as an operand). */
    public static Formula compound(String text, String latex) { return new Formula(text, latex, SUM); }

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
        return new Formula(s, latexNumber(s), s.startsWith("-") ? SUM : ATOM);
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
        if (rows > 1 || !vector) t.append('[');
        for (int r = 0; r < cells.size(); r++) {
            if (r > 0) { t.append(", "); l.append(" \\\\ "); }
            t.append('[').append(String.join(", ", cells.get(r))).append(bigC ? ", …" : "").append(']');
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
        if (rows > 1 || !vector) t.append(']');
        l.append("\\end{bmatrix}");
        String shape = rows + "×" + cols, lshape = rows + " \\times " + cols;
        if (bigR || bigC) {
            t.append(" (").append(shape).append(')');
            l.append("_{").append(lshape).append('}');
        }
        return of(t.toString(), l.toString());
    }

    /** Parenthesized unless atomic. */
    public Formula operand() { return atLeast(ATOM); }

    public Formula paren() { return new Formula("(" + text + ")", "\\left(" + latex + "\\right)", ATOM); }

    private Formula atLeast(int p) { return prec >= p ? this : paren(); }

    private Formula bin(String t, String l, Formula o, int p) {
        return new Formula(text + t + o.text, latex + l + o.latex, p);
    }

    public Formula plus(Formula o) { return bin(" + ", " + ", o.text.startsWith("-") ? o.paren() : o, SUM); }
    public Formula minus(Formula o) { return bin(" - ", " - ", o.atLeast(PRODUCT), SUM); }
    public Formula eq(Formula o) { return bin(" = ", " = ", o, SUM); }

    /** Juxtaposition (matrix product, or a factor before a symbol): "x Wᵀ". */
    public Formula times(Formula o) { return atLeast(PRODUCT).bin(" ", " ", o.atLeast(PRODUCT), PRODUCT); }

    /** A product written with a dot: "0.5 · 2". */
    public Formula dot(Formula o) { return atLeast(PRODUCT).bin(" · ", " \\cdot ", o.atLeast(PRODUCT), PRODUCT); }

    /** Element-wise (Hadamard) product ⊙. */
    public Formula odot(Formula o) { return atLeast(PRODUCT).bin(" ⊙ ", " \\odot ", o.atLeast(PRODUCT), PRODUCT); }

    /** The transpose: xᵀ. */
    public Formula t() { Formula o = operand(); return of(o.text + "ᵀ", "{" + o.latex + "}^{\\top}"); }

    /** A square: x². */
    public Formula squared() { Formula o = operand(); return of(o.text + "²", "{" + o.latex + "}^{2}"); }

    /** Indexing: x[0][2] (0-based, as the output's paths). */
    public Formula at(int... index) {
        StringBuilder sb = new StringBuilder();
        for (int i : index) sb.append('[').append(i).append(']');
        Formula o = operand();
        return of(o.text + sb, o.latex + sb);
    }

    /** A function applied: σ(z). */
    public static Formula call(String textName, String latexName, Formula arg) {
        return of(textName + "(" + arg.text + ")", latexName + "\\left(" + arg.latex + "\\right)");
    }

    /** ∂num/∂den. */
    public static Formula partial(Formula num, Formula den) {
        return of("∂" + num.text + "/∂" + den.text, "\\frac{\\partial " + num.latex + "}{\\partial " + den.latex + "}");
    }

    /** num/den. */
    public static Formula frac(Formula num, Formula den) {
        return of(num.operand().text + "/" + den.operand().text, "\\frac{" + num.latex + "}{" + den.latex + "}");
    }

    /** Σ_{sub} body. */
    public static Formula sum(String sub, Formula body) {
        return compound("Σ_" + sub + " " + body.operand().text, "\\sum_{" + sub + "} " + body.operand().latex);
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
