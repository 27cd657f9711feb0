package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.Elements;
import dev.jtensor.backend.plan.IterPlan;
import dev.jtensor.backend.plan.Layout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The copy/cast kernel: {@code dst[i] = (dstType) src[i]} over two layouts of the same shape (src may be
 * broadcast: stride 0). The layouts are resolved into an {@link IterPlan} (dims merged, walked in the
 * destination's memory order, split over the intra-op pool when large); each span is then one bulk
 * {@link MemorySegment#copy} (same dtype, unit strides), a raw strided element move (same dtype), a
 * typed cast loop for the common float conversions, or the general per-element conversion: integer to
 * integer through long (exact), everything else through double (floats to ints truncate, as a C cast).
 */
public final class CpuCopy {
    private CpuCopy() {}

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    public static void copy(MemorySegment src, DType srcType, Layout srcLayout,
                            MemorySegment dst, DType dstType, Layout dstLayout) {
        long n = dstLayout.numel();
        if (n == 0) return;
        if (srcType == dstType && srcLayout.isContiguous() && dstLayout.isContiguous() && n * srcType.byteSize() < (1 << 20)) {
            long es = srcType.byteSize();
            MemorySegment.copy(src, srcLayout.offset() * es, dst, dstLayout.offset() * es, n * es);
            return;
        }
        if (srcType == dstType && repeatRow(src, srcLayout, dst, dstLayout, srcType.byteSize())) return;
        IterPlan plan = IterPlan.of(dstLayout.shape(), dstLayout, srcLayout);
        int inner = plan.rank() - 1;
        long ds = plan.strides(0)[inner], ss = plan.strides(1)[inner];
        CpuLoops.forEachSpan(plan, (off, len) -> span(src, srcType, off[1], ss, dst, dstType, off[0], ds, len));
    }

    /**
     * One contiguous row broadcast over every row of a contiguous {@code dst} (an {@code addmm} bias, an
     * {@code expand(...).contiguous()}), written as the row then doubling block copies: log2(rows) bulk
     * copies instead of one per row. False, touching nothing, for any other layout.
     */
    private static boolean repeatRow(MemorySegment src, Layout sl, MemorySegment dst, Layout dl, long es) {
        int r = sl.rank();
        if (r < 2 || !dl.isContiguous() || sl.stride(r - 1) != 1) return false;
        for (int d = 0; d < r - 1; d++) if (sl.stride(d) != 0) return false;
        long rowBytes = sl.size(r - 1) * es, rows = dl.numel() / Math.max(sl.size(r - 1), 1);
        if (rowBytes == 0 || rows == 0) return true;
        MemorySegment out = dst.asSlice(dl.offset() * es, rows * rowBytes);
        MemorySegment.copy(src, sl.offset() * es, out, 0, rowBytes);
        for (long filled = 1; filled < rows; ) {
            long n = Math.min(filled, rows - filled);
            MemorySegment.copy(out, 0, out, filled * rowBytes, n * rowBytes);
            filled += n;
        }
        return true;
    }

    private static void span(MemorySegment src, DType st, long so, long ss, MemorySegment dst, DType dt, long dof, long ds, long n) {
        if (st == dt) {
            long es = st.byteSize();
            if (ss == 1 && ds == 1) {
                MemorySegment.copy(src, so * es, dst, dof * es, n * es);
            } else {
                moveStrided(src, so * es, ss * es, dst, dof * es, ds * es, (int) es, n);
            }
            return;
        }
        if (ss == 1 && ds == 1 && castContiguous(src, st, so, dst, dt, dof, n)) return;
        boolean exactInts = !st.isFloatingPoint() && !dt.isFloatingPoint();
        long sb = st.byteSize(), db = dt.byteSize();
        for (long i = 0; i < n; i++) {
            long from = (so + i * ss) * sb, to = (dof + i * ds) * db;
            if (exactInts) {
                Elements.setLong(dst, dt, to, Elements.getLong(src, st, from));
            } else {
                Elements.setDouble(dst, dt, to, Elements.getDouble(src, st, from));
            }
        }
    }

    /** Same-dtype strided move of raw elements of {@code es} bytes; strides and offsets in bytes. */
    private static void moveStrided(MemorySegment src, long from, long srcStep, MemorySegment dst, long to, long dstStep, int es, long n) {
        switch (es) {
            case 8 -> { for (long i = 0; i < n; i++) dst.set(I64, to + i * dstStep, src.get(I64, from + i * srcStep)); }
            case 4 -> { for (long i = 0; i < n; i++) dst.set(I32, to + i * dstStep, src.get(I32, from + i * srcStep)); }
            case 2 -> { for (long i = 0; i < n; i++) dst.set(I16, to + i * dstStep, src.get(I16, from + i * srcStep)); }
            default -> {
                for (long i = 0; i < n; i++) dst.set(ValueLayout.JAVA_BYTE, to + i * dstStep, src.get(ValueLayout.JAVA_BYTE, from + i * srcStep));
            }
        }
    }

    /** Typed loops for the common contiguous float conversions; false where none applies. Offsets in elements. */
    private static boolean castContiguous(MemorySegment src, DType st, long so, MemorySegment dst, DType dt, long dof, long len) {
        if (KernelChoice.castInC(len) && NativeKernels.cast(src, st, so, dst, dt, dof, len)) return true;
        int n = (int) len;
        long s = so * st.byteSize(), d = dof * dt.byteSize();
        if (st == DType.FLOAT32 && dt == DType.FLOAT64) {
            for (int i = 0; i < n; i++) dst.set(F64, d + 8L * i, src.get(F32, s + 4L * i));
        } else if (st == DType.FLOAT64 && dt == DType.FLOAT32) {
            for (int i = 0; i < n; i++) dst.set(F32, d + 4L * i, (float) src.get(F64, s + 8L * i));
        } else if (st == DType.INT64 && dt == DType.FLOAT32) {
            for (int i = 0; i < n; i++) dst.set(F32, d + 4L * i, (float) src.get(I64, s + 8L * i));
        } else if (st == DType.INT32 && dt == DType.FLOAT32) {
            for (int i = 0; i < n; i++) dst.set(F32, d + 4L * i, (float) src.get(I32, s + 4L * i));
        } else if (st == DType.INT64 && dt == DType.FLOAT64) {
            for (int i = 0; i < n; i++) dst.set(F64, d + 8L * i, (double) src.get(I64, s + 8L * i));
        } else if (st == DType.FLOAT16 && dt == DType.FLOAT32) {
            for (int i = 0; i < n; i++) dst.set(F32, d + 4L * i, Float.float16ToFloat(src.get(I16, s + 2L * i)));
        } else if (st == DType.FLOAT32 && dt == DType.FLOAT16) {
            for (int i = 0; i < n; i++) dst.set(I16, d + 2L * i, Float.floatToFloat16(src.get(F32, s + 4L * i)));
        } else if (st == DType.BFLOAT16 && dt == DType.FLOAT32) {
            for (int i = 0; i < n; i++) dst.set(F32, d + 4L * i, Elements.fromBFloat16(src.get(I16, s + 2L * i)));
        } else if (st == DType.FLOAT32 && dt == DType.BFLOAT16) {
            for (int i = 0; i < n; i++) dst.set(I16, d + 2L * i, Elements.toBFloat16(src.get(F32, s + 4L * i)));
        } else if (st == DType.BOOL && dt == DType.FLOAT32) {
            for (int i = 0; i < n; i++) dst.set(F32, d + 4L * i, src.get(ValueLayout.JAVA_BYTE, s + i) != 0 ? 1f : 0f);
        } else {
            return false;
        }
        return true;
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
