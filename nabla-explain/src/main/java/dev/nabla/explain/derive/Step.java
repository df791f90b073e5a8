package dev.nabla.explain.derive;

import java.util.List;

/**
 * One step of a derivation: a title and its lines, each a sentence, an equation or a table.
 * Renderers turn steps into text, Markdown or LaTeX.
 */
public record Step(String title, List<Line> lines) {

    public Step {
        lines = List.copyOf(lines);
    }

    /** A line of a step. */
    public sealed interface Line {}

    /** A sentence; {@code `code`} spans are set as code. */
    public record Prose(String text) implements Line {}

    /**
     * lhs = rhs₁ = rhs₂ = …, each right-hand side on its own line (the formula, the numbers put in,
     * the result); note (may be null) says where the result lives in the output (such as {@code deltas.2}).
     */
    public record Equation(Formula lhs, List<Formula> rhs, String note) implements Line {
        /** Consecutive right-hand sides that read the same are shown once. */
        public Equation {
            List<Formula> kept = new java.util.ArrayList<>();
            for (Formula f : rhs) if (kept.isEmpty() || !kept.getLast().text().equals(f.text())) kept.add(f);
            rhs = List.copyOf(kept);
        }
    }

    /** A small table of words and numbers. */
    public record Table(List<String> header, List<List<String>> rows) implements Line {
        public Table {
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
        }
    }
}
