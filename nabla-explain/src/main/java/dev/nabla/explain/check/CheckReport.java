package dev.nabla.explain.check;

import dev.nabla.explain.Numbers;

import java.util.ArrayList;
import java.util.List;

/** The verdicts on every claim of a claims file, and their rendering as a table with notes. */
public record CheckReport(ClaimsFile file, List<Verdict> verdicts) {

    public CheckReport {
        verdicts = List.copyOf(verdicts);
    }

    public boolean allRight() { return verdicts.stream().allMatch(Verdict::right); }

    public List<Verdict> wrong() { return verdicts.stream().filter(v -> !v.right()).toList(); }

    /**
     * A plain-text table (label, path, claimed, exact, verdict), a count, and one note per wrong claim
     * saying what slip it looks like and why.
     */
    public String render() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"label", "path", "claimed", "exact", "verdict"});
        for (Verdict v : verdicts)
            rows.add(new String[] {v.claim().label() == null ? "" : v.claim().label(), v.claim().path().text(),
                v.claim().text(), Numbers.format(v.exact()), v.words()});
        int[] w = new int[5];
        for (String[] r : rows) for (int i = 0; i < 5; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        sb.append("Claims in ").append(file.file()).append(" about ").append(file.spec().file());
        if (file.spec().name() != null) sb.append(" (").append(file.spec().name()).append(')');
        sb.append("\n\n");
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            for (int i = 0; i < 5; i++) {
                boolean numeric = r > 0 && (i == 2 || i == 3);
                String cell = numeric ? " ".repeat(w[i] - row[i].length()) + row[i] : row[i] + (i < 4 ? " ".repeat(w[i] - row[i].length()) : "");
                sb.append(cell).append(i < 4 ? "  " : "");
            }
            sb.append('\n');
            if (r == 0) {
                for (int i = 0; i < 5; i++) sb.append("-".repeat(w[i])).append(i < 4 ? "  " : "");
                sb.append('\n');
            }
        }
        List<Verdict> wrong = wrong();
        long offByOne = verdicts.stream().filter(Verdict::lastDigitOff).count();
        sb.append('\n').append(verdicts.size()).append(" claims: ").append(verdicts.size() - wrong.size()).append(" right");
        if (offByOne > 0) sb.append(" (").append(offByOne).append(" of them one unit off in the last digit, which the rule allows)");
        sb.append(", ").append(wrong.size()).append(" wrong.\n");
        sb.append("Rule: a claim with d decimals is right when it is within one unit of the last place (10^-d) of the exact value rounded to d decimals.\n");
        if (!wrong.isEmpty()) {
            sb.append("\nWrong claims:\n");
            for (Verdict v : wrong)
                sb.append("- ").append(v.claim().label() != null ? v.claim().label() + " (" + v.claim().path().text() + ")"
                    : v.claim().path().text()).append(" = ")
                  .append(v.claim().text()).append(", exact ").append(Numbers.format(v.exact())).append(": ")
                  .append(v.slip().words()).append(": ").append(v.explanation()).append(".\n");
        }
        return sb.toString();
    }
}
