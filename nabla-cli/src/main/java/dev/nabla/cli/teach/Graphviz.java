package dev.nabla.cli.teach;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/** Runs Graphviz's {@code dot} to draw a DOT graph, when it is installed. */
public final class Graphviz {
    private Graphviz() {}

    /** The dot executable on PATH, or null when there is none. */
    public static Path find() {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            for (String name : new String[] {"dot", "dot.exe"}) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
            }
        }
        return null;
    }

    /** Renders DOT text to an SVG file (written to a temporary file, then renamed). */
    public static void renderSvg(Path dotExe, String dot, Path svg) {
        try {
            Path abs = svg.toAbsolutePath();
            Path tmp = Files.createTempFile(abs.getParent(), ".nabla-", ".svg");
            Process p = new ProcessBuilder(dotExe.toString(), "-Tsvg", "-o", tmp.toString())
                .redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(dot.getBytes(StandardCharsets.UTF_8));
            }
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                Files.deleteIfExists(tmp);
                throw new UncheckedIOException("Graphviz's dot did not finish within 60 s", new IOException("timeout"));
            }
            if (p.exitValue() != 0) {
                Files.deleteIfExists(tmp);
                String why = "Graphviz's dot failed (exit " + p.exitValue() + "): " + log.replaceAll("\\s+", " ");
                throw new UncheckedIOException(why, new IOException(why));
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(svg + ": cannot write the SVG (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException("interrupted while Graphviz's dot was running", new IOException("interrupted"));
        }
    }
}
