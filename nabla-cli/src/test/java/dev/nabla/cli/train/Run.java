package dev.nabla.cli.train;

import dev.nabla.cli.Main;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the nabla command in-process with captured output. */
final class Run {
    private Run() {}

    record Result(int exit, String out, String err) {}

    static Result nabla(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The MNIST folder beside the repository (../shared/data/mnist) or in NABLA_MNIST_DIR, else null. */
    static Path mnist() {
        String env = System.getenv("NABLA_MNIST_DIR");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env))) return Path.of(env);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.isRegularFile(p.resolve("run-tests")) || Files.isDirectory(p.resolve(".git"))) {
                Path c = p.resolve("../shared/data/mnist").normalize();
                return Files.isDirectory(c) ? c : null;
            }
        return null;
    }
}
