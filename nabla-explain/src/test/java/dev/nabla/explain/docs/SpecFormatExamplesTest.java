package dev.nabla.explain.docs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.explain.check.CheckReport;
import dev.nabla.explain.check.Claim;
import dev.nabla.explain.check.ClaimChecker;
import dev.nabla.explain.check.ClaimPath;
import dev.nabla.explain.check.ClaimsFile;
import dev.nabla.explain.check.Slip;
import dev.nabla.explain.check.Verdict;
import dev.nabla.explain.compute.Backprop;
import dev.nabla.explain.compute.GradResult;
import dev.nabla.explain.compute.ResultJson;
import dev.nabla.explain.spec.NetworkSpec;
import dev.nabla.explain.spec.SpecError;
import dev.nabla.explain.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What docs/spec-format.md says, checked: its worked example (docs/examples/two-samples.json and
 * its claims file) against numbers computed here by hand, the verdicts the page shows, what
 * {@code mean} divides by, the kink convention, the output object's keys, and the messages the
 * page quotes.
 */
class SpecFormatExamplesTest {

    /** docs/examples, found from the repository root (the folder with run-tests). */
    private static Path examples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.isRegularFile(p.resolve("run-tests"))) return p.resolve("docs/examples");
        throw new IllegalStateException("cannot find the repository root (a folder with run-tests) above " + Path.of("").toAbsolutePath());
    }

    private static NetworkSpec parse(String json) { return SpecParser.parse("s.json", json); }

    private static double sigmoid(double z) { return 1 / (1 + Math.exp(-z)); }

    @Test
    void workedExampleMatchesAHandComputation() {
        NetworkSpec spec = SpecParser.read(examples().resolve("two-samples.json"));
        GradResult r = Backprop.run(spec);

        // forward and backward written out for this one network (2-2-1, tanh, sigmoid, bce, mean over N·dL = 2)
        double[][] x = {{1.0, 0.5}, {-0.5, 2.0}};
        double[] y = {1.0, 0.0};
        double[][] w = {{0.4, -0.2}, {0.1, 0.3}};
        double[] b = {0.0, -0.1}, v = {0.5, -0.6};
        double c = 0.2, loss = 0, dc = 0;
        double[] dv = new double[2];
        double[][] dw = new double[2][2];
        for (int n = 0; n < 2; n++) {
            double[] h = new double[2];
            for (int j = 0; j < 2; j++) h[j] = Math.tanh(w[j][0] * x[n][0] + w[j][1] * x[n][1] + b[j]);
            double p = sigmoid(v[0] * h[0] + v[1] * h[1] + c);
            loss += -(y[n] * Math.log(p) + (1 - y[n]) * Math.log(1 - p)) / 2;
            double dz = (p - y[n]) / 2;   // σ and bce together, divided by N·dL = 2
            dc += dz;
            for (int j = 0; j < 2; j++) {
                dv[j] += dz * h[j];
                double dzh = dz * v[j] * (1 - h[j] * h[j]);
                for (int i = 0; i < 2; i++) dw[j][i] += dzh * x[n][i];
            }
        }
        assertEquals(loss, r.loss(), 1e-12);
        assertEquals(0.5591840875953351, r.loss(), 1e-12, "the loss the page prints");
        assertEquals(dc, r.gradients().get("2.bias").get(0), 1e-12);
        assertArrayEquals(dv, r.gradients().get("2.weight").toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {dw[0][0], dw[0][1], dw[1][0], dw[1][1]}, r.gradients().get("0.weight").toDoubleArray(), 1e-12);
        assertEquals(0.2 - 0.5 * dc, r.updated().get("2.bias").get(0), 1e-12);
        assertEquals(0.5016512086185142, r.lossAfter(), 1e-12);
    }

    @Test
    void outputObjectHasTheKeysThePageLists() {
        JsonNode tree = ResultJson.toTree(Backprop.run(SpecParser.read(examples().resolve("two-samples.json"))));
        List<String> keys = new ArrayList<>();
        tree.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("loss", "output", "activations", "deltas", "gradients", "updated", "loss_after"), keys);
        List<String> layers = new ArrayList<>(), params = new ArrayList<>();
        tree.get("activations").fieldNames().forEachRemaining(layers::add);
        tree.get("gradients").fieldNames().forEachRemaining(params::add);
        assertEquals(List.of("0", "1", "2", "3"), layers);
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), params);

        JsonNode noSgd = ResultJson.toTree(Backprop.run(parse("""
            {"input": [[1]], "target": [[0]], "layers": [{"type": "linear", "weight": [[2]]}], "loss": {"type": "squared_error"}}""")));
        assertFalse(noSgd.has("updated"));
        assertFalse(noSgd.has("loss_after"));
    }

    @Test
    void claimsGetTheVerdictsThePageShows() {
        CheckReport report = ClaimChecker.check(ClaimsFile.read(examples().resolve("two-samples.claims.json")));
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (Verdict v : report.verdicts()) verdicts.put(v.claim().path().text(), v.words());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("activations.1[0][0]", "right");
        expected.put("output[0][0]", "right");
        expected.put("output[1][0]", "right (last digit off by one, allowed)");
        expected.put("loss", "right");
        expected.put("deltas.3[0][0]", "right");
        expected.put("gradients.2.weight[0][0]", "WRONG: " + Slip.SIGN.words());
        expected.put("gradients.2.bias[0]", "right");
        expected.put("gradients.0.weight[0][1]", "WRONG: " + Slip.FACTOR_TWO.words());
        expected.put("gradients.0.weight[1][0]", "WRONG: " + Slip.MISPLACED.words());
        expected.put("gradients.0.weight[1][1]", "WRONG: " + Slip.ROUNDING_DRIFT.words());
        expected.put("updated.2.bias[0]", "right");
        expected.put("loss_after", "right");
        assertEquals(expected, verdicts);
        assertFalse(report.allRight());
        assertTrue(report.render().contains("12 claims: 8 right (1 of them one unit off in the last digit, which the rule allows), 4 wrong."),
            report.render());
        assertTrue(report.render().contains("carrying the activations and their error signals rounded to 2 decimals"), report.render());
    }

    @Test
    void oneUnitInTheLastPlace() {
        ClaimPath loss = ClaimPath.parse("loss");
        double exact = 0.42027022643880624;   // output[1][0] of the example
        for (String ok : List.of("0.4203", "0.4202", "0.4204", "0.420", "0.42", "0.4"))
            assertTrue(ClaimChecker.agrees(new Claim(loss, ok, new BigDecimal(ok), null, "loss"), exact), ok);
        for (String wrong : List.of("0.4205", "0.4201", "0.422", "0.4200"))
            assertFalse(ClaimChecker.agrees(new Claim(loss, wrong, new BigDecimal(wrong), null, "loss"), exact), wrong);
    }

    @Test
    void meanDividesByEntriesOrBySamples() {
        String net = """
            "input": [[1, 2], [0, -1]],
            "layers": [{"type": "linear", "weight": [[0.5, -0.5], [1, 0.25], [-1, 2]], "bias": [0, 0.1, -0.2]}],""";
        // element-wise: mean = sum / (N·dL) = sum / 6, batchmean = sum / N = sum / 2
        String se = "{" + net + "\"target\": [[0, 1, 0], [1, 0, 0]], \"loss\": {\"type\": \"squared_error\", \"reduction\": \"%s\"}}";
        double sum = Backprop.run(parse(se.formatted("sum"))).loss();
        assertEquals(sum / 6, Backprop.run(parse(se.formatted("mean"))).loss(), 1e-14);
        assertEquals(sum / 2, Backprop.run(parse(se.formatted("batchmean"))).loss(), 1e-14);
        // per-sample: mean = batchmean = sum / N
        String ce = "{" + net + "\"target\": [2, 0], \"loss\": {\"type\": \"cross_entropy\", \"reduction\": \"%s\", \"scale\": 3}}";
        double ceSum = Backprop.run(parse(ce.formatted("sum"))).loss();
        assertEquals(ceSum / 2, Backprop.run(parse(ce.formatted("mean"))).loss(), 1e-14);
        assertEquals(ceSum / 2, Backprop.run(parse(ce.formatted("batchmean"))).loss(), 1e-14);
    }

    @Test
    void kinksTakeDerivativeZero() {
        // ReLU at 0: z = 1·1 + 1·(−1) = 0, so no gradient reaches the weight
        GradResult relu = Backprop.run(parse("""
            {"input": [[1, -1]], "target": [[1]], "layers": [{"type": "linear", "weight": [[1, 1]]}, {"type": "relu"}],
             "loss": {"type": "squared_error"}}"""));
        assertArrayEquals(new double[] {0, 0}, relu.gradients().get("0.weight").toDoubleArray());
        assertEquals(-2.0, relu.deltas().get(1).get(0, 0), 1e-15);
        // |r| at r = 0 and a hinge term exactly at its margin (y·ŷ = 1)
        for (String loss : List.of("abs_error", "hinge")) {
            GradResult r = Backprop.run(parse("""
                {"input": [[1, 0.5]], "target": [[1]], "layers": [{"type": "linear", "weight": [[0.5, 1]]}],
                 "loss": {"type": "%s"}}""".formatted(loss)));
            assertArrayEquals(new double[] {0, 0}, r.gradients().get("0.weight").toDoubleArray(), loss);
        }
    }

    @Test
    void messagesQuotedOnThePage() {
        String good = """
            {"input": [[1, 0.5]], "target": [[1]],
             "layers": [{"type": "linear", "weight": [[0.4, -0.2], [0.1, 0.3]]}, {"type": "tanh"},
                        {"type": "linear", "weight": [[0.5, -0.6, 0.1]]}],
             "loss": {"type": "squared_error"}}""";
        SpecError e = assertThrows(SpecError.class, () -> parse(good));
        assertEquals("s.json: layers[2].weight: row 0 has 3 numbers, expected 2 (the layer's input size, the output size of the layer before)",
            e.getMessage());
        SpecError d = assertThrows(SpecError.class, () -> parse(good.replace("[0.5, -0.6, 0.1]", "[0.5, -0.6]")
            .replace("\"squared_error\"", "\"squared_error\", \"delta\": 2")));
        assertEquals("s.json: loss.delta: applies only to the huber loss, not squared_error", d.getMessage());
        SpecError h = assertThrows(SpecError.class, () -> parse(good.replace("[0.5, -0.6, 0.1]", "[0.5, -0.6]")
            .replace("\"squared_error\"", "\"hinge\"").replace("\"target\": [[1]]", "\"target\": [[0]]")));
        assertEquals("s.json: target[0][0]: is 0; the hinge loss takes targets -1 or 1", h.getMessage());
    }

    @Test
    void claimsFileMistakesQuotedOnThePage() {
        var spec = dev.nabla.explain.spec.JsonAt.parse("c.json", """
            {"spec": "two-samples.json", "claims": {"loss": 0.559}}""");
        SpecError n = assertThrows(SpecError.class, () -> ClaimsFile.parse(spec, f -> SpecParser.read(examples().resolve(f))));
        assertEquals("c.json: claims.loss: expected the number as a string, such as \"0.559\", so that its printed decimals are kept; found a number",
            n.getMessage());
        var noParams = dev.nabla.explain.spec.JsonAt.parse("c.json", """
            {"spec": "two-samples.json", "claims": {"gradients.1.weight[0][0]": "0.1"}}""");
        SpecError p = assertThrows(SpecError.class,
            () -> ClaimChecker.check(ClaimsFile.parse(noParams, f -> SpecParser.read(examples().resolve(f)))));
        assertEquals("c.json: claims[\"gradients.1.weight[0][0]\"]: layer 1 (tanh) has no parameters "
            + "(the parameters are 0.weight, 0.bias, 2.weight, 2.bias)", p.getMessage());
    }
}
