package dev.nabla.explain.derive;

import java.util.List;
import java.util.Locale;

/** The output formats of an explanation. */
public enum Format {
    /** Plain text with Unicode symbols, for a terminal. */
    TEXT,
    /** GitHub-flavoured Markdown with math blocks. */
    MARKDOWN,
    /** A complete LaTeX document (amsmath). */
    LATEX;

    /** Renders steps in this format under a title. */
    public String render(String title, List<Step> steps) {
        return switch (this) {
            case TEXT -> TextRenderer.render(title, steps);
            case MARKDOWN -> MarkdownRenderer.render(title, steps);
            case LATEX -> LatexRenderer.render(title, steps);
        };
    }

    /** text, markdown (md) or latex (tex), any case; null when unknown. */
    public static Format parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "text", "txt" -> TEXT;
            case "markdown", "md" -> MARKDOWN;
            case "latex", "tex" -> LATEX;
            default -> null;
        };
    }
}
