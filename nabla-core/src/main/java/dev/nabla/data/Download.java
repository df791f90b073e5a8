package dev.nabla.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fetches a file over HTTP(S) (or copies a {@code file:} URL) into a folder and checks its SHA-256
 * digest before it takes the target name: the bytes go to a temporary file beside the target, and
 * only a file whose digest matches is renamed into place. A failed or mismatching download leaves
 * no file behind.
 */
public final class Download {
    private Download() {}

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    /**
     * Downloads url to target and verifies it.
     *
     * @param sha256 the expected digest, 64 hex digits
     * @throws IOException naming the URL when the server cannot be reached, answers with an error
     *                     status, or sends bytes whose digest differs
     */
    public static void fetch(URI url, Path target, String sha256) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".part");
        try {
            String got;
            try (InputStream in = open(url);
                 OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                MessageDigest md = sha256();
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
                got = HexFormat.of().formatHex(md.digest());
            }
            if (!got.equalsIgnoreCase(sha256))
                throw new IOException(url + ": checksum mismatch: SHA-256 " + got + ", expected " + sha256.toLowerCase(java.util.Locale.ROOT)
                    + " (a corrupt or changed download; nothing was kept)");
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The SHA-256 digest of a file, as 64 lowercase hex digits. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    private static InputStream open(URI url) throws IOException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("file")) {
            try {
                return Files.newInputStream(Path.of(url));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IOException(url + ": no such file");
            }
        }
        if (!scheme.equals("http") && !scheme.equals("https"))
            throw new IOException(url + ": unsupported URL scheme \"" + scheme + "\" (expected http, https or file)");
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new IOException(url + ": download interrupted");
        } catch (IOException e) {
            client.close();
            throw new IOException(url + ": cannot download (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            client.close();
            throw new IOException(url + ": the server answered HTTP " + response.statusCode());
        }
        // Closing the body also releases the client's threads.
        return new java.io.FilterInputStream(response.body()) {
            @Override public void close() throws IOException {
                try { super.close(); } finally { client.close(); }
            }
        };
    }
}
