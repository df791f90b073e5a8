package dev.nabla.parallel;

/**
 * Reads the configured number of worker threads without starting the pool, so that a command line
 * can report a malformed setting as a usage error before any work starts.
 */
public final class ThreadsSetting {
    private ThreadsSetting() {}

    /**
     * The configured pool size: the system property {@code nabla.threads}, else the environment
     * variable {@code NABLA_THREADS}, else the number of cores.
     *
     * @throws IllegalArgumentException naming the setting when it is not a whole number &ge; 1
     */
    public static int configured() {
        String s = System.getProperty("nabla.threads");
        String source = "system property nabla.threads";
        if (s == null || s.isBlank()) { s = System.getenv("NABLA_THREADS"); source = "environment variable NABLA_THREADS"; }
        if (s == null || s.isBlank()) return Runtime.getRuntime().availableProcessors();
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(source + " must be a whole number of threads >= 1, got '" + s + "'");
    }
}
