package dev.nabla.cli.teach;

import dev.nabla.explain.Examples;
import dev.nabla.explain.spec.NetworkSpec;
import dev.nabla.explain.spec.SpecParser;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * The network a teaching command works on: a spec file, or a built-in example
 * ({@code --example seed-003}). Exactly one of the two.
 */
public final class SpecSource {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC.json",
        description = "A network spec (see docs/spec-format.md).")
    Path file;

    @Option(names = "--example", paramLabel = "NAME",
        description = "Use a built-in example instead of a file: seed-003 or seed-004.")
    String example;

    /** Reads and checks the spec; a bad spec raises a one-line error naming file and JSON path. */
    public NetworkSpec load() {
        requireOne(file, example, "SPEC.json");
        return example != null ? Examples.spec(example) : SpecParser.read(file);
    }

    static void requireOne(Path file, String example, String what) {
        if (file != null && example != null)
            throw new IllegalArgumentException("give either " + what + " or --example NAME, not both");
        if (file == null && example == null)
            throw new IllegalArgumentException("give " + what + " or --example NAME (one of " + String.join(", ", Examples.NAMES) + ")");
    }
}
