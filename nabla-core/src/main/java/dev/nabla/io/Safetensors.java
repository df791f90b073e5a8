package dev.nabla.io;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.array.Shapes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format (the one PyTorch and Hugging Face use for weights):
 * <pre>
 *   8 bytes   N, the header length, unsigned little-endian
 *   N bytes   a UTF-8 JSON object, padded with spaces so that N is a multiple of 8:
 *             {"__metadata__":{"key":"value",...},
 *              "name":{"dtype":"F32","shape":[2,3],"data_offsets":[begin,end]}, ...}
 *   the rest  the tensors' bytes, row-major, little-endian; offsets count from the end of the header
 * </pre>
 * As the reference implementation does, the writer orders tensors by dtype alignment (F64 before
 * F32) and then by name, packs them without gaps, writes {@code __metadata__} first (its keys
 * sorted) and omits it when empty. The reader accepts any order but requires the offsets to tile
 * the data area exactly (no overlap, no gap, nothing past the end). Nabla's dtypes are F32 and
 * F64; a file with another dtype is rejected with a message naming the tensor.
 */
public final class Safetensors {
    private Safetensors() {}

    /** The reference implementation refuses headers above this size (100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";
    private static final Set<String> OTHER_DTYPES = Set.of("BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32",
        "I64", "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64");

    /** A file's tensors (in header order) and its {@code __metadata__} (empty when absent). */
    public record Contents(Map<String, NdArray> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** The tensor with this name; an error names the file's tensors when it is absent. */
        public NdArray tensor(String name) {
            NdArray t = tensors.get(name);
            if (t == null) throw new IllegalArgumentException("no tensor named \"" + name + "\"; the file has " + tensors.keySet());
            return t;
        }
    }

    // ================================================================ writing

    /**
     * Writes the tensors and metadata to file, atomically (temporary file in the same folder, then
     * rename): an interrupted write leaves any previous file intact. Arrays are not modified.
     */
    public static void write(Path file, Map<String, NdArray> tensors, Map<String, String> metadata) throws IOException {
        Prepared p = prepare(tensors, metadata);
        AtomicFile.write(file, out -> p.writeTo(out));
    }

    /** Writes the safetensors bytes to a stream (not closed). */
    public static void writeTo(OutputStream out, Map<String, NdArray> tensors, Map<String, String> metadata) throws IOException {
        prepare(tensors, metadata).writeTo(out);
    }

    /** The safetensors bytes of the tensors and metadata. */
    public static byte[] toBytes(Map<String, NdArray> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try {
            writeTo(bos, tensors, metadata);
        } catch (IOException e) {
            throw new AssertionError("ByteArrayOutputStream does not throw", e);
        }
        return bos.toByteArray();
    }

    private record Prepared(byte[] header, List<NdArray> order) {
        void writeTo(OutputStream out) throws IOException {
            byte[] len = new byte[8];
            ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(len);
            out.write(header);
            byte[] chunk = new byte[1 << 16];
            for (NdArray a : order) writeData(out, a, chunk);
        }
    }

