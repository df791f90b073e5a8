package dev.nabla.cli.teach;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A malformed spec or claims file gets one line naming the file, the JSON path and what was
 * expected, and exit code 2; never a stack trace.
 */
class BadInputTest {
    @TempDir Path dir;

    /** A valid 2-3-1 spec (ReLU, class targets replaced where a test needs them). */
    static final String GOOD = """
        {"input": [[1, 2], [0.5, -1]], "target": [[1], [0]],
         "layers": [
           {"type": "linear", "weight": [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], "bias": [0, 0, 0]},
           {"type": "relu"},
           {"type": "linear", "weight": [[1, -1, 0.5]], "bias": [0.1]}],
         "loss": {"type": "squared_error", "reduction": "sum"}}""";

    @BeforeEach
    void goodSpecIsAccepted() throws IOException {
        Cli.Result r = Cli.run("grad", write("good.json", GOOD).toString());
        assertEquals(0, r.exit(), r.err());
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** Runs the command on a file and checks: exit 2, one line, file and path named, no stack trace. */
    private String fails(String command, String fileName, String text, String expectedMessage) throws IOException {
        Path p = write(fileName, text);
        Cli.Result r = Cli.run(command, p.toString());
        String err = r.err().strip();
        assertEquals(2, r.exit(), "exit code; stderr: " + err + "; stdout: " + r.out());
        assertFalse(err.contains("\n"), "one line: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        assertEquals(command + ": " + p + ": " + expectedMessage, err);
        return err;
    }

    private String spec(String from, String to) {
        assertTrue(GOOD.contains(from), from);
        return GOOD.replace(from, to);
    }

    @Test
    void notJson() throws IOException {
        Path p = write("broken.json", "{\"input\": [[1, 2]], \"layers\": [");
        Cli.Result r = Cli.run("grad", p.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().strip().startsWith("grad: " + p + ": not valid JSON at line 1, column "), r.err());
        assertFalse(r.err().strip().contains("\n"), r.err());
    }

    @Test
    void missingField() throws IOException {
        fails("grad", "noloss.json", spec(",\n \"loss\": {\"type\": \"squared_error\", \"reduction\": \"sum\"}", ""),
            "missing field 'loss' (expected an object such as {\"type\": \"squared_error\"})");
        fails("grad", "noweight.json", spec("{\"type\": \"linear\", \"weight\": [[1, -1, 0.5]], \"bias\": [0.1]}",
            "{\"type\": \"linear\", \"bias\": [0.1]}"), "layers[2]: missing field 'weight' (expected out x in numbers)");
    }

    @Test
    void unknownLayerType() throws IOException {
        fails("explain", "layer.json", spec("\"relu\"", "\"swish\""),
            "layers[1].type: unknown layer type 'swish' (expected linear or one of sigmoid, tanh, relu, softmax, identity)");
    }

    @Test
    void unknownLossType() throws IOException {
        fails("grad", "loss.json", spec("\"squared_error\"", "\"mse\""),
            "loss.type: unknown loss type 'mse' (expected one of squared_error, abs_error, huber, bce, bce_with_logits, "
                + "cross_entropy, hinge, multiclass_hinge, cosine)");
    }

    @Test
    void shapesThatDoNotFit() throws IOException {
        // the brief's example: layer 2 takes the 3 outputs of layer 0... here made to take 2
        fails("grad", "seed.json", GOOD.replace("[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], \"bias\": [0, 0, 0]",
                "[[0.1, 0.2], [0.3, 0.4]], \"bias\": [0, 0]").replace("[[1, -1, 0.5]]", "[[1, -1], [2, 0.5, 1]]")
                .replace("\"bias\": [0.1]", "\"bias\": [0.1, 0.2]").replace("\"target\": [[1], [0]]", "\"target\": [[1, 0], [0, 1]]"),
            "layers[2].weight: row 1 has 3 numbers, expected 2 (the layer's input size, the output size of the layer before)");
        fails("grad", "bias.json", spec("\"bias\": [0, 0, 0]", "\"bias\": [0, 0]"),
            "layers[0].bias: has 2 numbers, expected 3 (the layer's output size, the rows of weight)");
        fails("grad", "target.json", spec("\"target\": [[1], [0]]", "\"target\": [[1, 2], [0, 1]]"),
            "target: row 0 has 2 numbers, expected 1 (the network's output size)");
        fails("grad", "rows.json", spec("\"target\": [[1], [0]]", "\"target\": [[1]]"),
            "target: has 1 row, expected 2 (one row per input row)");
    }

    @Test
    void raggedMatrix() throws IOException {
        fails("grad", "ragged.json", spec("[[1, 2], [0.5, -1]]", "[[1, 2], [0.5, -1, 3]]"),
            "input: row 1 has 3 numbers, expected 2 (as row 0 has; a matrix must not be ragged)");
        fails("grad", "ragged2.json", spec("[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]", "[[0.1, 0.2], [0.3], [0.5, 0.6]]"),
            "layers[0].weight: row 1 has 1 number, expected 2 (the layer's input size, the width of input)");
    }

    @Test
    void nanAndInfiniteNumbers() throws IOException {
        fails("grad", "nan.json", spec("[0.3, 0.4]", "[0.3, NaN]"),
            "layers[0].weight[1][1]: NaN is not a finite number (expected a number)");
        fails("grad", "inf.json", spec("[0.5, -1]", "[0.5, -Infinity]"),
            "input[1][1]: -Infinity is not a finite number (expected a number)");
        fails("grad", "big.json", spec("\"bias\": [0.1]", "\"bias\": [1e999]"),
            "layers[2].bias[0]: Infinity is not a finite number (expected a number)");
    }

    @Test
    void classIndexOutOfRange() throws IOException {
        String ce = GOOD.replace("[[1, -1, 0.5]], \"bias\": [0.1]", "[[1, -1, 0.5], [0, 1, 0], [1, 1, 1]], \"bias\": [0.1, 0, 0]")
            .replace("\"squared_error\"", "\"cross_entropy\"");
        assertEquals(0, Cli.run("grad", write("ce.json", ce.replace("[[1], [0]]", "[2, 0]")).toString()).exit());
        fails("grad", "class.json", ce.replace("[[1], [0]]", "[0, 3]"),
            "target[1]: class index 3 is out of range: the network has 3 outputs, so classes are 0 to 2");
        fails("grad", "frac.json", ce.replace("[[1], [0]]", "[0, 1.5]"), "target[1]: class index 1.5 is not an integer");
    }

    @Test
    void claimPathThatDoesNotExist() throws IOException {
        write("net.json", GOOD);
        fails("check", "c1.json", "{\"spec\": \"net.json\", \"claims\": {\"gradients.1.weight[0][0]\": \"0.1\"}}",
            "claims[\"gradients.1.weight[0][0]\"]: layer 1 (relu) has no parameters (the parameters are 0.weight, 0.bias, 2.weight, 2.bias)");
        fails("check", "c2.json", "{\"spec\": \"net.json\", \"claims\": {\"activations.7[0][0]\": \"0.1\"}}",
            "claims[\"activations.7[0][0]\"]: the network has no layer 7 (layers 0 to 2)");
        fails("check", "c3.json", "{\"spec\": \"net.json\", \"claims\": {\"output[0][1]\": \"0.1\"}}",
            "claims[\"output[0][1]\"]: index 1 is out of range: output is 2 x 1 (columns 0 to 0)");
        fails("check", "c4.json", "{\"spec\": \"net.json\", \"claims\": {\"loss_after\": \"0.1\"}}",
            "claims.loss_after: the spec has no sgd step, so there is no loss_after");
        fails("check", "c5.json", "{\"spec\": \"net.json\", \"claims\": {\"grads.0.weight\": \"0.1\"}}",
            "claims[\"grads.0.weight\"]: unknown path 'grads.0.weight' (expected one of loss, loss_after, output[n][k], "
                + "activations.L[n][k], deltas.L[n][k], gradients.L.weight[i][j], gradients.L.bias[i], updated.L.weight[i][j], updated.L.bias[i])");
        fails("check", "c6.json", "{\"spec\": \"net.json\", \"claims\": {\"loss\": 1.5}}",
            "claims.loss: expected the number as a string, such as \"1.5\", so that its printed decimals are kept; found a number");
        fails("check", "c7.json", "{\"spec\": \"missing.json\", \"claims\": {\"loss\": \"1.5\"}}",
            "spec: names " + dir.resolve("missing.json") + ", which does not exist (the spec path is relative to the claims file)");
    }

    @Test
    void missingFileAndMissingArguments() {
        Path p = dir.resolve("nothing-here.json");
        Cli.Result r = Cli.run("grad", p.toString());
        assertEquals(2, r.exit());
        assertEquals("grad: " + p + ": no such file", r.err().strip());
        Cli.Result none = Cli.run("explain");
        assertEquals(2, none.exit());
        assertEquals("explain: give SPEC.json or --example NAME (one of seed-003, seed-004)", none.err().strip());
        Cli.Result unknown = Cli.run("graph", "--example", "seed-999");
        assertEquals(2, unknown.exit());
        assertEquals("graph: --example seed-999: no such built-in example (there are seed-003, seed-004)", unknown.err().strip());
        Cli.Result format = Cli.run("explain", "--example", "seed-003", "--format", "html");
        assertEquals(2, format.exit());
        assertEquals("explain: --format: unknown format 'html' (expected text, markdown or latex)", format.err().strip());
    }
}
