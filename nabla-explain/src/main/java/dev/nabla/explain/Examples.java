package dev.nabla.explain;

import dev.nabla.explain.spec.JsonAt;
import dev.nabla.explain.spec.NetworkSpec;
import dev.nabla.explain.spec.SpecError;
import dev.nabla.explain.spec.SpecParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The built-in examples: the seeds' two worked examples as network specs ({@code seed-003},
 * {@code seed-004}) with the numbers their authors printed as claims ({@code seed-003.claims},
 * {@code seed-004.claims}). Usable wherever a file is expected, as {@code --example seed-003}.
 */
public final class Examples {
    private Examples() {}

    /** The names of the built-in specs. */
    public static final List<String> NAMES = List.of("seed-003", "seed-004");

    /** The spec of a built-in example; its name in messages is {@code seed-003.json}. */
    public static NetworkSpec spec(String name) { return SpecParser.parse(json(name + ".json")); }

    /** The parsed claims file of a built-in example ({@code seed-003.claims.json}). */
    public static JsonAt claims(String name) { return json(name + ".claims.json"); }

    /** A resource file of the examples, parsed; unknown names get a message listing the known ones. */
    public static JsonAt json(String file) {
        String base = file.replaceFirst("(\\.claims)?\\.json$", "");
        if (!NAMES.contains(base))
            throw new SpecError("--example " + base, "", "no such built-in example (there are " + String.join(", ", NAMES) + ")");
        return JsonAt.parse(file, text(file));
    }

    private static String text(String file) {
        try (InputStream in = Examples.class.getResourceAsStream("examples/" + file)) {
            if (in == null) throw new IllegalStateException("the built-in example " + file + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
