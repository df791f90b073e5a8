package dev.nabla.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nabla.explain.compute.Backprop;
import dev.nabla.explain.compute.ResultJson;
import dev.nabla.explain.spec.NetworkSpec;
import dev.nabla.explain.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seeds' two worked examples, built in as examples, reproduce every exact value of worked-examples.json. */
class WorkedExamplesTest {
    static final ObjectMapper M = new ObjectMapper();

    static JsonNode worked() throws IOException {
        try (InputStream in = WorkedExamplesTest.class.getResourceAsStream("worked-examples.json")) {
            return M.readTree(in);
        }
    }

    static JsonNode example(String idPrefix) throws IOException {
        for (JsonNode e : worked().get("examples")) if (e.get("id").asText().startsWith(idPrefix)) return e;
        throw new AssertionError("no example " + idPrefix);
    }

    private static void assertReproduces(String name, JsonNode ex, ObjectNode expectedDeltas) throws IOException {
        NetworkSpec builtIn = Examples.spec(name);
        NetworkSpec embedded = SpecParser.parse("worked-examples.json", ex.get("spec").toString());
        for (NetworkSpec spec : List.of(builtIn, embedded)) {
            JsonNode actual = ResultJson.toTree(Backprop.run(spec));
            List<String> diff = JsonCompare.differences(ex.get("expected"), actual, 1e-12, 1e-15);
            assertTrue(diff.isEmpty(), name + ": " + diff);
            List<String> dd = JsonCompare.differences(expectedDeltas, actual.get("deltas"), 1e-12, 1e-15);
            assertTrue(dd.isEmpty(), name + " deltas: " + dd);
            // the expected object lists every key the output has (no more, no fewer)
            assertEquals(M.valueToTree(List.of("loss", "output", "activations", "deltas", "gradients", "updated", "loss_after")),
                M.valueToTree(iterable(actual)));
        }
    }

    private static List<String> iterable(JsonNode n) {
        List<String> l = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(l::add);
        return l;
    }

    @Test
    void seed003ReproducesEveryExactValue() throws IOException {
        JsonNode ex = example("seed-003");
        JsonNode im = ex.get("exact_intermediates");
        // deltas by layer index: 0 = ∂E/∂z_h, 1 = ∂E/∂h, 2 = ∂E/∂z_θ, 3 = ∂E/∂θ (one sample: one row each)
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.set("0", row(im.get("delta_hidden = dE/dz_h")));
        d.set("1", row(im.get("dE/dh")));
        d.set("2", row(im.get("delta_out = dE/dz_theta")));
        d.set("3", row(im.get("dE/dtheta")));
        assertReproduces("seed-003", ex, d);
    }

    @Test
    void seed004ReproducesEveryExactValue() throws IOException {
        JsonNode ex = example("seed-004");
        JsonNode im = ex.get("exact_intermediates_seed_layout");
        // the seed's layout has samples in columns; the spec's in rows
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.set("0", transpose(im.get("Delta_1")));
        d.set("2", transpose(im.get("Delta_out")));
        assertReproduces("seed-004", ex, d);
    }

    /** A number or a vector as a one-row matrix. */
    static ArrayNode row(JsonNode v) {
        ArrayNode outer = JsonNodeFactory.instance.arrayNode();
        if (v.isNumber()) outer.addArray().add(v);
        else outer.add(v);
        return outer;
    }

    static ArrayNode transpose(JsonNode m) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int j = 0; j < m.get(0).size(); j++) {
            ArrayNode r = out.addArray();
            for (JsonNode row : m) r.add(row.get(j));
        }
        return out;
    }
}
