package dev.nabla.explain.derive;

import java.util.ArrayList;
import java.util.List;

/** Plain text: numbered steps, equations with their right-hand sides aligned under the first '='. */
final class TextRenderer {
    private TextRenderer() {}

    static final int WIDTH = 100;

    static String render(String title, List<Step> steps) {
        StringBuilder sb = new StringBuilder();
        sb.append(title).append('\n').append("=".repeat(Math.min(title.length(), WIDTH))).append("\n");
        int k = 1;
        for (Step st : steps) {
            String head = k++ + ". " + st.title();
            sb.append('\n').append(head).append('\n').append("-".repeat(Math.min(head.length(), WIDTH))).append('\n');
            for (Step.Line line : st.lines()) {
                switch (line) {
                    case Step.Prose p -> sb.append(wrap(p.text().replace("`", ""), WIDTH, "")).append('\n');
                    case Step.Equation e -> sb.append(equation(e));
                    case Step.Table t -> sb.append(table(t));
                }
            }
        }
        return sb.toString();
    }

    static String equation(Step.Equation e) {
        StringBuilder sb = new StringBuilder();
        String lhs = "    " + e.lhs().text();
        String pad = " ".repeat(lhs.length());
        for (int i = 0; i < e.rhs().size(); i++) {
            String line = (i == 0 ? lhs : pad) + " = " + e.rhs().get(i).text();
            if (i == e.rhs().size() - 1 && e.note() != null) line += "    [" + e.note() + "]";
            sb.append(line.length() <= WIDTH ? line : wrapFormula(line, pad + "   ")).append('\n');
        }
        return sb.toString();
    }

    /** Breaks a long formula line after each matrix row ("], ["), else after the last ", " that fits. */
    static String wrapFormula(String line, String indent) {
        StringBuilder out = new StringBuilder();
        String rest = line;
        boolean first = true;
        while ((first ? 0 : indent.length()) + rest.length() > WIDTH) {
            int room = WIDTH - (first ? 0 : indent.length());
            int cut = rest.indexOf("], ["), end = cut + 2;   // one matrix row per line; keep "]," on this line
            if (cut > room) cut = -1;
            if (cut <= 0) {
                cut = rest.lastIndexOf(", ", room);
                end = cut + 1;
            }
            if (cut <= 0) break;
            out.append(first ? "" : indent).append(rest, 0, end).append('\n');
            rest = rest.substring(end + 1);
            first = false;
        }
        return out.append(first ? "" : indent).append(rest).toString();
    }

    static String table(Step.Table t) {
        List<List<String>> all = new ArrayList<>();
        all.add(t.header());
        all.addAll(t.rows());
        int cols = t.header().size();
        int[] w = new int[cols];
        for (List<String> r : all) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < all.size(); r++) {
            sb.append("    ");
            for (int i = 0; i < cols; i++) {
                String c = all.get(r).get(i);
                sb.append(c).append(i < cols - 1 ? " ".repeat(w[i] - c.length() + 2) : "");
            }
            sb.append('\n');
            if (r == 0) {
                sb.append("    ");
                for (int i = 0; i < cols; i++) sb.append("-".repeat(w[i])).append(i < cols - 1 ? "  " : "");
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** Greedy word wrap. */
    static String wrap(String s, int width, String indent) {
        StringBuilder out = new StringBuilder(), line = new StringBuilder(indent);
        for (String word : s.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
                out.append(line).append('\n');
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) line.append(' ');
            line.append(word);
        }
        return out.append(line).toString();
    }
}
