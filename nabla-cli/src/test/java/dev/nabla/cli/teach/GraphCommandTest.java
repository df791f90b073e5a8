package dev.nabla.cli.teach;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nabla graph}: the DOT graph of the loss, with op nodes, values and gradients. */
class GraphCommandTest {

    @Test
    void seed003GraphHasTheOpsOfTheNetworkAndTheLoss() {
        Cli.Result r = Cli.run("graph", "--example", "seed-003");
        assertEquals(0, r.exit(), r.err());
        String dot = r.out();
        assertTrue(dot.startsWith("digraph backprop {"), dot);
        assertTrue(dot.strip().endsWith("}"), dot);
        for (String op : new String[] {"linear", "sigmoid", "sub", "square", "sum", "mul_scalar"})
            assertTrue(dot.contains("label=\"" + op + "\\n"), "no " + op + " node: " + dot);
        // leaves: the input and every parameter, with value and gradient
        assertTrue(dot.contains("parameter 0.weight\\n2×3\\nvalue [-0.1, 0.19, 0.49, -0.15, -0.07, -0.48]\\ngrad [-0.004488, -0.06034"), dot);
        assertTrue(dot.contains("input x\\n1×3"), dot);
        assertTrue(dot.contains("target y"), dot);
        // the layer outputs are marked with their paths, the loss with its value and grad 1
        assertTrue(dot.contains("layer 1 output (activations.1)\\n1×2\\nvalue [0.6766, 0.2933]\\ngrad [-0.114, 0.31]"), dot);
        assertTrue(dot.contains("loss L\\nscalar\\nvalue 1.734\\ngrad 1\""), dot);
        // each op node carries its VJP formula
        assertTrue(dot.contains("tooltip=\"∂x = g W, ∂W = gᵀ x, ∂b = Σₙ g\""), dot);
        // every edge joins declared nodes
        Matcher m = Pattern.compile("(n\\d+) -> (n\\d+)").matcher(dot);
        int edges = 0;
        while (m.find()) {
            edges++;
            assertTrue(dot.contains("  " + m.group(1) + " [") && dot.contains("  " + m.group(2) + " ["), m.group());
        }
        // two layers of linear (input, weight, bias: 3 edges) + sigmoid (1), then sub (output, target),
        // square, sum, mul_scalar: 3 + 1 + 3 + 1 + 2 + 1 + 1 + 1
        assertEquals(13, edges, "edges");
    }

    @Test
    void seed004GraphHasReluAndNoBias() {
        String dot = Cli.run("graph", "--example", "seed-004").out();
        assertTrue(dot.contains("label=\"relu\\n"), dot);
        assertTrue(!dot.contains("parameter 0.bias") && !dot.contains("parameter 2.bias"), dot);
    }

    @Test
    void svgIsDrawnWhenGraphvizIsInstalledAndSkippedCleanlyOtherwise(@TempDir Path dir) throws IOException {
        Path svg = dir.resolve("g.svg");
        Cli.Result r = Cli.run("graph", "--example", "seed-003", "--svg", svg.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("digraph"), r.out());
        if (ExplainCommandTest.onPath("dot") == null) {
            assertEquals("graph: Graphviz's dot is not on PATH; skipped " + svg + " (install graphviz to get the SVG)", r.err().strip());
            assertTrue(!Files.exists(svg));
        } else {
            assertTrue(Files.readString(svg).contains("<svg"), "an SVG was written");
        }
    }
}
