package dev.nabla.explain.spec;

/**
 * A mistake in a network spec or a claims file: the message names the file, the JSON path inside it
 * and what was expected, in one line ({@code seed.json: layers[2].weight: row 1 has 3 numbers,
 * expected 2 (the layer's input size)}). It is an {@link IllegalArgumentException}, so the command
 * line reports it as bad input (exit code 2) without a stack trace.
 */
public final class SpecError extends IllegalArgumentException {
    private final String file;
    private final String path;
    private final String problem;

    public SpecError(String file, String path, String problem) {
        super(compose(file, path, problem));
        this.file = file;
        this.path = path;
        this.problem = problem;
    }

    /** The file as the user named it. */
    public String file() { return file; }

    /** The JSON path of the offending value ({@code layers[2].weight}), empty for the whole file. */
    public String path() { return path; }

    /** What is wrong, without file and path. */
    public String problem() { return problem; }

    private static String compose(String file, String path, String problem) {
        StringBuilder sb = new StringBuilder(file);
        if (path != null && !path.isEmpty()) sb.append(": ").append(path);
        return sb.append(": ").append(problem).toString();
    }
}
