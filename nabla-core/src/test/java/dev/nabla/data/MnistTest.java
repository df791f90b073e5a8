package dev.nabla.data;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class MnistTest {
    @TempDir Path dir;

    /** A tiny MNIST-like pair: n images of 28 x 28 with pixel value (i * 40) % 256 and label i % 10. */
    private static byte[][] tinySet(int n) throws IOException {
        byte[] px = new byte[n * 784], lab = new byte[n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(px, i * 784, (i + 1) * 784, (byte) (i * 40 % 256));
            lab[i] = (byte) (i % 10);
        }
        return new byte[][] {IdxTest.gzip(IdxTest.idx(0x08, new int[] {n, 28, 28}, px)), IdxTest.gzip(IdxTest.idx(0x08, new int[] {n}, lab))};
    }

    @Test
    void loadsTheTestSetAloneScaledToUnitRange() throws IOException {
        byte[][] set = tinySet(7);
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), set[0]);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTest.idx(0x08, new int[] {7}, new byte[] {0, 1, 2, 3, 4, 5, 6}));
        Mnist.Data d = Mnist.load(dir);
        assertNull(d.train());
        assertArrayEquals(new int[] {7, 28, 28}, d.test().features().shape());
        assertEquals(80 / 255f, d.test().features().get(2, 5, 5), 1e-7);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6}, d.test().labels().toFloatArray());
    }

    @Test
    void mismatchedOrMissingFilesAreReported() throws IOException {
        IOException none = assertThrows(IOException.class, () -> Mnist.load(dir));
        assertTrue(none.getMessage().contains("no MNIST files: expected t10k-images-idx3-ubyte[.gz]"), none.getMessage());
        byte[][] set = tinySet(5);
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), set[0]);
        IOException half = assertThrows(IOException.class, () -> Mnist.load(dir));
        assertTrue(half.getMessage().contains("found t10k-images-idx3-ubyte.gz but not t10k-labels-idx1-ubyte[.gz]"), half.getMessage());
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), tinySet(4)[1]);
        IOException count = assertThrows(IOException.class, () -> Mnist.load(dir));
        assertTrue(count.getMessage().contains("has 5 images but t10k-labels-idx1-ubyte.gz has 4 labels"), count.getMessage());
        IOException folder = assertThrows(IOException.class, () -> Mnist.load(dir.resolve("nowhere")));
        assertTrue(folder.getMessage().contains("no such folder"), folder.getMessage());
    }

    private static List<Mnist.RemoteFile> remoteFiles(Map<String, byte[]> content) throws IOException {
        List<Mnist.RemoteFile> files = new ArrayList<>();
        for (String name : List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            byte[] b = content.get(name + ".gz");
            java.security.MessageDigest md;
            try { md = java.security.MessageDigest.getInstance("SHA-256"); } catch (Exception e) { throw new IOException(e); }
            files.add(new Mnist.RemoteFile(name, java.util.HexFormat.of().formatHex(md.digest(b)), b.length));
        }
        return files;
    }

    @Test
    void downloadsOverHttpFromALocalServerAndVerifiesChecksums() throws IOException {
        byte[][] set = tinySet(6);
        Map<String, byte[]> served = Map.of("t10k-images-idx3-ubyte.gz", set[0], "t10k-labels-idx1-ubyte.gz", set[1]);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> requested = new ArrayList<>();
        server.createContext("/mnist/", ex -> {
            String name = ex.getRequestURI().getPath().substring("/mnist/".length());
            requested.add(name);
            byte[] body = served.get(name);
            if (body == null) { ex.sendResponseHeaders(404, -1); ex.close(); return; }
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) { o.write(body); }
        });
        server.createContext("/broken/", ex -> { ex.sendResponseHeaders(503, -1); ex.close(); });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            List<Mnist.RemoteFile> files = remoteFiles(served);
            List<String> log = new ArrayList<>();
            Path cache = dir.resolve("cache");
            // The first mirror fails; the second one serves the files.
            Mnist.download(cache, List.of(URI.create(base + "/broken/"), URI.create(base + "/mnist/")), files, log::add);
            assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"), requested);
            assertEquals(4, log.size(), log.toString());
            assertArrayEquals(set[0], Files.readAllBytes(cache.resolve("t10k-images-idx3-ubyte.gz")));
            assertEquals(6, Mnist.load(cache).test().size());
            // A second call finds the files and fetches nothing.
            Mnist.download(cache, List.of(URI.create(base + "/mnist/")), files, log::add);
            assertEquals(2, requested.size());

            // A server whose bytes do not match the checksum: an error, and nothing kept.
            Path other = dir.resolve("other");
            List<Mnist.RemoteFile> wrong = List.of(new Mnist.RemoteFile("t10k-images-idx3-ubyte", "00".repeat(32), 1));
            IOException e = assertThrows(IOException.class, () -> Mnist.download(other, List.of(URI.create(base + "/mnist/")), wrong, s -> {}));
            assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
            assertTrue(e.getMessage().contains("could not download t10k-images-idx3-ubyte.gz"), e.getMessage());
            assertFalse(Files.exists(other), "no partial or unverified file left, nor the folder made for it");

            IOException e404 = assertThrows(IOException.class, () -> Mnist.download(dir.resolve("x"),
                List.of(URI.create(base + "/broken/")), files, s -> {}));
            assertTrue(e404.getMessage().contains("HTTP 503"), e404.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void downloadsFromAFileUrl() throws IOException {
        byte[][] set = tinySet(3);
        Path mirror = Files.createDirectories(dir.resolve("mirror"));
        Files.write(mirror.resolve("t10k-images-idx3-ubyte.gz"), set[0]);
        Files.write(mirror.resolve("t10k-labels-idx1-ubyte.gz"), set[1]);
        List<Mnist.RemoteFile> files = remoteFiles(Map.of("t10k-images-idx3-ubyte.gz", set[0], "t10k-labels-idx1-ubyte.gz", set[1]));
        Path cache = dir.resolve("cache");
        Mnist.download(cache, List.of(mirror.toUri()), files, s -> {});
        assertEquals(3, Mnist.load(cache).test().size());
        assertEquals(files.get(1).sha256(), Download.sha256(cache.resolve("t10k-labels-idx1-ubyte.gz")));
    }

    @Test
    void realTestSetHasTheKnownChecksumsAndShape() throws IOException {
        Path mnist = MnistFiles.locate();
        Assumptions.assumeTrue(mnist != null, MnistFiles.SKIP);
        Path images = Mnist.find(mnist, Mnist.TEST_IMAGES);
        if (images.getFileName().toString().endsWith(".gz"))
            assertEquals(Mnist.TEST_IMAGES.sha256(), Download.sha256(images), "the shared file is the published one");
        Mnist.Data d = Mnist.load(mnist);
        assertArrayEquals(new int[] {10_000, 28, 28}, d.test().features().shape());
        assertEquals(10, d.test().numClasses());
        float max = 0;
        for (float v : d.test().features().floatData()) max = Math.max(max, v);
        assertEquals(1f, max);
    }
}
