package dev.nabla.cli.teach;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Where a teaching command's text goes: the command's standard output, or a file written atomically. */
public final class Output {
    private Output() {}

    /** Writes text to the file (via a temporary file and a rename), or to out when file is null. */
    public static void write(String text, Path file, PrintWriter out) {
        if (file == null) {
            out.print(text.endsWith("\n") ? text : text + "\n");
            out.flush();
            return;
        }
        try {
            Path abs = file.toAbsolutePath();
            Path dir = abs.getParent();
            if (dir != null && !Files.isDirectory(dir))
                throw new IllegalArgumentException(file + ": the folder " + dir + " does not exist");
            Path tmp = Files.createTempFile(dir, ".nabla-", ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }
}
