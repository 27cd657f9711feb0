package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.internal.Elements;
import dev.jtensor.internal.layout.Layout;
import java.lang.foreign.MemorySegment;

/**
 * The copy/cast kernel: {@code dst[i] = (dstType) src[i]} over two layouts of the same shape.
 * Contiguous same-dtype copies are one bulk {@link MemorySegment#copy}; the rest walk both layouts
 * with an odometer. Integer-to-integer casts go through long (exact); everything else through double.
 */
public final class CpuCopy {
    private CpuCopy() {}

    public static void copy(MemorySegment src, DType srcType, Layout srcLayout,
                            MemorySegment dst, DType dstType, Layout dstLayout) {
        long n = dstLayout.numel();
        if (n == 0) return;
        if (srcType == dstType && srcLayout.isContiguous() && dstLayout.isContiguous()) {
            long es = srcType.byteSize();
            MemorySegment.copy(src, srcLayout.offset() * es, dst, dstLayout.offset() * es, n * es);
            return;
        }
        boolean exactInts = !srcType.isFloatingPoint() && !dstType.isFloatingPoint();
        long[] shape = dstLayout.shape();
        long[] ss = srcLayout.strides(), ds = dstLayout.strides();
        int rank = shape.length;
        long[] idx = new long[rank];
        long so = srcLayout.offset(), dof = dstLayout.offset();
        long sb = srcType.byteSize(), db = dstType.byteSize();
        for (long k = 0; k < n; k++) {
            if (exactInts) {
                Elements.setLong(dst, dstType, dof * db, Elements.getLong(src, srcType, so * sb));
            } else {
                Elements.setDouble(dst, dstType, dof * db, Elements.getDouble(src, srcType, so * sb));
            }
            for (int d = rank - 1; d >= 0; d--) { // odometer step
                if (++idx[d] < shape[d]) {
                    so += ss[d];
                    dof += ds[d];
                    break;
                }
                so -= ss[d] * (shape[d] - 1);
                dof -= ds[d] * (shape[d] - 1);
                idx[d] = 0;
            }
        }
    }

    /** Fills every element of the layout with {@code v} converted to {@code type}. */
    public static void fill(MemorySegment dst, DType type, Layout layout, double v) {
        long n = layout.numel();
        if (n == 0) return;
        long eb = type.byteSize();
        if (layout.isContiguous()) {
            long start = layout.offset() * eb;
            Elements.setDouble(dst, type, start, v);
            if (v == 0 && !(1 / v < 0)) {
                dst.asSlice(start, n * eb).fill((byte) 0);
                return;
            }
            for (long filled = 1; filled < n; ) { // doubling copies: log2(n) bulk copies
                long chunk = Math.min(filled, n - filled);
                MemorySegment.copy(dst, start, dst, start + filled * eb, chunk * eb);
                filled += chunk;
            }
            return;
        }
        long[] shape = layout.shape(), st = layout.strides();
        long[] idx = new long[shape.length];
        long off = layout.offset();
        for (long k = 0; k < n; k++) {
            Elements.setDouble(dst, type, off * eb, v);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) { off += st[d]; break; }
                off -= st[d] * (shape[d] - 1);
                idx[d] = 0;
            }
        }
    }
}
