package dev.jtensor.io;

import dev.jtensor.DType;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code .npy} header (NumPy's {@code numpy/lib/_format_impl.py}): magic {@code \x93NUMPY},
 * version 1.0 (uint16 header length, latin-1 text), 2.0 (uint32 length, latin-1) or 3.0 (uint32,
 * UTF-8), then a dict literal with exactly the keys {@code descr}, {@code fortran_order}, {@code shape}.
 *
 * @param dataOffset byte offset of the first element, relative to the start of the {@code .npy} bytes
 * @param dataBytes  {@code prod(shape) * itemsize}, checked for overflow
 */
record NpyHeader(int major, DType dtype, boolean bigEndian, boolean fortranOrder, long[] shape,
                 long dataOffset, long dataBytes) {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy aligns the data to this many bytes since 1.14; readers must not assume it. */
    static final int ARRAY_ALIGN = 64;
    private static final int MAX_RANK = 64; // NumPy's NPY_MAXDIMS
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    /** Reads bytes of the {@code .npy} at a position; returns how many it read (fewer only at the end). */
    interface Source {
        int read(long position, byte[] into) throws java.io.IOException;
    }

    /**
     * Reads and validates a header. {@code available} is the number of bytes in the {@code .npy}
     * (file size, or member size in a zip): the declared data must fit, so nothing is allocated from an
     * unchecked size. {@code base} is where the {@code .npy} starts in {@code file}, for messages. A header
     * text longer than {@code maxHeaderSize} characters is refused (NumPy's {@code max_header_size}): for
     * versions 1 and 2 (latin-1) before it is read; for 3 (UTF-8, up to 4 bytes a character) a length past
     * 4x the limit before, the character count after decoding.
     */
    static NpyHeader read(Source src, long available, String file, long base, long maxHeaderSize) throws java.io.IOException {
        byte[] pre = new byte[12];
        int got = src.read(0, pre);
        if (got < 10) throw new NpyFormatException(file, base + got, "truncated: too short for an .npy header (" + available + " bytes)");
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre[i] != MAGIC[i]) throw new NpyFormatException(file, base + i, "not an .npy file (bad magic, expected \\x93NUMPY)");
        }
        int major = pre[6] & 0xff, minor = pre[7] & 0xff;
        if (!(minor == 0 && (major == 1 || major == 2 || major == 3))) {
            throw new NpyFormatException(file, base + 6, "unsupported .npy format version " + major + "." + minor + " (known: 1.0, 2.0, 3.0)");
        }
        long headerLen;
        int textStart;
        if (major == 1) {
            headerLen = (pre[8] & 0xff) | (pre[9] & 0xff) << 8;
            textStart = 10;
        } else {
            if (got < 12) throw new NpyFormatException(file, base + got, "truncated .npy header length field");
            headerLen = (pre[8] & 0xffL) | (pre[9] & 0xffL) << 8 | (pre[10] & 0xffL) << 16 | (pre[11] & 0xffL) << 24;
            textStart = 12;
        }
        long dataOffset = textStart + headerLen;
        long maxBytes = major != 3 ? maxHeaderSize : maxHeaderSize > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : maxHeaderSize * 4;
        if (headerLen > maxBytes) throw tooLong(file, base + 8, headerLen, maxHeaderSize);
        if (headerLen > Integer.MAX_VALUE - 16) throw new NpyFormatException(file, base + 8, "header length " + headerLen + " past 2 GiB");
        if (dataOffset > available) {
            throw new NpyFormatException(file, base + 8, "truncated: header length " + headerLen + " runs past the end ("
                    + available + " bytes)");
        }
        byte[] raw = new byte[(int) headerLen];
        if (src.read(textStart, raw) != raw.length) throw new NpyFormatException(file, base + textStart, "truncated header");
        String text = new String(raw, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        long chars = text.codePointCount(0, text.length());
        if (chars > maxHeaderSize) throw tooLong(file, base + 8, chars, maxHeaderSize);
        Object lit = PyLiteral.parse(text, file, base + textStart);
        return fromDict(lit, major, dataOffset, available, file, base, base + textStart);
    }

    private static NpyFormatException tooLong(String file, long at, long length, long max) {
        return new NpyFormatException(file, at, "header length " + length + " exceeds max_header_size " + max
                + " (as NumPy, long headers are refused: they may not be safe to parse; raise the limit for a trusted file"
                + " with NpyReadOptions.withMaxHeaderSize or -D" + NpyReadOptions.MAX_HEADER_PROPERTY + ")");
    }

    private static NpyHeader fromDict(Object lit, int major, long dataOffset, long available, String file, long base, long at)
            throws NpyFormatException {
        if (!(lit instanceof Map<?, ?> dict)) throw new NpyFormatException(file, at, "header is not a dict literal");
        if (!dict.keySet().equals(KEYS)) {
            throw new NpyFormatException(file, at, "header keys " + dict.keySet() + " are not exactly " + KEYS.stream().sorted().toList());
        }
        Object descr = dict.get("descr");
        if (descr instanceof List<?> || descr instanceof PyLiteral.Tuple) {
            throw new NpyFormatException(file, at, "structured/subarray dtype " + descr + " is not supported (numeric dtypes only)");
        }
        if (!(descr instanceof String d)) throw new NpyFormatException(file, at, "'descr' is not a string: " + descr);
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new NpyFormatException(file, at, "'fortran_order' is not True or False: " + dict.get("fortran_order"));
        }
        long[] shape = shapeOf(dict.get("shape"), file, at);
        DType dtype = dtypeOf(d, file, at);
        boolean big = isBigEndian(d, dtype, file, at);
        long bytes = byteCount(shape, dtype);
        if (bytes < 0) {
            throw new NpyFormatException(file, at, "array is too big: shape " + Arrays.toString(shape) + " of '" + d
                    + "' has a byte count (of its non-zero dims) past 2^63 - 1");
        }
        if (bytes > available - dataOffset) {
            throw new NpyFormatException(file, base + dataOffset, "truncated data: shape " + Arrays.toString(shape) + " of '" + d
                    + "' needs " + bytes + " bytes but only " + (available - dataOffset) + " follow the header");
        }
        return new NpyHeader(major, dtype, big, fortran, shape, dataOffset, bytes);
    }

    /**
     * The data bytes of {@code shape}, or -1 when NumPy refuses the shape (PyArray_NewFromDescr): the
     * product of the non-zero dims times the item size must fit, so {@code (1, 0, 2**63-1)} is refused
     * although it holds no element, since its strides could not be represented.
     */
    static long byteCount(long[] shape, DType dtype) {
        long n = dtype.byteSize();
        boolean empty = false;
        for (long s : shape) {
            if (s == 0) {
                empty = true;
            } else {
                long p = n * s;
                if (s < 0 || Math.multiplyHigh(n, s) != 0 || p < 0) return -1;
                n = p;
            }
        }
        return empty ? 0 : n;
    }

    private static long[] shapeOf(Object s, String file, long at) throws NpyFormatException {
        if (!(s instanceof PyLiteral.Tuple(List<Object> items))) throw new NpyFormatException(file, at, "'shape' is not a tuple: " + s);
        if (items.size() > MAX_RANK) throw new NpyFormatException(file, at, "shape has " + items.size() + " dims (at most " + MAX_RANK + ")");
        long[] shape = new long[items.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(items.get(i) instanceof Long v) || v < 0) {
                throw new NpyFormatException(file, at, "shape entry " + i + " is not a non-negative integer: " + items.get(i));
            }
            shape[i] = v;
        }
        return shape;
    }

    /** NumPy's type string (without the byte-order character) to a jtensor dtype; refuses the rest. */
    private static DType dtypeOf(String descr, String file, long at) throws NpyFormatException {
        String code = !descr.isEmpty() && "<>|=".indexOf(descr.charAt(0)) >= 0 ? descr.substring(1) : descr;
        DType t = switch (code) {
            case "b1", "?" -> DType.BOOL;
            case "i1" -> DType.INT8;
            case "u1" -> DType.UINT8;
            case "i2" -> DType.INT16;
            case "i4" -> DType.INT32;
            case "i8" -> DType.INT64;
            case "f2" -> DType.FLOAT16;
            case "f4" -> DType.FLOAT32;
            case "f8" -> DType.FLOAT64;
            default -> null;
        };
        if (t != null) return t;
        String why;
        if (code.startsWith("O")) why = "object arrays hold pickles, which jtensor never loads";
        else if (code.startsWith("c")) why = "complex dtypes are not supported";
        else if (code.startsWith("U") || code.startsWith("S") || code.startsWith("a")) why = "string dtypes are not supported";
        else if (code.startsWith("V")) why = "void/structured dtypes are not supported";
        else if (code.startsWith("M") || code.startsWith("m")) why = "datetime/timedelta dtypes are not supported";
        else if (code.startsWith("u")) why = "jtensor has no unsigned integer type wider than 8 bits (convert with astype in NumPy)";
        else if (code.startsWith("f")) why = "jtensor has no float type of this size";
        else why = "unknown dtype";
        throw new NpyFormatException(file, at, "dtype '" + descr + "' refused: " + why);
    }

    private static boolean isBigEndian(String descr, DType t, String file, long at) throws NpyFormatException {
        char order = "<>|=".indexOf(descr.charAt(0)) >= 0 ? descr.charAt(0) : '=';
        if (t.byteSize() == 1) return false; // byte order does not apply
        return switch (order) {
            case '<' -> false;
            case '>' -> true;
            case '=' -> ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;
            default -> throw new NpyFormatException(file, at, "byte order '|' is invalid for the multi-byte dtype '" + descr + "'");
        };
    }

    /** NumPy's descr for a dtype, as {@code np.save} writes it. */
    static String descrOf(DType t) {
        return switch (t) {
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
            case FLOAT16 -> "<f2";
            case INT8 -> "|i1";
            case UINT8 -> "|u1";
            case INT16 -> "<i2";
            case INT32 -> "<i4";
            case INT64 -> "<i8";
            case BOOL -> "|b1";
            case BFLOAT16 -> throw new UnsupportedOperationException("NumPy has no bfloat16 dtype, so jtensor refuses to write one to"
                    + " .npy/.npz; convert first with t.to(DType.FLOAT32) (exact: every bfloat16 is a float32)");
        };
    }

    /**
     * The complete header bytes ({@code magic, version, length, dict, padding, '\n'}) for an array,
     * padded so that the data starts at a multiple of {@link #ARRAY_ALIGN}: version 1.0 unless the text
     * needs more than 65 535 bytes (then 2.0). Keys are sorted as NumPy writes them.
     */
    static byte[] encode(DType t, long[] shape, boolean fortranOrder) {
        StringBuilder s = new StringBuilder("{'descr': '").append(descrOf(t)).append("', 'fortran_order': ")
                .append(fortranOrder ? "True" : "False").append(", 'shape': (");
        for (int i = 0; i < shape.length; i++) s.append(i == 0 ? "" : ", ").append(shape[i]);
        s.append(shape.length == 1 ? ",), }" : "), }");
        int textLen = s.length() + 1; // + '\n'
        int prefix = textLen + 10 <= 65535 ? 10 : 12;
        int total = (prefix + textLen + ARRAY_ALIGN - 1) / ARRAY_ALIGN * ARRAY_ALIGN;
        s.append(" ".repeat(total - prefix - textLen)).append('\n');
        byte[] out = new byte[total];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = (byte) (prefix == 10 ? 1 : 2);
        long len = total - prefix;
        for (int i = 0; i < prefix - 8; i++) out[8 + i] = (byte) (len >>> (8 * i));
        byte[] text = s.toString().getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(text, 0, out, prefix, text.length);
        return out;
    }
}
