package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.internal.Elements;
import dev.jtensor.internal.layout.Layout;
import java.lang.foreign.MemorySegment;

/**
 * Element-level indexing kernels: gather, scatter (assign or accumulate), and the masked walks. Every
 * index value they receive has been checked against its dim's size by the op layer before this code
 * addresses memory. Copies move raw element bytes (exact for every dtype); accumulation adds in int64
 * for integer dtypes and in double for floating ones.
 */
public final class CpuIndexing {
    private CpuIndexing() {}

    /**
     * {@code out[p] = x[p with p[dim] := index[p]]} for every position p of the index shape (row-major),
     * {@code out} contiguous of that shape.
     */
    public static void gather(MemorySegment x, DType t, Layout xl, int dim, long[] index, long[] indexShape, MemorySegment out) {
        int eb = t.byteSize();
        long[] p = new long[indexShape.length];
        for (int k = 0; k < index.length; k++) {
            long off = xl.offset();
            for (int d = 0; d < p.length; d++) off += (d == dim ? index[k] : p[d]) * xl.stride(d);
            MemorySegment.copy(x, off * eb, out, (long) k * eb, eb);
            step(p, indexShape);
        }
    }

    /**
     * {@code out[p with p[dim] := index[p]] = src[p]} (or {@code +=} when {@code accumulate}) for every position
     * p of the index shape; {@code src == null} writes {@code value} instead.
     */
    public static void scatter(MemorySegment out, DType t, Layout ol, int dim, long[] index, long[] indexShape,
                               MemorySegment src, Layout sl, double value, boolean accumulate) {
        int eb = t.byteSize();
        long[] p = new long[indexShape.length];
        for (int k = 0; k < index.length; k++) {
            long off = ol.offset(), so = src == null ? 0 : sl.offset();
            for (int d = 0; d < p.length; d++) {
                off += (d == dim ? index[k] : p[d]) * ol.stride(d);
                if (src != null) so += p[d] * sl.stride(d);
            }
            if (src == null) Elements.setDouble(out, t, off * eb, value);
            else if (accumulate) addElement(out, off * eb, src, so * eb, t);
            else MemorySegment.copy(src, so * eb, out, off * eb, eb);
            step(p, indexShape);
        }
    }

    /** {@code dst[dstByte] += src[srcByte]}, exact in int64 for integer types. */
    public static void addElement(MemorySegment dst, long dstByte, MemorySegment src, long srcByte, DType t) {
        if (t.isFloatingPoint()) {
            Elements.setDouble(dst, t, dstByte, Elements.getDouble(dst, t, dstByte) + Elements.getDouble(src, t, srcByte));
        } else {
            Elements.setLong(dst, t, dstByte, Elements.getLong(dst, t, dstByte) + Elements.getLong(src, t, srcByte));
        }
    }

    /** Sets {@code x[p] = value} wherever {@code mask[p]} is true; both layouts of one shape (mask bool). */
    public static void maskedFill(MemorySegment x, DType t, Layout xl, MemorySegment mask, Layout ml, double value) {
        long[] shape = xl.shape();
        long[] p = new long[shape.length];
        int eb = t.byteSize();
        for (long k = 0; k < xl.numel(); k++) {
            if (mask.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offsetOf(ml, p)) != 0) {
                Elements.setDouble(x, t, offsetOf(xl, p) * eb, value);
            }
            step(p, shape);
        }
    }

    /** Element offset of position {@code p} in layout {@code l}. */
    static long offsetOf(Layout l, long[] p) {
        long off = l.offset();
        for (int d = 0; d < p.length; d++) off += p[d] * l.stride(d);
        return off;
    }

    /** Advances a row-major multi-index over {@code shape}. */
    static void step(long[] p, long[] shape) {
        for (int d = p.length - 1; d >= 0; d--) {
            if (++p[d] < shape[d]) return;
            p[d] = 0;
        }
    }

    /** {@code dst[dstOffset + k] = src[offsets[k]]} (element offsets), elements of {@code eb} bytes. */
    public static void take(MemorySegment src, long[] offsets, MemorySegment dst, long dstOffset, int eb) {
        for (int k = 0; k < offsets.length; k++) MemorySegment.copy(src, offsets[k] * eb, dst, (dstOffset + k) * eb, eb);
    }

    /** {@code dst[offsets[k]] = src[srcOffset + k]} (element offsets), elements of {@code eb} bytes. */
    public static void put(MemorySegment src, long srcOffset, MemorySegment dst, long[] offsets, int eb) {
        for (int k = 0; k < offsets.length; k++) MemorySegment.copy(src, (srcOffset + k) * eb, dst, offsets[k] * eb, eb);
    }
}
