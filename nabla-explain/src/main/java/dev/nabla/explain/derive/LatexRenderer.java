package dev.nabla.explain.derive;

import java.util.List;

/**
 * A complete LaTeX document (article class, amsmath and amssymb only): a subsection per step, prose
 * escaped for text mode, consecutive equations in one {@code align*}, tables as {@code tabular}.
 * Every character outside ASCII is mapped to LaTeX, so plain pdflatex compiles it.
 */
final class LatexRenderer {
    private LatexRenderer() {}

    static String render(String title, List<Step> steps) {
        StringBuilder sb = new StringBuilder();
        sb.append("\\documentclass[10pt]{article}\n")
          .append("\\usepackage{amsmath}\n\\usepackage{amssymb}\n")
          .append("\\setlength{\\textwidth}{7in}\n\\setlength{\\oddsidemargin}{-0.25in}\n\\setlength{\\evensidemargin}{-0.25in}\n")
          .append("\\setlength{\\arraycolsep}{3pt}\n")
          .append("\\allowdisplaybreaks\n\\setcounter{MaxMatrixCols}{20}\n")
          .append("\\title{").append(Latex.escapeText(title)).append("}\n\\date{}\n")
          .append("\\begin{document}\n\\maketitle\n");
        int k = 1;
        for (Step st : steps) {
            sb.append("\n\\subsection*{").append(k++).append(". ").append(Latex.prose(st.title())).append("}\n");
            List<Step.Line> lines = st.lines();
            for (int i = 0; i < lines.size(); i++) {
                switch (lines.get(i)) {
                    case Step.Prose p -> sb.append(Latex.prose(p.text())).append("\n\n");
                    case Step.Table t -> sb.append(table(t)).append('\n');
                    case Step.Equation ignored -> {
                        sb.append("{\\small\n\\begin{align*}\n");
                        int j = i;
                        while (j < lines.size() && lines.get(j) instanceof Step.Equation e) {
                            sb.append(MarkdownRenderer.aligned(e, j + 1 < lines.size() && lines.get(j + 1) instanceof Step.Equation));
                            j++;
                        }
                        sb.append("\\end{align*}\n}\n\n");
                        i = j - 1;
                    }
                }
            }
        }
        return sb.append("\\end{document}\n").toString();
    }

    static String table(Step.Table t) {
        int cols = t.header().size();
        // the last column wraps (a long matrix in a summary)
        StringBuilder sb = new StringBuilder("\\begin{center}\n\\begin{tabular}{").append("l".repeat(cols - 1))
            .append("p{0.45\\textwidth}}\n\\hline\n");
        sb.append(row(t.header())).append("\\hline\n");
        for (List<String> r : t.rows()) sb.append(row(r));
        return sb.append("\\hline\n\\end{tabular}\n\\end{center}\n").toString();
    }

    private static String row(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) sb.append(i > 0 ? " & " : "").append(Latex.prose(cells.get(i)));
        return sb.append(" \\\\\n").toString();
    }
}
