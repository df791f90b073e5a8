package dev.nabla.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The top-level command: the command list, and usage mistakes answered in a few lines with exit code 2. */
class MainTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsEveryCommand() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String c : new String[] {"train", "predict", "evaluate", "grad", "explain", "check", "graph"})
            assertTrue(r.out().contains(c), "--help lists " + c + ":\n" + r.out());
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : new String[] {"train", "predict", "evaluate", "grad", "explain", "check", "graph"}) {
            Run r = run(c, "--help");
            assertEquals(0, r.code(), c + " --help");
            assertTrue(r.out().contains("Usage: nabla " + c), r.out());
        }
    }

    @Test
    void badOptionValueIsOneMessageAndAHint() {
        Run r = run("train", "--epochs", "abc");
        assertEquals(2, r.code());
        assertEquals("train: Invalid value for option '--epochs': 'abc' is not an int\n"
            + "Run 'nabla train --help' for the options.\n", r.err().replace("\r", ""));
        assertFalse(r.err().contains("Usage:"));
    }

    @Test
    void unknownCommandSuggestsAClose() {
        Run r = run("tran");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Did you mean: train"), r.err());
    }
}
