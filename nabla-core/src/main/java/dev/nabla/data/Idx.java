package dev.nabla.data;

import dev.nabla.array.NdArray;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX format in which MNIST is distributed, raw or gzip-compressed (recognized by the
 * gzip magic bytes 1f 8b, whatever the file name):
 * <pre>
 *   bytes 0-1   0x00 0x00
 *   byte  2     element type: 0x08 unsigned byte, 0x09 signed byte, 0x0B int16, 0x0C int32,
 *               0x0D float32, 0x0E float64
 *   byte  3     number of dimensions d (≥ 1)
 *   then        d sizes, each a big-endian int32
 *   then        the elements, row-major, big-endian; exactly as many as the sizes give
 * </pre>
 * The result is float32 (float64 for 0x0E) with the file's values, unscaled. Every check that
 * fails (magic, type, dimensions, a length that does not match) gets an IOException naming the
 * file and what was expected.
 */
public final class Idx {
    private Idx() {}

    /** Type code → element size in bytes (0 = unknown code). */
    static int elementSize(int type) {
        return switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> 0;
        };
    }

    /** Reads an IDX file (raw or gzip). */
    public static NdArray read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            try (InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
                return read(in, file.toString());
            } catch (ZipException | EOFException e) {
                if (gzip) throw new IOException(file + ": corrupt gzip data (" + e.getMessage() + ")");
                throw e;
            }
        }
    }

    /** Reads IDX data from a stream (already decompressed); source names it in error messages. */
    public static NdArray read(InputStream in, String source) throws IOException {
        byte[] head = in.readNBytes(4);
        if (head.length < 4)
            throw new IOException(source + ": not an IDX file: " + head.length + " bytes, shorter than the 4-byte magic number");
        if (head[0] != 0 || head[1] != 0)
            throw new IOException(source + ": not an IDX file: the magic number starts with " + hex(head[0]) + " " + hex(head[1])
                + ", expected 00 00");
        int type = head[2] & 0xff, dims = head[3] & 0xff;
        int size = elementSize(type);
        if (size == 0)
            throw new IOException(source + ": unknown IDX element type 0x" + String.format("%02X", type)
                + " (expected 08 ubyte, 09 byte, 0B short, 0C int, 0D float or 0E double)");
        if (dims == 0) throw new IOException(source + ": the IDX header declares 0 dimensions, expected at least 1");
        byte[] sizes = in.readNBytes(4 * dims);
        if (sizes.length < 4 * dims)
            throw new IOException(source + ": the file ends inside its header: " + dims + " dimension sizes declared, "
                + sizes.length / 4 + " present");
        int[] shape = new int[dims];
        ByteBuffer sb = ByteBuffer.wrap(sizes).order(ByteOrder.BIG_ENDIAN);
        long count = 1;
        for (int i = 0; i < dims; i++) {
            shape[i] = sb.getInt();
            if (shape[i] < 0) throw new IOException(source + ": dimension " + i + " has negative size " + shape[i]);
            count *= shape[i];
            if (count * size > Integer.MAX_VALUE - 16)
                throw new IOException(source + ": dimensions " + java.util.Arrays.toString(shape) + " are too large (over 2 GB of data)");
        }
        int bytes = (int) count * size;
        byte[] data = in.readNBytes(bytes);
        if (data.length < bytes)
            throw new IOException(source + ": truncated: dimensions " + java.util.Arrays.toString(shape) + " need " + bytes
                + " data bytes, the file has " + data.length);
        byte[] extra = in.readNBytes(1 << 12);
        if (extra.length > 0) {
            long more = extra.length;
            while (true) {
                long skipped = in.skip(1 << 20);
                if (skipped > 0) more += skipped;
                else if (in.read() >= 0) more++;
                else break;
            }
            throw new IOException(source + ": " + more + " bytes follow the " + bytes + " data bytes that dimensions "
                + java.util.Arrays.toString(shape) + " need (wrong dimensions?)");
        }
        return decode(data, type, (int) count, shape);
    }

    private static NdArray decode(byte[] data, int type, int n, int[] shape) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
        if (type == 0x0E) {
            double[] d = new double[n];
            b.asDoubleBuffer().get(d);
            return NdArray.of(d, shape);
        }
        float[] f = new float[n];
        switch (type) {
            case 0x08 -> { for (int i = 0; i < n; i++) f[i] = data[i] & 0xff; }
            case 0x09 -> { for (int i = 0; i < n; i++) f[i] = data[i]; }
            case 0x0B -> { for (int i = 0; i < n; i++) f[i] = b.getShort(2 * i); }
            case 0x0C -> { for (int i = 0; i < n; i++) f[i] = b.getInt(4 * i); }
            case 0x0D -> b.asFloatBuffer().get(f);
            default -> throw new AssertionError(type);
        }
        return NdArray.of(f, shape);
    }

    private static String hex(byte b) { return String.format("%02X", b & 0xff); }
}
