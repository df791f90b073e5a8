package dev.nabla.data;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class IdxTest {
    @TempDir Path dir;

    /** The IDX bytes for a type code, sizes and raw big-endian data, built field by field. */
    static byte[] idx(int type, int[] shape, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + data.length);   // big-endian by default
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) shape.length);
        for (int s : shape) b.putInt(s);
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) { gz.write(raw); }
        return bos.toByteArray();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsRawUnsignedBytes() throws IOException {
        byte[] data = {0, 1, (byte) 200, (byte) 255, 7, 8};
        NdArray a = Idx.read(file("raw-idx3-ubyte", idx(0x08, new int[] {1, 2, 3}, data)));
        assertEquals(DType.FLOAT32, a.dtype());
        assertArrayEquals(new int[] {1, 2, 3}, a.shape());
        assertArrayEquals(new float[] {0, 1, 200, 255, 7, 8}, a.toFloatArray());
    }

    @Test
    void readsGzipDetectedByMagicNotByName() throws IOException {
        byte[] data = {3, 1, 4, 1, 5};
        NdArray a = Idx.read(file("labels-without-gz-suffix", gzip(idx(0x08, new int[] {5}, data))));
        assertArrayEquals(new float[] {3, 1, 4, 1, 5}, a.toFloatArray());
        NdArray b = Idx.read(file("labels.gz", gzip(idx(0x08, new int[] {5}, data))));
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
    }

    @Test
    void readsEveryElementType() throws IOException {
        assertArrayEquals(new float[] {-1, 127, -128}, Idx.read(file("b", idx(0x09, new int[] {3}, new byte[] {-1, 127, -128}))).toFloatArray());
        ByteBuffer s = ByteBuffer.allocate(4).putShort((short) -300).putShort((short) 1234);
        assertArrayEquals(new float[] {-300, 1234}, Idx.read(file("s", idx(0x0B, new int[] {2}, s.array()))).toFloatArray());
        ByteBuffer i = ByteBuffer.allocate(8).putInt(-70000).putInt(5);
        assertArrayEquals(new float[] {-70000, 5}, Idx.read(file("i", idx(0x0C, new int[] {2, 1}, i.array()))).toFloatArray());
        ByteBuffer f = ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-2.25f);
        assertArrayEquals(new float[] {1.5f, -2.25f}, Idx.read(file("f", idx(0x0D, new int[] {2}, f.array()))).toFloatArray());
        ByteBuffer d = ByteBuffer.allocate(16).putDouble(0.1).putDouble(-1e-300);
        NdArray da = Idx.read(file("d", idx(0x0E, new int[] {2}, d.array())));
        assertEquals(DType.FLOAT64, da.dtype());
        assertArrayEquals(new double[] {0.1, -1e-300}, da.toDoubleArray());
    }

    private void assertError(byte[] bytes, String expected) throws IOException {
        Path p = file("bad-file", bytes);
        IOException e = assertThrows(IOException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected \"" + expected + "\" in: " + e.getMessage());
    }

    @Test
    void badMagicIsReported() throws IOException {
        byte[] b = idx(0x08, new int[] {2}, new byte[] {1, 2});
        b[1] = 0x05;
        assertError(b, "the magic number starts with 00 05, expected 00 00");
        assertError("hello, world".getBytes(), "not an IDX file");
        assertError(new byte[] {0, 0}, "shorter than the 4-byte magic number");
    }

    @Test
    void unknownTypeIsReported() throws IOException {
        assertError(idx(0x0A, new int[] {2}, new byte[] {1, 2}), "unknown IDX element type 0x0A");
    }

    @Test
    void wrongDimensionsAreReported() throws IOException {
        // Declares 3 x 3 = 9 bytes but carries 6: truncated.
        assertError(idx(0x08, new int[] {3, 3}, new byte[6]), "truncated: dimensions [3, 3] need 9 data bytes, the file has 6");
        // Declares 2 bytes but carries 6: extra data after the declared size.
        assertError(idx(0x08, new int[] {2}, new byte[6]), "4 bytes follow the 2 data bytes that dimensions [2] need");
        assertError(idx(0x08, new int[0], new byte[0]), "declares 0 dimensions");
        assertError(idx(0x08, new int[] {-4}, new byte[0]), "negative size -4");
        // Three dimensions declared, the header stops after one size.
        byte[] cut = Arrays.copyOf(idx(0x08, new int[] {2, 2, 2}, new byte[8]), 8);
        assertError(cut, "ends inside its header: 3 dimension sizes declared, 1 present");
    }

    @Test
    void truncatedGzipIsReported() throws IOException {
        byte[] full = gzip(idx(0x08, new int[] {1000}, new byte[1000]));
        assertError(Arrays.copyOf(full, full.length - 12), "corrupt gzip data");
        byte[] gzTruncatedData = gzip(idx(0x08, new int[] {10, 10}, new byte[50]));
        assertError(gzTruncatedData, "truncated: dimensions [10, 10] need 100 data bytes, the file has 50");
    }
}
