package dev.nabla.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the MNIST files for tests: the folder named by NABLA_MNIST_DIR, else shared/data/mnist
 * beside the repository (../shared/data/mnist from the repository root). Null when neither exists.
 */
public final class MnistFiles {
    private MnistFiles() {}

    public static Path locate() {
        String env = System.getenv("NABLA_MNIST_DIR");
        if (env != null && !env.isBlank() && Mnist.isPresent(Path.of(env))) return Path.of(env);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("run-tests")) || Files.isDirectory(p.resolve(".git"))) {
                Path candidate = p.resolve("../shared/data/mnist").normalize();
                return Mnist.isPresent(candidate) ? candidate : null;
            }
        }
        return null;
    }

    /** The message a skipped test gives. */
    public static final String SKIP = "MNIST not found: set NABLA_MNIST_DIR or put the files in ../shared/data/mnist beside the repository";
}
