package dev.nabla.cli;

import dev.nabla.cli.teach.Output;
import dev.nabla.cli.teach.SpecSource;
import dev.nabla.explain.compute.Backprop;
import dev.nabla.explain.compute.ResultJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nabla grad SPEC.json}: every number of the spec's backpropagation, as the JSON output object of docs/spec-format.md. */
@Command(name = "grad", mixinStandardHelpOptions = true,
    description = {"Every number of a network spec's backpropagation, as JSON.",
        "Prints loss, output, activations and deltas (dL/d(layer output)) by layer index, gradients by parameter,",
        "and, when the spec has sgd, the updated parameters and loss_after (docs/spec-format.md)."})
public final class GradCommand implements Callable<Integer> {
    @Mixin SpecSource source;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the JSON to FILE instead of standard output.")
    Path output;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        Output.write(ResultJson.write(Backprop.run(source.load())), output, spec.commandLine().getOut());
        return 0;
    }
}
