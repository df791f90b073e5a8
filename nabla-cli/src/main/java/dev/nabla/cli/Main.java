package dev.nabla.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nabla} command. Each subcommand lives in its own class; register new ones in
 * {@link #SUBCOMMANDS}. Exit codes: 0 success, 1 a negative result (a wrong claim, a failed check),
 * 2 bad input (a usage error, a malformed file), with one clear message and no stack trace.
 */
@Command(name = "nabla", mixinStandardHelpOptions = true, version = "nabla 0.1.0",
    description = "Backpropagation and deep learning for the JVM.",
    subcommandsRepeatable = false)
public final class Main implements Runnable {

    /** Every subcommand, in the order --help lists them. */
    static final Object[] SUBCOMMANDS = {
        GradCommand.class, ExplainCommand.class, CheckCommand.class, GraphCommand.class,
        TrainCommand.class, PredictCommand.class, EvaluateCommand.class,
    };

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Object sub : SUBCOMMANDS) cl.addSubcommand(sub);
        // A mistyped option or value: the message and where to look, not the whole usage text.
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            java.io.PrintWriter err = c.getErr();
            err.println(c.getCommandName() + ": " + ex.getMessage());
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty())
                err.println("Did you mean: " + String.join(" or ", u.getSuggestions()) + "?");
            err.println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for the options.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UserError || ex instanceof IllegalArgumentException || ex instanceof java.io.IOException
                || ex instanceof java.io.UncheckedIOException) {
                commandLine.getErr().println(commandLine.getCommandName() + ": " + ex.getMessage());
                return ex instanceof UserError u ? u.exitCode() : 2;
            }
            throw ex;
        });
        return cl;
    }

    public static void main(String[] args) {
        try {
            dev.nabla.parallel.ThreadsSetting.configured();
        } catch (IllegalArgumentException e) {   // NABLA_THREADS=abc: a usage error, before any work starts
            System.err.println("nabla: " + e.getMessage());
            System.exit(2);
        }
        System.exit(commandLine().execute(args));
    }
}
