package dev.nabla.cli;

import dev.nabla.explain.Examples;
import dev.nabla.explain.check.CheckReport;
import dev.nabla.explain.check.ClaimChecker;
import dev.nabla.explain.check.ClaimsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code nabla check CLAIMS.json}: compares numbers worked out by hand with the exact ones. Exit 0 when
 * every claim is right, 1 when any is wrong, 2 for bad input.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Checks numbers worked out by hand against the exact ones.",
        "Reads a claims file (docs/spec-format.md). A claim printed with d decimals is right when it is",
        "within one unit of the last place of the exact value rounded to d decimals. For each wrong claim it",
        "says what slip it looks like: a flipped sign, a factor of 2, a transposed or mislabelled entry,",
        "drift from rounding intermediates part-way, or plainly wrong.",
        "Exit status: 0 all right, 1 some wrong, 2 bad input."})
public final class CheckCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "CLAIMS.json",
        description = "A claims file; its spec path is relative to the claims file.")
    Path file;

    @Option(names = "--example", paramLabel = "NAME",
        description = "Check a built-in example's own printed numbers: seed-003 or seed-004.")
    String example;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (file != null && example != null) throw new IllegalArgumentException("give either CLAIMS.json or --example NAME, not both");
        if (file == null && example == null)
            throw new IllegalArgumentException("give CLAIMS.json or --example NAME (one of " + String.join(", ", Examples.NAMES) + ")");
        ClaimsFile claims = example != null ? ClaimsFile.example(example) : ClaimsFile.read(file);
        CheckReport report = ClaimChecker.check(claims);
        PrintWriter out = spec.commandLine().getOut();
        out.print(report.render());
        out.flush();
        return report.allRight() ? 0 : 1;
    }
}
