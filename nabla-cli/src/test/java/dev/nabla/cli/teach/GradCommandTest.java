package dev.nabla.cli.teach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nabla grad}: every reference case's numbers through the command's JSON output. */
class GradCommandTest {

    static List<JsonNode> cases() throws IOException {
        JsonNode root = Cli.resource("reference-cases.json");
        List<JsonNode> all = new ArrayList<>();
        root.get("cases").forEach(all::add);
        root.get("kink_convention_cases").forEach(all::add);
        return all;
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("cases")
    void referenceCaseMatchesExpected(JsonNode c, @TempDir Path dir) throws IOException {
        Path spec = dir.resolve(c.get("id").asText() + ".json");
        Files.writeString(spec, c.get("spec").toString());
        Cli.Result r = Cli.run("grad", spec.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode actual = r.json();
        ObjectNode expected = ((ObjectNode) c.get("expected")).deepCopy();
        expected.set("deltas", c.get("extra").get("output_grads"));
        List<String> diff = new ArrayList<>();
        compare("", expected, actual, diff);
        assertTrue(diff.isEmpty(), c.get("id").asText() + ": " + diff);
        // exactly the keys of FORMAT.md's output object, in its order
        List<String> keys = new ArrayList<>();
        actual.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("loss", "output", "activations", "deltas", "gradients", "updated", "loss_after"), keys);
    }

    /** Every number of expected matches actual to 1e-9 relative (1e-12 absolute for zeros). */
    static void compare(String path, JsonNode e, JsonNode a, List<String> out) {
        if (a == null) { out.add(path + ": missing"); return; }
        if (e.isNumber()) {
            double x = e.doubleValue(), y = a.doubleValue();
            if (!a.isNumber() || !(Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)) + 1e-12))
                out.add(path + ": expected " + x + ", got " + a);
        } else if (e.isArray()) {
            if (!a.isArray() || a.size() != e.size()) { out.add(path + ": expected " + e + ", got " + a); return; }
            for (int i = 0; i < e.size(); i++) compare(path + "[" + i + "]", e.get(i), a.get(i), out);
        } else {
            for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                compare(path + "." + k, e.get(k), a.get(k), out);
            }
        }
    }

    @Test
    void builtInExamplesGiveTheWorkedExamplesNumbers() throws IOException {
        for (JsonNode ex : Cli.resource("worked-examples.json").get("examples")) {
            String name = ex.get("id").asText().substring(0, "seed-00x".length());
            Cli.Result r = Cli.run("grad", "--example", name);
            assertEquals(0, r.exit(), r.err());
            List<String> diff = new ArrayList<>();
            compare("", ex.get("expected"), r.json(), diff);
            assertTrue(diff.isEmpty(), name + ": " + diff);
        }
    }

    @Test
    void withoutSgdThereIsNoUpdate(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("nosgd.json");
        Files.writeString(spec, """
            {"input": [[1, 2]], "target": [[0.5]],
             "layers": [{"type": "linear", "weight": [[0.1, -0.2]], "bias": [0.3]}, {"type": "tanh"}],
             "loss": {"type": "squared_error", "reduction": "sum"}}""");
        Cli.Result r = Cli.run("grad", spec.toString());
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.json().has("updated"));
        assertFalse(r.json().has("loss_after"));
        // tanh(0.1 - 0.4 + 0.3) = tanh(0) = 0: loss (0 - 0.5)^2
        assertEquals(0.25, r.json().get("loss").asDouble(), 1e-15);
    }

    @Test
    void float32SpecsComputeInFloat32(@TempDir Path dir) throws IOException {
        JsonNode worked = Cli.resource("worked-examples.json").get("examples").get(0);
        ObjectNode spec = ((ObjectNode) worked.get("spec")).deepCopy();
        spec.put("dtype", "float32");
        Path f = dir.resolve("f32.json");
        Files.writeString(f, spec.toString());
        Cli.Result r = Cli.run("grad", f.toString());
        assertEquals(0, r.exit(), r.err());
        double exact = worked.get("expected").get("gradients").get("0.weight").get(0).get(0).asDouble();
        double got = r.json().get("gradients").get("0.weight").get(0).get(0).asDouble();
        assertEquals(exact, got, 1e-6 * Math.abs(exact));
        // written as the shortest text of the float32 value, not of its float64 widening
        assertEquals(Float.toString((float) got), Double.toString(got), "float32 values are written as float32 numbers");
    }
}
