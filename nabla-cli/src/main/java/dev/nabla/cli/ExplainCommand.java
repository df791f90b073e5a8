package dev.nabla.cli;

import dev.nabla.cli.teach.Output;
import dev.nabla.cli.teach.SpecSource;
import dev.nabla.explain.Explainer;
import dev.nabla.explain.derive.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nabla explain SPEC.json}: the backpropagation of a spec derived step by step, with every number. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {"The backpropagation of a network spec, derived step by step.",
        "Writes what a teaching assistant would: each forward formula with its numbers, the loss, each error",
        "signal as a chain-rule product, each parameter gradient, the SGD update and the loss after it."})
public final class ExplainCommand implements Callable<Integer> {
    @Mixin SpecSource source;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
        description = "text (default), markdown or latex (a complete document).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        Format f = Format.parse(format);
        if (f == null) throw new IllegalArgumentException("--format: unknown format '" + format + "' (expected text, markdown or latex)");
        Output.write(Explainer.explain(source.load(), f), output, spec.commandLine().getOut());
        return 0;
    }
}
