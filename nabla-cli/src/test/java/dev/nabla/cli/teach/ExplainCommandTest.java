package dev.nabla.cli.teach;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nabla explain}: the derivation of both worked examples in every format, with their key numbers. */
class ExplainCommandTest {

    /** The worked example's exact numbers, as the explanation prints them (6 significant digits). */
    static List<String> keyNumbers(String example) throws IOException {
        JsonNode ex = null;
        for (JsonNode e : Cli.resource("worked-examples.json").get("examples"))
            if (e.get("id").asText().startsWith(example)) ex = e;
        JsonNode expected = ex.get("expected");
        List<String> out = new ArrayList<>();
        out.add(six(expected.get("loss").asDouble()));
        out.add(six(expected.get("loss_after").asDouble()));
        expected.get("activations").forEach(a -> a.forEach(row -> row.forEach(v -> out.add(six(v.asDouble())))));
        expected.get("gradients").forEach(g -> collect(g, out));
        expected.get("updated").forEach(g -> collect(g, out));
        return out;
    }

    private static void collect(JsonNode n, List<String> out) {
        if (n.isNumber()) out.add(six(n.asDouble()));
        else n.forEach(c -> collect(c, out));
    }

    private static String six(double v) {
        if (v == 0) return "0";
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"seed-003, text", "seed-003, markdown", "seed-003, latex", "seed-004, text", "seed-004, markdown", "seed-004, latex"})
    void containsTheKeyNumbers(String example, String format) throws IOException {
        Cli.Result r = Cli.run("explain", "--example", example, "--format", format);
        assertEquals(0, r.exit(), r.err());
        for (String number : keyNumbers(example)) assertTrue(r.out().contains(number), example + " " + format + " lacks " + number);
    }

    @Test
    void textShowsTheChainRuleWithItsFactors() {
        String out = Cli.run("explain", "--example", "seed-003").out();
        // the forward step written out entry by entry
        assertTrue(out.contains("(-0.1)(0.18) + (0.19)(2.42) + (0.49)(1.34) + (-0.36)"), out);
        // an error signal as the product of its factors: dL/da ⊙ σ'(z) with the numbers
        assertTrue(out.contains("δ_hidden = ∂L/∂z_hidden = ∂L/∂a_hidden ⊙ σ′(z_hidden)"), out);
        assertTrue(out.contains("[[-0.113962, 0.309975]] ⊙ [[0.218796, 0.207259]]"), out);
        // a weight gradient as δᵀ x
        assertTrue(out.contains("∂L/∂W_hidden = δ_hiddenᵀ x"), out);
        // the update and the loss after it
        assertTrue(out.contains("W_output′ = W_output - η ∂L/∂W_output"), out);
        assertTrue(out.contains("L′ = 1.55575"), out);
        // names from the spec
        assertTrue(out.contains("linear \"hidden\""), out);
    }

    @Test
    void largeMatricesAreShownByShape(@TempDir Path dir) throws IOException {
        StringBuilder w = new StringBuilder("[");
        for (int i = 0; i < 8; i++) w.append(i > 0 ? "," : "").append("[0.1, -0.2, 0.3, 0.4, 0.5, 0.6, 0.7, -0.8, 0.9, 0.05]");
        String spec = "{\"input\": [[1,2,3,4,5,6,7,8,9,10]], \"target\": [1], \"layers\": [{\"type\": \"linear\", \"weight\": "
            + w + "]}], \"loss\": {\"type\": \"cross_entropy\"}}";
        Path f = dir.resolve("wide.json");
        Files.writeString(f, spec);
        Cli.Result r = Cli.run("explain", f.toString());
        assertEquals(0, r.exit(), r.err());
        String flat = r.out().replaceAll("\\s*\n\\s*", " ");   // long lines are wrapped
        assertTrue(flat.contains("[[0.1, -0.2, 0.3, …], [0.1, -0.2, 0.3, …], [0.1, -0.2, 0.3, …], …] (8×10)"), r.out());
        Cli.Result tex = Cli.run("explain", f.toString(), "--format", "latex");
        assertTrue(tex.out().contains("\\cdots") && tex.out().contains("_{8 \\times 10}"), tex.out());
        assertLatexWellFormed(tex.out());
    }

    @ParameterizedTest
    @CsvSource({"seed-003", "seed-004"})
    void markdownUsesMathBlocks(String example) {
        String md = Cli.run("explain", "--example", example, "--format", "markdown").out();
        assertTrue(md.startsWith("# Backpropagation, step by step"), md);
        assertTrue(md.contains("\n```math\n\\begin{aligned}\n"), md);
        assertEquals(count(md, "```math"), count(md, "\\end{aligned}\n```"), "every math block is closed");
        assertEquals(0, count(md, "```") % 2, "fences are balanced");
        for (String block : md.split("```math")) {
            String body = block.contains("```") ? block.substring(0, block.indexOf("```")) : "";
            assertBalancedBraces(body);
        }
    }

    @ParameterizedTest
    @CsvSource({"seed-003", "seed-004"})
    void latexIsACompleteDocument(String example, @TempDir Path dir) throws Exception {
        String tex = Cli.run("explain", "--example", example, "--format", "latex").out();
        assertTrue(tex.startsWith("\\documentclass"), tex);
        assertTrue(tex.contains("\\usepackage{amsmath}"), tex);
        assertLatexWellFormed(tex);
        Path pdflatex = onPath("pdflatex");
        Assumptions.assumeTrue(pdflatex != null, "pdflatex is not installed: compiled check skipped (structure checked above)");
        Files.writeString(dir.resolve("explain.tex"), tex);
        Process p = new ProcessBuilder(pdflatex.toString(), "-interaction=nonstopmode", "-halt-on-error", "explain.tex")
            .directory(dir.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "pdflatex finished");
        assertEquals(0, p.exitValue(), log.length() > 3000 ? log.substring(log.length() - 3000) : log);
        assertTrue(Files.size(dir.resolve("explain.pdf")) > 1000);
    }

    /** ASCII only, braces balanced, \begin/\end matched and nested, math delimiters paired. */
    static void assertLatexWellFormed(String tex) {
        for (int i = 0; i < tex.length(); i++)
            assertTrue(tex.charAt(i) < 128, "non-ASCII character '" + tex.charAt(i) + "' at " + i + ": "
                + tex.substring(Math.max(0, i - 40), Math.min(tex.length(), i + 40)));
        assertBalancedBraces(tex);
        Deque<String> envs = new ArrayDeque<>();
        Matcher m = Pattern.compile("\\\\(begin|end)\\{([^}]*)}").matcher(tex);
        while (m.find()) {
            if (m.group(1).equals("begin")) envs.push(m.group(2));
            else assertEquals(envs.isEmpty() ? "(none)" : envs.pop(), m.group(2), "\\end{" + m.group(2) + "} at " + m.start());
        }
        assertTrue(envs.isEmpty(), "unclosed environments " + envs);
        String unescaped = tex.replace("\\$", "");
        assertEquals(0, count(unescaped, "$") % 2, "inline math delimiters are paired");
        assertTrue(tex.strip().endsWith("\\end{document}"));
        assertFalse(Pattern.compile("(?<!\\\\)[#%]").matcher(tex).find(), "unescaped # or %");
    }

    static void assertBalancedBraces(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) { i++; continue; }   // \{ \} \\ are not grouping
            if (c == '{') depth++;
            if (c == '}') depth--;
            assertTrue(depth >= 0, "unbalanced '}' at " + i + ": " + s.substring(Math.max(0, i - 40), Math.min(s.length(), i + 10)));
        }
        assertEquals(0, depth, "unbalanced '{'");
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) n++;
        return n;
    }

    static Path onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d, exe);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}