    private static Prepared prepare(Map<String, NdArray> tensors, Map<String, String> metadata) {
        List<Map.Entry<String, NdArray>> entries = new ArrayList<>(tensors.entrySet());
        for (Map.Entry<String, NdArray> e : entries) {
            if (e.getKey() == null || e.getValue() == null) throw new IllegalArgumentException("safetensors: null tensor name or array");
            if (e.getKey().equals(METADATA_KEY)) throw new IllegalArgumentException("safetensors: \"" + METADATA_KEY + "\" is reserved and cannot name a tensor");
        }
        // Descending alignment (F64 before F32), then by name as UTF-8 bytes: the reference order.
        entries.sort(Comparator.<Map.Entry<String, NdArray>>comparingInt(e -> -e.getValue().dtype().bytes())
            .thenComparing((a, b) -> Arrays.compareUnsigned(a.getKey().getBytes(StandardCharsets.UTF_8), b.getKey().getBytes(StandardCharsets.UTF_8))));
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            Map<String, Object> meta = new TreeMap<>(Comparator.comparing((String k) -> k.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) throw new IllegalArgumentException("safetensors: metadata keys and values must not be null");
                meta.put(e.getKey(), e.getValue());
            }
            header.put(METADATA_KEY, meta);
        }
        long offset = 0;
        List<NdArray> order = new ArrayList<>(entries.size());
        for (Map.Entry<String, NdArray> e : entries) {
            NdArray a = e.getValue();
            long n = (long) a.numel() * a.dtype().bytes();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", a.dtype().safetensorsName());
            List<Object> shape = new ArrayList<>();
            for (int s : a.shape()) shape.add((long) s);
            info.put("shape", shape);
            info.put("data_offsets", List.of(offset, offset + n));
            header.put(e.getKey(), info);
            offset += n;
            order.add(a);
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] h = Arrays.copyOf(json, padded);
        Arrays.fill(h, json.length, padded, (byte) ' ');
        return new Prepared(h, order);
    }

    private static void writeData(OutputStream out, NdArray a, byte[] chunk) throws IOException {
        NdArray c = a.contiguous();
        int n = c.numel(), off = c.offset(), size = a.dtype().bytes();
        int perChunk = chunk.length / size;
        ByteBuffer buf = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i += perChunk) {
            int m = Math.min(perChunk, n - i);
            buf.clear();
            if (c.dtype() == DType.FLOAT32) buf.asFloatBuffer().put(c.floatData(), off + i, m);
            else buf.asDoubleBuffer().put(c.doubleData(), off + i, m);
            out.write(chunk, 0, m * size);
        }
    }

    // ================================================================ reading

    /** Reads a safetensors file; a malformed one gets an IOException naming the file and the problem. */
    public static Contents read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** Parses safetensors bytes; source names them in error messages (a file name). */
    public static Contents fromBytes(byte[] bytes, String source) throws IOException {
        return parse(bytes, source);
    }

    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {}

    private static Contents parse(byte[] b, String source) throws IOException {
        String where = source + ": ";
        if (b.length < 8) throw new IOException(where + "not a safetensors file: " + b.length + " bytes, shorter than the 8-byte header length");
        long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > MAX_HEADER_BYTES)
            throw new IOException(where + "header length " + Long.toUnsignedString(n) + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
        if (8 + n > b.length)
            throw new IOException(where + "header length " + n + " runs past the end of the file (" + b.length + " bytes); the file is truncated or not safetensors");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, 8, (int) n)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(where + "the header is not valid UTF-8");
        }
        if (text.isEmpty() || text.charAt(0) != '{') throw new IOException(where + "the header does not start with '{'");
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.ParseException e) {
            throw new IOException(where + "malformed JSON header: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> root)) throw new IOException(where + "the header is not a JSON object");
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : root.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) readMetadata(where, e.getValue(), metadata);
            else entries.add(readEntry(where, name, e.getValue()));
        }
        long dataLength = b.length - 8 - n;
        checkOffsets(where, entries, dataLength);
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        int base = (int) (8 + n);
        for (Entry e : entries) tensors.put(e.name, decode(b, base + (int) e.begin, e));
        return new Contents(tensors, metadata);
    }

    private static void readMetadata(String where, Object v, Map<String, String> out) throws IOException {
        if (!(v instanceof Map<?, ?> m)) throw new IOException(where + "\"" + METADATA_KEY + "\" must be an object of strings");
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s))
                throw new IOException(where + "\"" + METADATA_KEY + "\" entry \"" + e.getKey() + "\" must be a string, not " + describe(e.getValue()));
            out.put((String) e.getKey(), s);
        }
    }

    private static Entry readEntry(String where, String name, Object v) throws IOException {
        String what = where + "tensor \"" + name + "\": ";
        if (!(v instanceof Map<?, ?> m)) throw new IOException(what + "expected an object with dtype, shape and data_offsets, found " + describe(v));
        for (Object k : m.keySet())
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets"))
                throw new IOException(what + "unexpected field \"" + k + "\" (expected dtype, shape, data_offsets)");
        if (!(m.get("dtype") instanceof String dt)) throw new IOException(what + "missing or non-string \"dtype\"");
        DType dtype = switch (dt) {
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            default -> throw new IOException(what + (OTHER_DTYPES.contains(dt)
                ? "dtype " + dt + " is not supported by Nabla (supported: F32, F64)"
                : "unknown dtype \"" + dt + "\" (supported: F32, F64)"));
        };
        if (!(m.get("shape") instanceof List<?> shapeList)) throw new IOException(what + "missing or non-array \"shape\"");
        int[] shape = new int[shapeList.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long s) || s < 0 || s > Integer.MAX_VALUE)
                throw new IOException(what + "shape entry " + i + " is " + shapeList.get(i) + ", expected a non-negative integer");
            shape[i] = (int) (long) s;
            numel *= s;
            if (numel > Integer.MAX_VALUE) throw new IOException(what + "shape " + shapeList + " has more than 2^31 - 1 elements");
        }
        if (!(m.get("data_offsets") instanceof List<?> offs) || offs.size() != 2
            || !(offs.get(0) instanceof Long begin) || !(offs.get(1) instanceof Long end) || begin < 0 || end < begin)
            throw new IOException(what + "\"data_offsets\" must be [begin, end] with 0 <= begin <= end, found " + m.get("data_offsets"));
        long expected = numel * dtype.bytes();
        if (end - begin != expected)
            throw new IOException(what + "shape " + Shapes.str(shape) + " of " + dt + " needs " + expected + " bytes, but data_offsets ["
                + begin + ", " + end + "] give " + (end - begin));
        return new Entry(name, dtype, shape, begin, end);
    }

    private static void checkOffsets(String where, List<Entry> entries, long dataLength) throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin < at)
                throw new IOException(where + "tensor \"" + e.name + "\": data_offsets [" + e.begin + ", " + e.end + "] overlap tensor \""
                    + previous.name + "\" [" + previous.begin + ", " + previous.end + "]");
            if (e.end > dataLength)
                throw new IOException(where + "tensor \"" + e.name + "\": data_offsets [" + e.begin + ", " + e.end
                    + "] run past the end of the data (" + dataLength + " bytes); the file is truncated?");
            if (e.begin > at)
                throw new IOException(where + "tensor \"" + e.name + "\": data_offsets start at " + e.begin + ", leaving a gap after byte " + at
                    + " (the data must be packed without holes)");
            at = e.end;
            previous = e;
        }
        if (at != dataLength)
            throw new IOException(where + "the tensors cover " + at + " bytes of data but the file has " + dataLength + " after the header");
    }

    private static NdArray decode(byte[] b, int start, Entry e) {
        int n = Shapes.numel(e.shape);
        ByteBuffer buf = ByteBuffer.wrap(b, start, n * e.dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (e.dtype == DType.FLOAT32) {
            float[] f = new float[n];
            buf.asFloatBuffer().get(f);
            return NdArray.of(f, e.shape);
        }
        double[] d = new double[n];
        buf.asDoubleBuffer().get(d);
        return NdArray.of(d, e.shape);
    }

    private static String describe(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> "the string " + Json.quote(s);
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            default -> v.toString();
        };
    }
}
