package dev.nabla.cli.teach;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nabla check}: the table, the exit codes, and the spec path relative to the claims file. */
class CheckCommandTest {

    @Test
    void seed003HasWrongClaimsAndExitsOne() {
        Cli.Result r = Cli.run("check", "--example", "seed-003");
        assertEquals(1, r.exit(), r.err());
        String out = r.out();
        for (String col : new String[] {"label", "path", "claimed", "exact", "verdict"}) assertTrue(out.contains(col), out);
        assertTrue(out.matches("(?s).*dE/dw1\\s+gradients\\.0\\.weight\\[0]\\[0]\\s+0\\.0043\\s+-0\\.00448818\\s+WRONG: sign slip.*"), out);
        assertTrue(out.matches("(?s).*z_theta\\s+activations\\.2\\[0]\\[0]\\s+0\\.2872\\s+0\\.290256\\s+WRONG: rounding drift.*"), out);
        assertTrue(out.matches("(?s).*h1\\s+activations\\.1\\[0]\\[0]\\s+0\\.6767\\s+0\\.676646\\s+right \\(last digit off by one, allowed\\).*"), out);
        assertTrue(out.contains("21 claims: 12 right"), out);
        assertTrue(out.contains("9 wrong"), out);
    }

    @Test
    void seed004IsAllRightAndExitsZero() {
        Cli.Result r = Cli.run("check", "--example", "seed-004");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("64 claims: 64 right"), r.out());
        assertTrue(!r.out().contains("WRONG"), r.out());
    }

    @Test
    void specPathIsRelativeToTheClaimsFile(@TempDir Path dir) throws IOException {
        Path sub = Files.createDirectories(dir.resolve("hw"));
        Files.writeString(sub.resolve("net.json"), """
            {"input": [[1, 2]], "target": [[0.5]],
             "layers": [{"type": "linear", "weight": [[0.1, -0.2]], "bias": [0.3]}, {"type": "sigmoid"}],
             "loss": {"type": "squared_error", "reduction": "sum", "scale": 0.5}, "sgd": {"lr": 1}}""");
        // z = 0.1 - 0.4 + 0.3 = 0, a = 0.5, L = 0.5 (0.5 - 0.5)^2 = 0
        Files.writeString(sub.resolve("claims.json"), """
            {"spec": "net.json", "claims": {"activations.0[0][0]": "0.00", "output[0][0]": "0.5", "loss": "0.000"},
             "labels": {"loss": "L"}}""");
        Cli.Result r = Cli.run("check", sub.resolve("claims.json").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("3 claims: 3 right"), r.out());
    }
}
