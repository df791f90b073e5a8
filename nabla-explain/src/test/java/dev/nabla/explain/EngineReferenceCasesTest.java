package dev.nabla.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nabla.explain.compute.Backprop;
import dev.nabla.explain.compute.GradResult;
import dev.nabla.explain.compute.ResultJson;
import dev.nabla.explain.spec.SpecParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every case of reference-cases.json (30 random, 5 on a kink) through the engine, to 1e-9 relative. */
class EngineReferenceCasesTest {

    static List<JsonNode> cases() throws IOException {
        try (InputStream in = EngineReferenceCasesTest.class.getResourceAsStream("reference-cases.json")) {
            JsonNode root = WorkedExamplesTest.M.readTree(in);
            List<JsonNode> all = new ArrayList<>();
            root.get("cases").forEach(all::add);
            root.get("kink_convention_cases").forEach(all::add);
            return all;
        }
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("cases")
    void matchesExpected(JsonNode c) {
        GradResult r = Backprop.run(SpecParser.parse(c.get("id").asText() + ".json", c.get("spec").toString()));
        ObjectNode actual = ResultJson.toTree(r);
        ObjectNode expected = ((ObjectNode) c.get("expected")).deepCopy();
        expected.set("deltas", c.get("extra").get("output_grads"));
        List<String> diff = JsonCompare.differences(expected, actual, 1e-9, 1e-13);
        assertTrue(diff.isEmpty(), c.get("id").asText() + ": " + diff);
        List<String> dx = JsonCompare.differences(c.get("extra").get("input_grad"), ResultJson.toJson(r.inputGrad()), 1e-9, 1e-13);
        assertTrue(dx.isEmpty(), c.get("id").asText() + " input_grad: " + dx);
        if (c.get("extra").has("loss_l2_penalty"))
            assertEquals(c.get("extra").get("loss_l2_penalty").asDouble(), r.penalty(), 1e-9 * Math.max(1, r.penalty()));
    }
}
