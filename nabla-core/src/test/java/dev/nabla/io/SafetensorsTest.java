package dev.nabla.io;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsTest {

    /** Builds a file from its parts by hand, the way the format describes it. */
    private static byte[] file(String headerJson, byte[] data) {
        byte[] json = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json).put(data);
        return b.array();
    }

    private static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putInt(Float.floatToRawIntBits(x));
        return b.array();
    }

    private static byte[] f64(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) b.putLong(Double.doubleToRawLongBits(x));
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    @Test
    void singleTensorMatchesTheReferenceLayout() {
        // The reference implementation's own example: a 2x2 zero tensor named "test" gives a 60-byte
        // JSON header padded with 4 spaces to 64 ('@'), then 16 zero bytes.
        byte[] got = Safetensors.toBytes(Map.of("test", NdArray.zeros(DType.FLOAT32, 2, 2)), Map.of());
        byte[] expected = new byte[8 + 64 + 16];
        expected[0] = '@';
        byte[] json = "{\"test\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}    ".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(json, 0, expected, 8, 64);
        assertArrayEquals(expected, got);
    }

    @Test
    void writtenBytesAreExactlyTheFormat() {
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        tensors.put("weight", NdArray.of(new float[] {1f, -2.5f, 3.25f, 0f, 1e-3f, -7f}, 2, 3));
        tensors.put("bias", NdArray.of(new float[] {0.5f, -0.5f}, 2));
        tensors.put("scale", NdArray.of(new double[] {Math.PI}));   // 0-d, F64: goes first (larger alignment)
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("zeta", "last \"quoted\"");
        meta.put("alpha", "first\nline");
        byte[] got = Safetensors.toBytes(tensors, meta);

        String header = "{\"__metadata__\":{\"alpha\":\"first\\nline\",\"zeta\":\"last \\\"quoted\\\"\"},"
            + "\"scale\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},"
            + "\"bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
            + "\"weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[16,40]}}";
        int pad = (8 - header.length() % 8) % 8;
        String padded = header + " ".repeat(pad);
        assertEquals(0, padded.length() % 8);
        byte[] expected = file(padded, concat(f64(Math.PI), f32(0.5f, -0.5f), f32(1f, -2.5f, 3.25f, 0f, 1e-3f, -7f)));
        assertArrayEquals(expected, got);
    }

    @Test
    void handBuiltFileWithF32AndF64ReadsBack() throws IOException {
        // Any tensor order in the header is allowed; here F32 comes first and the F64 after it.
        String header = "{\"a\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 12]},\n"
            + " \"__metadata__\": {\"format\": \"pt\", \"note\": \"caf\\u00e9 \\/ \\\\\"},\n"
            + " \"m\": {\"dtype\": \"F64\", \"shape\": [2, 2], \"data_offsets\": [12, 44]}}  ";
        byte[] bytes = file(header, concat(f32(1.5f, -2f, 1e30f), f64(0.1, -0.2, 1e-300, 4)));
        Safetensors.Contents c = Safetensors.fromBytes(bytes, "hand.safetensors");
        assertEquals(List.of("a", "m"), List.copyOf(c.tensors().keySet()));
        assertEquals(Map.of("format", "pt", "note", "café / \\"), c.metadata());
        NdArray a = c.tensor("a"), m = c.tensor("m");
        assertEquals(DType.FLOAT32, a.dtype());
        assertArrayEquals(new int[] {3}, a.shape());
        assertArrayEquals(new float[] {1.5f, -2f, 1e30f}, a.toFloatArray());
        assertEquals(DType.FLOAT64, m.dtype());
        assertArrayEquals(new int[] {2, 2}, m.shape());
        assertArrayEquals(new double[] {0.1, -0.2, 1e-300, 4}, m.toDoubleArray());
    }

    @Test
    void roundTripThroughAFileKeepsValuesAndViews(@TempDir Path dir) throws IOException {
        NdArray base = NdArray.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Map<String, NdArray> tensors = Map.of("t", base.transpose(0, 1), "empty", NdArray.zeros(DType.FLOAT64, 0, 3));
        Path f = dir.resolve("x.safetensors");
        Safetensors.write(f, tensors, Map.of("k", "v"));
        Safetensors.Contents c = Safetensors.read(f);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, c.tensor("t").toFloatArray());
        assertArrayEquals(new int[] {3, 2}, c.tensor("t").shape());
        assertArrayEquals(new int[] {0, 3}, c.tensor("empty").shape());
        assertEquals("v", c.metadata().get("k"));
        assertEquals(List.of("x.safetensors"), Files.list(dir).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void interruptedWriteLeavesThePreviousFileIntact(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("model.safetensors");
        Map<String, NdArray> v1 = Map.of("w", NdArray.of(new float[] {1, 2, 3}, 3));
        Safetensors.write(f, v1, Map.of("version", "1"));
        byte[] before = Files.readAllBytes(f);

        Map<String, NdArray> v2 = Map.of("w", NdArray.zeros(DType.FLOAT32, 100_000));
        // The disk "fails" after 1000 bytes of the new file have been written.
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(f, out ->
            Safetensors.writeTo(new FailingStream(out, 1000), v2, Map.of("version", "2"))));
        assertEquals("simulated disk failure", e.getMessage());

        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals("1", Safetensors.read(f).metadata().get("version"));
        assertEquals(List.of("model.safetensors"), Files.list(dir).map(p -> p.getFileName().toString()).toList(), "no temporary file left");
    }

    /** Passes through a number of bytes, then fails like a full disk. */
    private static final class FailingStream extends java.io.FilterOutputStream {
        private long left;

        FailingStream(java.io.OutputStream out, long limit) { super(out); left = limit; }

        @Override public void write(int b) throws IOException {
            if (left-- <= 0) throw new IOException("simulated disk failure");
            out.write(b);
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            for (int i = 0; i < len; i++) write(b[off + i]);
        }
    }

    @Test
    void reservedNameIsRejected() {
        var e = assertThrows(IllegalArgumentException.class,
            () -> Safetensors.toBytes(Map.of("__metadata__", NdArray.zeros(DType.FLOAT32, 1)), Map.of()));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        unknown dtype           | {"a":{"dtype":"Q7","shape":[2],"data_offsets":[0,8]}}                  | unknown dtype "Q7"
        unsupported dtype       | {"a":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}}                 | dtype I32 is not supported by Nabla
        size mismatch           | {"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}                 | needs 12 bytes, but data_offsets [0, 8] give 8
        reversed offsets        | {"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}                 | "data_offsets" must be [begin, end]
        negative shape          | {"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}                | shape entry 0 is -2
        missing shape           | {"a":{"dtype":"F32","data_offsets":[0,8]}}                             | missing or non-array "shape"
        extra field             | {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":1}}           | unexpected field "x"
        overlap                 | {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}} | overlap tensor "a"
        out of range            | {"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}                | run past the end of the data
        gap                     | {"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}                 | leaving a gap after byte 0
        uncovered data          | {"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}                 | cover 4 bytes of data but the file has 8
        bad json                | {"a":{"dtype":"F32",}}                                                 | malformed JSON header
        trailing text           | {"a":1} x                                                              | malformed JSON header: unexpected text
        duplicate key           | {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} | duplicate key "a"
        not an object           | [1,2]                                                                  | does not start with '{'
        metadata not strings    | {"__metadata__":{"n":3},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} | entry "n" must be a string
        tensor not an object    | {"a":"F32"}                                                            | expected an object with dtype
        """)
    void malformedHeadersAreRejectedClearly(String name, String header, String expected) {
        byte[] bytes = file(header, new byte[8]);
        IOException e = assertThrows(IOException.class, () -> Safetensors.fromBytes(bytes, "bad.safetensors"));
        assertTrue(e.getMessage().startsWith("bad.safetensors: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected \"" + expected + "\" in: " + e.getMessage());
    }

    @Test
    void truncatedAndTinyFilesAreRejected() {
        byte[] good = Safetensors.toBytes(Map.of("w", NdArray.of(new float[] {1, 2, 3, 4}, 4)), Map.of());
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 3);
        IOException e1 = assertThrows(IOException.class, () -> Safetensors.fromBytes(cut, "cut"));
        assertTrue(e1.getMessage().contains("run past the end of the data"), e1.getMessage());
        IOException e2 = assertThrows(IOException.class, () -> Safetensors.fromBytes(new byte[5], "tiny"));
        assertTrue(e2.getMessage().contains("shorter than the 8-byte header length"), e2.getMessage());
        byte[] huge = new byte[16];
        huge[7] = 0x01;   // a header length of 2^56 bytes
        IOException e3 = assertThrows(IOException.class, () -> Safetensors.fromBytes(huge, "huge"));
        assertTrue(e3.getMessage().contains("exceeds the limit"), e3.getMessage());
        byte[] past = java.util.Arrays.copyOf(good, 20);
        IOException e4 = assertThrows(IOException.class, () -> Safetensors.fromBytes(past, "past"));
        assertTrue(e4.getMessage().contains("runs past the end of the file"), e4.getMessage());
    }

    @Test
    void invalidUtf8HeaderIsRejected() {
        byte[] bytes = file("{\"a\":1}", new byte[0]);
        bytes[10] = (byte) 0xC3;   // a lone UTF-8 lead byte
        IOException e = assertThrows(IOException.class, () -> Safetensors.fromBytes(bytes, "enc"));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }
}
