package dev.nabla.explain.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A JSON value together with the file it came from and its path inside it, so that every problem
 * found while reading it becomes a {@link SpecError} naming both ({@code seed.json: loss.type: ...}).
 * A missing field is a JsonAt whose node is null.
 */
public record JsonAt(String file, String path, JsonNode node) {

    private static final JsonMapper MAPPER = JsonMapper.builder()
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)   // so that NaN gets our message, not a parse error
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Reads and parses a JSON file; the file name in messages is the path as given. */
    public static JsonAt read(Path file) {
        String name = file.toString();
        try {
            return parse(name, Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new SpecError(name, "", "no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new SpecError(name, "", "not valid JSON: the file is not UTF-8 text");
        } catch (IOException e) {
            throw new SpecError(name, "", "cannot read the file (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    /** Parses JSON text; a syntax error names the line and column. */
    public static JsonAt parse(String file, String text) {
        if (text.isBlank()) throw new SpecError(file, "", "the file is empty, expected a JSON object");
        try {
            return new JsonAt(file, "", MAPPER.readTree(text));
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String why = e.getOriginalMessage() == null ? "syntax error" : e.getOriginalMessage().replaceAll("\\s+", " ")
                .replaceAll("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)]", "line $1, column $2");
            throw new SpecError(file, "", "not valid JSON" + where + ": " + why);
        }
    }

    public SpecError error(String problem) { return new SpecError(file, path, problem); }

    public boolean isMissing() { return node == null || node.isMissingNode(); }

    /** Absent or JSON null. */
    public boolean isAbsent() { return isMissing() || node.isNull(); }

    /** The field of an object (a missing field gives a JsonAt with a null node). */
    public JsonAt field(String name) {
        String p = IDENTIFIER.matcher(name).matches() ? (path.isEmpty() ? name : path + "." + name)
            : path + "[\"" + name + "\"]";
        return new JsonAt(file, p, node == null ? null : node.get(name));
    }

    /** A field that must be present (not null). */
    public JsonAt required(String name, String expected) {
        JsonAt f = field(name);
        if (f.isAbsent()) throw error("missing field '" + name + "' (expected " + expected + ")");
        return f;
    }

    public JsonAt index(int i) { return new JsonAt(file, path + "[" + i + "]", node.get(i)); }

    /** Checks that this is an object with no fields outside the allowed ones. */
    public JsonAt object(String expected, Set<String> allowed) {
        if (isMissing() || !node.isObject()) throw error("expected " + expected + ", found " + describe(node));
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f))
                throw error("unknown field '" + f + "' (expected only " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        }
        return this;
    }

    /** The elements of an array. */
    public List<JsonAt> array(String expected) {
        if (isMissing() || !node.isArray()) throw error("expected " + expected + ", found " + describe(node));
        List<JsonAt> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) out.add(index(i));
        return out;
    }

    /** A finite number. */
    public double number(String expected) {
        if (isMissing() || !node.isNumber()) throw error("expected " + expected + ", found " + describe(node));
        double v = node.doubleValue();
        if (Double.isNaN(v)) throw error("NaN is not a finite number (expected " + expected + ")");
        if (Double.isInfinite(v)) throw error((v > 0 ? "" : "-") + "Infinity is not a finite number (expected " + expected + ")");
        return v;
    }

    public String string(String expected) {
        if (isMissing() || !node.isTextual()) throw error("expected " + expected + ", found " + describe(node));
        return node.textValue();
    }

    /** An optional string field: null when absent. */
    public String optionalString(String name, String expected) {
        JsonAt f = field(name);
        return f.isAbsent() ? null : f.string(expected);
    }

    /** An optional finite number field, or the default when absent. */
    public double optionalNumber(String name, double dflt, String expected) {
        JsonAt f = field(name);
        return f.isAbsent() ? dflt : f.number(expected);
    }

    /**
     * A vector of finite numbers with the given length (any length ≥ 1 when length is negative);
     * lengthWhy says where the expected length comes from.
     */
    public double[] vector(String expected, int length, String lengthWhy) {
        List<JsonAt> items = array(expected);
        if (items.isEmpty()) throw error("is empty, expected " + expected);
        if (length >= 0 && items.size() != length)
            throw error("has " + count(items.size(), "number") + ", expected " + length + " (" + lengthWhy + ")");
        double[] v = new double[items.size()];
        for (int i = 0; i < v.length; i++) v[i] = items.get(i).number("a number");
        return v;
    }

    /**
     * A rectangular matrix of finite numbers. rows/cols give the expected sizes (negative: any, but
     * every row as long as row 0); the why strings say where an expected size comes from.
     */
    public double[][] matrix(String expected, int rows, String rowsWhy, int cols, String colsWhy) {
        List<JsonAt> items = array(expected);
        if (items.isEmpty()) throw error("is empty, expected " + expected);
        if (rows >= 0 && items.size() != rows)
            throw error("has " + count(items.size(), "row") + ", expected " + rows + " (" + rowsWhy + ")");
        double[][] m = new double[items.size()][];
        for (int r = 0; r < m.length; r++) {
            JsonAt row = items.get(r);
            if (row.isMissing() || !row.node.isArray())
                throw row.error("expected a row of numbers (" + expected + "), found " + describe(row.node));
            int n = row.node.size();
            int want = cols >= 0 ? cols : (r == 0 ? -1 : m[0].length);
            if (want >= 0 && n != want) {
                String why = cols >= 0 ? colsWhy : "as row 0 has; a matrix must not be ragged";
                throw error("row " + r + " has " + count(n, "number") + ", expected " + want + " (" + why + ")");
            }
            if (n == 0) throw error("row " + r + " is empty, expected " + expected);
            m[r] = new double[n];
            for (int c = 0; c < n; c++) m[r][c] = row.index(c).number("a number");
        }
        return m;
    }

    static String count(int n, String noun) { return n + " " + noun + (n == 1 ? "" : "s"); }

    /** How a JSON value reads in a message: "a string", "an array", "nothing". */
    public static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) return "nothing";
        if (n.isNull()) return "null";
        if (n.isTextual()) return "a string (\"" + abbreviate(n.textValue()) + "\")";
        if (n.isNumber()) return "a number (" + n.asText() + ")";
        if (n.isBoolean()) return n.asText();
        if (n.isArray()) return "an array";
        if (n.isObject()) return "an object";
        return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(String s) { return s.length() <= 30 ? s : s.substring(0, 27) + "..."; }
}
