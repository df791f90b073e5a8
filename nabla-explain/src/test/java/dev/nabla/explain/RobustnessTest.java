package dev.nabla.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nabla.explain.check.CheckReport;
import dev.nabla.explain.check.ClaimChecker;
import dev.nabla.explain.check.ClaimsFile;
import dev.nabla.explain.derive.Format;
import dev.nabla.explain.graph.GraphDot;
import dev.nabla.explain.spec.JsonAt;
import dev.nabla.explain.spec.NetworkSpec;
import dev.nabla.explain.spec.SpecParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every reference case (every loss, activation, reduction, L2 and kink) goes through explain in
 * every format, graph and check without failing, and the explanation shows its loss and gradients.
 */
class RobustnessTest {

    static List<JsonNode> cases() throws IOException { return EngineReferenceCasesTest.cases(); }

    @ParameterizedTest(name = "{index}")
    @MethodSource("cases")
    void explainGraphAndCheckWorkForEveryCase(JsonNode c) {
        NetworkSpec spec = SpecParser.parse(c.get("id").asText() + ".json", c.get("spec").toString());
        String loss = Numbers.format(c.get("expected").get("loss").asDouble());
        for (Format f : Format.values()) {
            String out = Explainer.explain(spec, f);
            assertTrue(out.contains(loss), c.get("id") + " " + f + " lacks the loss " + loss);
            if (f == Format.LATEX) assertTrue(out.chars().allMatch(ch -> ch < 128), c.get("id") + ": LaTeX is ASCII");
        }
        String dot = GraphDot.render(spec);
        assertTrue(dot.contains("loss L"), dot);

        // a claim that is right, and one that is wrong (which makes the checker recompute rounded passes)
        ObjectNode claims = JsonNodeFactory.instance.objectNode();
        double g = c.get("expected").get("gradients").get("0.weight").get(0).get(0).asDouble();
        claims.put("gradients.0.weight[0][0]", new java.math.BigDecimal(g).setScale(6, java.math.RoundingMode.HALF_UP).toPlainString());
        claims.put("loss", new java.math.BigDecimal(c.get("expected").get("loss").asDouble() * 1.37 + 0.5)
            .setScale(4, java.math.RoundingMode.HALF_UP).toPlainString());
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        file.put("spec", "case.json");
        file.set("claims", claims);
        CheckReport r = ClaimChecker.check(ClaimsFile.parse(JsonAt.parse("case.claims.json", file.toString()), name -> spec));
        assertTrue(r.verdicts().get(0).right(), r.render());
        assertFalse(r.verdicts().get(1).right(), r.render());
        assertEquals(1, r.wrong().size());
    }
}
