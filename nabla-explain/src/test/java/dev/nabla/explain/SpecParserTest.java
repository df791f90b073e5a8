package dev.nabla.explain;

import dev.nabla.array.DType;
import dev.nabla.explain.compute.Backprop;
import dev.nabla.explain.spec.LayerSpec;
import dev.nabla.explain.spec.LossSpec;
import dev.nabla.explain.spec.NetworkSpec;
import dev.nabla.explain.spec.SpecError;
import dev.nabla.explain.spec.SpecParser;
import dev.nabla.explain.spec.Target;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the spec reader accepts, its defaults, and the message for each remaining kind of mistake. */
class SpecParserTest {
    static final String BASE = """
        {"input": [[1, 2]], "target": [[0.5]],
         "layers": [{"type": "linear", "weight": [[0.1, -0.2]], "bias": [0.3]}, {"type": "sigmoid"}],
         "loss": {"type": "squared_error"}}""";

    private static NetworkSpec parse(String json) { return SpecParser.parse("s.json", json); }

    private static void fails(String json, String message) {
        SpecError e = assertThrows(SpecError.class, () -> parse(json));
        assertEquals(message, e.getMessage());
    }

    @Test
    void defaultsFollowFormatMd() {
        NetworkSpec s = parse(BASE);
        assertEquals(LossSpec.Reduction.MEAN, s.loss().reduction());
        assertEquals(1.0, s.loss().scale());
        assertEquals(1.0, s.loss().delta());
        assertEquals(1.0, s.loss().margin());
        assertEquals(0.0, s.l2());
        assertNull(s.sgd());
        assertEquals(DType.FLOAT64, s.dtype());
        assertEquals(2, s.layers().size());
        assertInstanceOf(LayerSpec.Linear.class, s.layers().get(0));
        assertArrayEquals(new double[][] {{0.5}}, ((Target.Values) s.target()).rows());
        assertEquals(1, s.outputSize());
    }

    @Test
    void biasMayBeAbsentOrNull() {
        NetworkSpec s = parse(BASE.replace(", \"bias\": [0.3]", ", \"bias\": null"));
        assertNull(((LayerSpec.Linear) s.layers().get(0)).bias());
        assertEquals(1, Backprop.run(s).gradients().size());   // only 0.weight
    }

    @Test
    void remainingMistakesAreNamed() {
        fails(BASE.replace("\"loss\"", "\"sdg\": {\"lr\": 1}, \"loss\""),
            "s.json: unknown field 'sdg' (expected only dtype, input, l2, layers, loss, name, sgd, target)");
        fails("{\"input\": [[1]], \"target\": [[1]], \"layers\": [], \"loss\": {\"type\": \"squared_error\"}}",
            "s.json: layers: is empty, expected at least one layer");
        fails(BASE.replace("{\"type\": \"sigmoid\"}", "{\"type\": \"sigmoid\", \"weight\": [[1]]}"),
            "s.json: layers[1]: unknown field 'weight' (expected only name, type)");
        fails(BASE.replace("\"squared_error\"}", "\"squared_error\", \"reduction\": \"avg\"}"),
            "s.json: loss.reduction: unknown reduction 'avg' (expected sum, batchmean or mean)");
        fails(BASE.replace("\"squared_error\"}", "\"squared_error\", \"delta\": 2}"),
            "s.json: loss.delta: applies only to the huber loss, not squared_error");
        fails(BASE.replace("\"squared_error\"}", "\"huber\", \"delta\": 0}"), "s.json: loss.delta: is 0.0; expected δ > 0");
        fails(BASE.replace("\"squared_error\"}", "\"hinge\"}"), "s.json: target[0][0]: is 0.5; the hinge loss takes targets -1 or 1");
        fails(BASE.replace("}}", "}, \"sgd\": {\"lr\": -0.1}}"), "s.json: sgd.lr: is negative (-0.1); expected a learning rate ≥ 0");
        fails(BASE.replace("}}", "}, \"sgd\": {\"lr\": 0.1, \"momentum\": 0.9}}"),
            "s.json: sgd: unknown field 'momentum' (expected only lr)");
        fails(BASE.replace("}}", "}, \"l2\": -1}"), "s.json: l2: is negative (-1.0); expected λ ≥ 0");
        fails(BASE.replace("}}", "}, \"dtype\": \"float16\"}"), "s.json: dtype: unknown dtype 'float16' (expected float64 or float32)");
        fails(BASE.replace("[[0.1, -0.2]]", "[[0.1, \"-0.2\"]]"), "s.json: layers[0].weight[0][1]: expected a number, found a string (\"-0.2\")");
        fails(BASE.replace("\"input\": [[1, 2]]", "\"input\": [1, 2]"),
            "s.json: input[0]: expected a row of numbers (N x d0 numbers, one row per sample), found a number (1)");
        fails("[1, 2]", "s.json: expected a JSON object with input, target, layers and loss (a network spec), found an array");
        fails("  ", "s.json: the file is empty, expected a JSON object");
        SpecError trailing = assertThrows(SpecError.class, () -> parse(BASE + " extra"));
        org.junit.jupiter.api.Assertions.assertTrue(trailing.getMessage().startsWith(
            "s.json: not valid JSON at line 3, column 42: Unrecognized token 'extra'"), trailing.getMessage());
    }

    @Test
    void bceNeedsProbabilities() {
        NetworkSpec s = parse(BASE.replace("{\"type\": \"sigmoid\"}", "{\"type\": \"identity\"}").replace("[0.3]", "[2.3]")
            .replace("\"squared_error\"", "\"bce\""));
        SpecError e = assertThrows(SpecError.class, () -> Backprop.run(s));
        assertEquals("s.json: loss.type: the bce loss needs probabilities in [0, 1], but output[0][0] = 2; "
            + "end the network with a sigmoid layer or use bce_with_logits", e.getMessage());
    }
}
