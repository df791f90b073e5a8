package dev.nabla.explain.derive;

import java.util.List;

/**
 * GitHub-flavoured Markdown: a heading per step, prose as paragraphs, consecutive equations in one
 * {@code ```math} block (an {@code aligned} environment, which GitHub renders), tables as pipe tables.
 */
final class MarkdownRenderer {
    private MarkdownRenderer() {}

    static String render(String title, List<Step> steps) {
        StringBuilder sb = new StringBuilder("# ").append(escape(title)).append("\n");
        int k = 1;
        for (Step st : steps) {
            sb.append("\n## ").append(k++).append(". ").append(escape(st.title())).append("\n\n");
            List<Step.Line> lines = st.lines();
            for (int i = 0; i < lines.size(); i++) {
                switch (lines.get(i)) {
                    case Step.Prose p -> sb.append(escapeProse(p.text())).append("\n\n");
                    case Step.Table t -> sb.append(table(t)).append('\n');
                    case Step.Equation ignored -> {
                        sb.append("```math\n\\begin{aligned}\n");
                        int j = i;
                        while (j < lines.size() && lines.get(j) instanceof Step.Equation e) {
                            sb.append(aligned(e, j + 1 < lines.size() && lines.get(j + 1) instanceof Step.Equation));
                            j++;
                        }
                        sb.append("\\end{aligned}\n```\n\n");
                        i = j - 1;
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Right-hand sides wider than this (in characters) are broken over several rows. */
    static final int WIDE = 90;

    /** One equation as rows of an aligned environment: lhs &= rhs₁ \\ &= rhs₂ ... */
    static String aligned(Step.Equation e, boolean more) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < e.rhs().size(); i++) {
            Formula r = e.rhs().get(i);
            String latex = r.width() > WIDE ? r.latexBroken(" \\\\\n&\\quad ") : r.latex();
            sb.append(i == 0 ? e.lhs().latex() + " " : "").append("&= ").append(latex);
            boolean last = i == e.rhs().size() - 1;
            if (last && e.note() != null) sb.append(" \\quad \\text{[").append(Latex.escapeText(e.note())).append("]}");
            if (!last || more) sb.append(" \\\\");
            sb.append('\n');
        }
        return sb.toString();
    }

    static String table(Step.Table t) {
        StringBuilder sb = new StringBuilder("|");
        for (String h : t.header()) sb.append(' ').append(cell(h)).append(" |");
        sb.append("\n|");
        for (int i = 0; i < t.header().size(); i++) sb.append(" --- |");
        sb.append('\n');
        for (List<String> r : t.rows()) {
            sb.append('|');
            for (String c : r) sb.append(' ').append(cell(c)).append(" |");
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String cell(String s) { return s.isEmpty() ? "" : "`" + s.replace("|", "\\|").replace("`", "'") + "`"; }

    /**
     * Characters Markdown would take as markup in plain words. Brackets stay as they are: a
     * backslash-bracket could be read as a math delimiter, and no prose here has the "](" of a link.
     */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;").replace("$", "\\$")
            .replace("|", "\\|");
    }

    /** Prose: escaped outside `code` spans, which stay as code. */
    static String escapeProse(String s) {
        String[] parts = s.split("`", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i % 2 == 1 && i < parts.length - 1) sb.append('`').append(parts[i]).append('`');
            else sb.append(escape(i % 2 == 1 ? "`" + parts[i] : parts[i]));
        }
        return sb.toString();
    }
}
