package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.Elements;
import dev.jtensor.backend.IndexTensor;
import dev.jtensor.backend.plan.IterPlan;
import dev.jtensor.backend.plan.Layout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.LongAdder;

/**
 * Element-level indexing kernels: gather, scatter (assign or accumulate), index_select, index_add
 * and the masked walks. Each reads its index values from the index tensor's own memory (int64 or int32, any
 * layout) and checks every value against the size it addresses before touching memory, throwing
 * {@link IndexOutOfBoundsException} naming index, dim and size, as PyTorch's kernels do. Copies move raw element
 * bytes (exact for every dtype); accumulation adds in int64 for integer dtypes and in double for floating ones,
 * in index order on one thread: deterministic.
 */
public final class CpuIndexing {
    private CpuIndexing() {}

    private static final LongAdder CALLS = new LongAdder();

    /** How many index kernels (gather, scatter, index_select, index_add) ran: one per backend call. */
    public static long kernelCalls() { return CALLS.sum(); }

    /** The values of an index tensor in host memory. */
    record Index(MemorySegment seg, boolean int32, Layout layout) {
        Index(MemorySegment seg, IndexTensor t) { this(seg, t.type() == DType.INT32, t.layout()); }

        long at(long[] p) { return read(CpuIndexing.offsetOf(layout, p)); }

        /** The k-th value of a 0-d or 1-d index. */
        long flat(long k) { return read(layout.offset() + (layout.rank() == 0 ? 0 : k * layout.stride(0))); }

        long count() { return layout.numel(); }

        private long read(long off) {
            return int32 ? seg.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, off) : seg.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, off);
        }

        /** {@code v} checked against {@code size}. */
        static long check(long v, int dim, long size) {
            if (v < 0 || v >= size) {
                throw new IndexOutOfBoundsException("index " + v + " is out of bounds for dimension " + dim + " with size " + size);
            }
            return v;
        }
    }

    /**
     * {@code out[p] = x[p with p[dim] := index[p]]} for every position p of the index shape (row-major),
     * {@code out} contiguous of that shape.
     */
    public static void gather(MemorySegment x, DType t, Layout xl, int dim, Index index, MemorySegment out) {
        CALLS.increment();
        int eb = t.byteSize();
        long[] indexShape = index.layout().shape();
        long[] p = new long[indexShape.length];
        long size = xl.size(dim);
        for (long k = 0; k < index.count(); k++) {
            long off = xl.offset();
            for (int d = 0; d < p.length; d++) off += (d == dim ? Index.check(index.at(p), dim, size) : p[d]) * xl.stride(d);
            MemorySegment.copy(x, off * eb, out, k * eb, eb);
            step(p, indexShape);
        }
    }

    /**
     * {@code out[p with p[dim] := index[p]] = src[p]} (or {@code +=} when {@code accumulate}) for every position
     * p of the index shape; {@code src == null} writes {@code value} instead.
     */
    public static void scatter(MemorySegment out, DType t, Layout ol, int dim, Index index,
                               MemorySegment src, Layout sl, double value, boolean accumulate) {
        CALLS.increment();
        int eb = t.byteSize();
        long[] indexShape = index.layout().shape();
        long size = ol.size(dim);
        if (indexShape.length == 1 && src != null && !accumulate) { // the 1-d copy (nonzero's positions): no multi-index
            for (long k = 0; k < indexShape[0]; k++) {
                long off = ol.offset() + Index.check(index.flat(k), dim, size) * ol.stride(0);
                MemorySegment.copy(src, (sl.offset() + k * sl.stride(0)) * eb, out, off * eb, eb);
            }
            return;
        }
        long[] p = new long[indexShape.length];
        for (long k = 0; k < index.count(); k++) {
            long off = ol.offset(), so = src == null ? 0 : sl.offset();
            for (int d = 0; d < p.length; d++) {
                off += (d == dim ? Index.check(index.at(p), dim, size) : p[d]) * ol.stride(d);
                if (src != null) so += p[d] * sl.stride(d);
            }
            if (src == null) Elements.setDouble(out, t, off * eb, value);
            else if (accumulate) addElement(out, off * eb, src, so * eb, t);
            else MemorySegment.copy(src, so * eb, out, off * eb, eb);
            step(p, indexShape);
        }
    }

    /** {@code out.select(dim, j) = x.select(dim, index[j])}: every value checked first, then one strided copy per slice. */
    static void indexSelect(MemorySegment x, DType t, Layout xl, int dim, Index index, MemorySegment out, Layout ol) {
        CALLS.increment();
        long n = index.count(), size = xl.size(dim);
        long[] idx = new long[Math.toIntExact(n)];
        for (int j = 0; j < n; j++) idx[j] = Index.check(index.flat(j), dim, size);
        if (xl.rank() == 1) { // slices of one element: copy elements, not n strided copies
            int eb = t.byteSize();
            long xs = xl.stride(0), os = ol.stride(0);
            for (int j = 0; j < n; j++) MemorySegment.copy(x, (xl.offset() + idx[j] * xs) * eb, out, (ol.offset() + j * os) * eb, eb);
            return;
        }
        for (int j = 0; j < n; j++) CpuCopy.copy(x, t, xl.select(dim, idx[j]), out, t, ol.select(dim, j));
    }

    /** {@code out.select(dim, index[j]) += alpha * src.select(dim, j)} in index order (deterministic). */
    static void indexAdd(MemorySegment out, DType t, Layout ol, int dim, Index index, MemorySegment src, Layout sl, double alpha) {
        CALLS.increment();
        long n = index.count(), size = ol.size(dim);
        long[] idx = new long[Math.toIntExact(n)];
        for (int j = 0; j < n; j++) idx[j] = Index.check(index.flat(j), dim, size);
        if (ol.rank() == 1 && alpha == 1) { // slices of one element
            int eb = t.byteSize();
            for (int j = 0; j < n; j++) {
                addElement(out, (ol.offset() + idx[j] * ol.stride(0)) * eb, src, (sl.offset() + j * sl.stride(0)) * eb, t);
            }
            return;
        }
        for (int j = 0; j < n; j++) {
            Layout target = ol.select(dim, idx[j]), from = sl.select(dim, j);
            CpuLoops.binary(BinaryKernel.ADD, alpha, t, IterPlan.of(target.shape(), target, target, from), out, t, out, t, src, t);
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

    /** The row-major positions of the true elements of a bool mask into {@code out} (int64, exactly {@code count} of them). */
    static void nonzero(MemorySegment mask, Layout ml, MemorySegment out, long count) {
        long[] k = {0};
        long[] i = {0};
        if (ml.isContiguous()) {
            for (long n = ml.numel(), off = ml.offset(), j = 0; j < n; j++) {
                if (mask.get(ValueLayout.JAVA_BYTE, off + j) != 0 && k[0]++ < count) out.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, k[0] - 1, j);
            }
        } else {
            ml.forEachOffset(off -> {
                if (mask.get(ValueLayout.JAVA_BYTE, off) != 0 && k[0]++ < count) out.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, k[0] - 1, i[0]);
                i[0]++;
            });
        }
        if (k[0] != count) throw new IllegalStateException("nonzero: the mask holds " + k[0] + " true elements, expected " + count);
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
}
