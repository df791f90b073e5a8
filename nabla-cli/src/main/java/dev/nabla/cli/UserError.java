package dev.nabla.cli;

/** A mistake in the user's input: printed as one line (no stack trace) and mapped to an exit code. */
public class UserError extends RuntimeException {
    private final int exitCode;

    public UserError(String message) { this(message, 2); }

    public UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() { return exitCode; }
}
