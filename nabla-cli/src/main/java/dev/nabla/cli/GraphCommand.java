package dev.nabla.cli;

import dev.nabla.cli.teach.Graphviz;
import dev.nabla.cli.teach.Output;
import dev.nabla.cli.teach.SpecSource;
import dev.nabla.explain.graph.GraphDot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nabla graph SPEC.json}: the computation graph of the spec's loss in Graphviz DOT, and an SVG when Graphviz is installed. */
@Command(name = "graph", mixinStandardHelpOptions = true,
    description = {"The computation graph of a network spec's loss, in Graphviz DOT.",
        "Every operation with its value and its gradient dL/d(node). With --svg, also draws it with",
        "Graphviz's dot when that is installed."})
public final class GraphCommand implements Callable<Integer> {
    @Mixin SpecSource source;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the DOT text to FILE instead of standard output.")
    Path output;

    @Option(names = "--svg", paramLabel = "FILE", description = "Also render the graph as SVG into FILE (needs Graphviz's dot on PATH; skipped with a note otherwise).")
    Path svg;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        String dot = GraphDot.render(source.load());
        Output.write(dot, output, spec.commandLine().getOut());
        if (svg != null) {
            PrintWriter err = spec.commandLine().getErr();
            Path exe = Graphviz.find();
            if (exe == null) {
                err.println("graph: Graphviz's dot is not on PATH; skipped " + svg + " (install graphviz to get the SVG)");
            } else {
                Graphviz.renderSvg(exe, dot, svg);
                err.println("graph: wrote " + svg);
            }
            err.flush();
        }
        return 0;
    }
}
