package dev.jtensor.io;

import dev.jtensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed and validated safetensors header (huggingface/safetensors, {@code docs/source/index.mdx}): an
 * unsigned little-endian 64-bit length N, N bytes of UTF-8 JSON (an object: {@code "__metadata__"} mapping
 * strings to strings, and per tensor {@code {"dtype", "shape", "data_offsets": [begin, end]}} relative to the
 * byte buffer after the header), then the byte buffer. Validation follows the reference implementation: the
 * header is at most 100 MB and fits the file, the offsets (taken in increasing order) tile the byte buffer
 * exactly with no gap or overlap, and each tensor's size is its shape times its dtype's width. A dtype jtensor
 * lacks is kept by name ({@link Entry#dtype()} is null) so that only asking for that tensor fails.
 */
record SafetensorsHeader(List<Entry> entries, Map<String, String> metadata, long dataStart) {
    /** The reference implementation's cap on N. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** One tensor: offsets are relative to {@link #dataStart()}; {@code keyOffset} is its name's place in the file. */
    record Entry(String name, String dtypeName, DType dtype, long[] shape, long begin, long end, long keyOffset) {}

    static final Map<String, DType> DTYPES = Map.of("BOOL", DType.BOOL, "U8", DType.UINT8, "I8", DType.INT8, "I16", DType.INT16,
            "I32", DType.INT32, "I64", DType.INT64, "F16", DType.FLOAT16, "BF16", DType.BFLOAT16, "F32", DType.FLOAT32, "F64", DType.FLOAT64);
    /** Widths of the format's dtypes jtensor lacks, so that their sizes are still checked. */
    private static final Map<String, Integer> OTHER_WIDTHS = Map.of("F8_E5M2", 1, "F8_E4M3", 1, "F8_E8M0", 1, "U16", 2, "U32", 4,
            "U64", 8, "C64", 8);

    /** The format's name for {@code dtype} ({@code F32}, ...). */
    static String nameOf(DType dtype) {
        for (var e : DTYPES.entrySet()) if (e.getValue() == dtype) return e.getKey();
        throw new IllegalArgumentException("no safetensors name for " + dtype);
    }

    /** Reads and validates the header of the file mapped in {@code seg}. */
    static SafetensorsHeader parse(MemorySegment seg, String file) throws WeightsFormatException {
        return parse(seg, seg.byteSize(), file);
    }

    /**
     * Reads the length and header through {@code ch} (nothing is mapped for a file that is refused) and validates
     * them against the file's size.
     */
    static SafetensorsHeader read(java.nio.channels.FileChannel ch, String file) throws java.io.IOException {
        long size = ch.size();
        ByteBuffer len = ByteBuffer.allocate((int) Math.min(8, size)).order(ByteOrder.LITTLE_ENDIAN);
        while (len.hasRemaining() && ch.read(len, len.position()) >= 0) { /* fill */ }
        long n = size >= 8 ? len.getLong(0) : 0;
        int prefix = n >= 0 && n <= MAX_HEADER_BYTES && n <= size - 8 ? (int) (8 + n) : len.capacity();
        ByteBuffer head = ByteBuffer.allocate(prefix);
        while (head.hasRemaining()) {
            if (ch.read(head, head.position()) < 0) throw new WeightsFormatException(file, null, head.position(), "truncated while reading the header");
        }
        return parse(MemorySegment.ofArray(head.array()), size, file);
    }

    /** Validates a header whose bytes (at least the length and the JSON) are in {@code seg}; {@code size} is the file's. */
    private static SafetensorsHeader parse(MemorySegment seg, long size, String file) throws WeightsFormatException {
        if (size < 8) throw new WeightsFormatException(file, null, 0, "too short for a safetensors file (" + size + " bytes)");
        long n = seg.get(LE64, 0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new WeightsFormatException(file, null, 0, "header length " + Long.toUnsignedString(n) + " exceeds the format's limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        if (n > size - 8) {
            throw new WeightsFormatException(file, null, 0, "truncated: header length " + n + " runs past the end of the file ("
                    + size + " bytes)");
        }
        if (n < 2 || seg.get(ValueLayout.JAVA_BYTE, 8) != '{') {
            throw new WeightsFormatException(file, null, 8, "not a safetensors file (the header does not start with '{')");
        }
        if (!(Json.parse(seg, 8, 8 + n, file) instanceof Map<?, ?> top)) {
            throw new WeightsFormatException(file, null, 8, "the header is not a JSON object");
        }
        long dataStart = 8 + n;
        Map<String, String> metadata = Map.of();
        List<Entry> entries = new ArrayList<>();
        for (var e : top.entrySet()) {
            String name = (String) e.getKey();
            Json.Keyed k = (Json.Keyed) e.getValue();
            if (name.equals("__metadata__")) metadata = metadata(k, file);
            else entries.add(entry(name, k, file));
        }
        checkTiling(entries, size - dataStart, dataStart, file);
        return new SafetensorsHeader(Collections.unmodifiableList(entries), metadata, dataStart);
    }

    private static Map<String, String> metadata(Json.Keyed k, String file) throws WeightsFormatException {
        if (!(k.value() instanceof Map<?, ?> m)) throw new WeightsFormatException(file, null, k.offset(), "__metadata__ is not a JSON object");
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            Json.Keyed v = (Json.Keyed) e.getValue();
            if (!(v.value() instanceof String s)) {
                throw new WeightsFormatException(file, null, v.offset(), "__metadata__ value of \"" + e.getKey() + "\" is not a string");
            }
            out.put((String) e.getKey(), s);
        }
        return Collections.unmodifiableMap(out);
    }

    private static Entry entry(String name, Json.Keyed k, String file) throws WeightsFormatException {
        long at = k.offset();
        if (!(k.value() instanceof Map<?, ?> m)) throw new WeightsFormatException(file, name, at, "entry is not a JSON object");
        if (!m.keySet().equals(java.util.Set.of("dtype", "shape", "data_offsets"))) {
            throw new WeightsFormatException(file, name, at, "entry keys " + m.keySet() + " are not exactly [data_offsets, dtype, shape]");
        }
        if (!(value(m, "dtype") instanceof String dtypeName)) throw new WeightsFormatException(file, name, at, "dtype is not a string");
        long[] shape = longs(value(m, "shape"), -1, name, "shape", at, file);
        long[] offsets = longs(value(m, "data_offsets"), 2, name, "data_offsets", at, file);
        if (offsets[1] < offsets[0]) {
            throw new WeightsFormatException(file, name, at, "data_offsets " + Arrays.toString(offsets) + " end before they begin");
        }
        DType dtype = DTYPES.get(dtypeName);
        Integer width = dtype != null ? Integer.valueOf(dtype.byteSize()) : OTHER_WIDTHS.get(dtypeName);
        if (width != null) {
            long bytes = numel(shape, name, at, file);
            if (bytes > Long.MAX_VALUE / width || bytes * width != offsets[1] - offsets[0]) {
                throw new WeightsFormatException(file, name, at, "shape " + Arrays.toString(shape) + " of " + dtypeName + " does not match its "
                        + (offsets[1] - offsets[0]) + " bytes (data_offsets " + Arrays.toString(offsets) + ")");
            }
        }
        return new Entry(name, dtypeName, dtype, shape, offsets[0], offsets[1], at);
    }

    private static Object value(Map<?, ?> m, String key) { return ((Json.Keyed) m.get(key)).value(); }

    private static long[] longs(Object v, int count, String name, String what, long at, String file) throws WeightsFormatException {
        if (!(v instanceof List<?> list) || (count >= 0 && list.size() != count)) {
            throw new WeightsFormatException(file, name, at, what + " is not a list" + (count >= 0 ? " of " + count + " integers" : " of integers"));
        }
        if (list.size() > 64) throw new WeightsFormatException(file, name, at, what + " has " + list.size() + " dimensions (at most 64)");
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || l < 0) {
                throw new WeightsFormatException(file, name, at, what + " holds " + list.get(i) + ", not a non-negative integer");
            }
            out[i] = l;
        }
        return out;
    }

    private static long numel(long[] shape, String name, long at, String file) throws WeightsFormatException {
        long n = 1;
        for (long d : shape) {
            if (d != 0 && n > Long.MAX_VALUE / d) throw new WeightsFormatException(file, name, at, "shape " + Arrays.toString(shape) + " overflows");
            n *= d;
        }
        return n;
    }

    /** Sorted by begin, the tensors must cover {@code [0, bufferBytes)} exactly. */
    private static void checkTiling(List<Entry> entries, long bufferBytes, long dataStart, String file) throws WeightsFormatException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> a.begin() != b.begin() ? Long.compare(a.begin(), b.begin()) : Long.compare(a.end(), b.end()));
        long expected = 0;
        for (Entry e : sorted) {
            if (e.begin() != expected) {
                String what = e.begin() < expected ? "overlaps the tensor before it" : "leaves a gap after the tensor before it";
                throw new WeightsFormatException(file, e.name(), dataStart + e.begin(), "data_offsets [" + e.begin() + ", " + e.end() + "] "
                        + what + " (expected to begin at " + expected + ")");
            }
            if (e.end() > bufferBytes) {
                throw new WeightsFormatException(file, e.name(), dataStart + e.begin(), "truncated: data_offsets [" + e.begin() + ", " + e.end()
                        + "] run past the end of the file (" + bufferBytes + " data bytes)");
            }
            expected = e.end();
        }
        if (expected != bufferBytes) {
            throw new WeightsFormatException(file, null, dataStart + expected, "the tensors end at data byte " + expected + " but the file holds "
                    + bufferBytes + " data bytes");
        }
    }
}
