package dev.nabla.explain.check;

import dev.nabla.explain.Examples;
import dev.nabla.explain.spec.JsonAt;
import dev.nabla.explain.spec.NetworkSpec;
import dev.nabla.explain.spec.SpecParser;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A claims file (docs/spec-format.md, "Claims"): the spec it is about (a path relative to the claims file),
 * the claimed numbers as strings by output path, and optional labels by the same paths.
 */
public record ClaimsFile(String file, NetworkSpec spec, List<Claim> claims) {

    private static final Set<String> FIELDS = Set.of("spec", "claims", "labels");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    public ClaimsFile {
        claims = List.copyOf(claims);
    }

    /** Reads a claims file and the spec it names (relative to the claims file's folder). */
    public static ClaimsFile read(Path file) {
        JsonAt root = JsonAt.read(file);
        return parse(root, specName -> {
            Path p = file.resolveSibling(specName);
            if (!Files.isRegularFile(p))
                throw root.field("spec").error("names " + p + ", which does not exist (the spec path is relative to the claims file)");
            return SpecParser.read(p);
        });
    }

    /** The claims of a built-in example ({@code seed-003}), with its built-in spec. */
    public static ClaimsFile example(String name) {
        return parse(Examples.claims(name), specName -> Examples.spec(specName.replaceFirst("\\.json$", "")));
    }

    /** Parses claims; specLoader turns the spec field into a spec. */
    public static ClaimsFile parse(JsonAt root, Function<String, NetworkSpec> specLoader) {
        root.object("a JSON object with spec, claims and (optionally) labels", FIELDS);
        JsonAt specAt = root.required("spec", "the path of the network spec, relative to this file");
        String specName = specAt.string("the path of the network spec, relative to this file");
        JsonAt claimsAt = root.required("claims", "an object of claimed numbers by output path");
        claimsAt.object("an object of claimed numbers by output path, such as {\"loss\": \"1.73\"}", allKeys(claimsAt));
        if (claimsAt.node().isEmpty()) throw claimsAt.error("is empty, expected at least one claim");

        Map<String, String> labels = new LinkedHashMap<>();
        JsonAt labelsAt = root.field("labels");
        if (!labelsAt.isAbsent()) {
            labelsAt.object("an object of names by output path", allKeys(labelsAt));
            for (Iterator<String> it = labelsAt.node().fieldNames(); it.hasNext(); ) {
                String k = it.next();
                JsonAt l = labelsAt.field(k);
                if (!claimsAt.node().has(k)) throw l.error("labels a path that has no claim");
                labels.put(k, l.string("a label (a string)"));
            }
        }

        List<Claim> claims = new ArrayList<>();
        for (Iterator<String> it = claimsAt.node().fieldNames(); it.hasNext(); ) {
            String k = it.next();
            JsonAt c = claimsAt.field(k);
            ClaimPath path = ClaimPath.parse(k);
            if (path == null) throw c.error("unknown path '" + k + "' (expected one of " + ClaimPath.GRAMMAR + ")");
            if (c.node().isNumber())
                throw c.error("expected the number as a string, such as \"" + c.node().asText()
                    + "\", so that its printed decimals are kept; found a number");
            String text = c.string("the claimed number as a string, such as \"1.73\"").strip();
            String normalized = text.replace('\u2212', '-');
            if (!NUMBER.matcher(normalized).matches())
                throw c.error("'" + text + "' is not a number (write it as printed, such as \"-0.0579\")");
            claims.add(new Claim(path, text, new BigDecimal(normalized), labels.get(k), c.path()));
        }
        NetworkSpec spec = specLoader.apply(specName);
        return new ClaimsFile(root.file(), spec, claims);
    }

    private static Set<String> allKeys(JsonAt at) {
        Set<String> s = new java.util.HashSet<>();
        if (at.node() != null && at.node().isObject()) at.node().fieldNames().forEachRemaining(s::add);
        return s;
    }
}
