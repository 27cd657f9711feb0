package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.Elements;
import dev.jtensor.backend.ScatterReduce;
import dev.jtensor.backend.plan.Layout;
import java.lang.foreign.MemorySegment;

/**
 * {@code scatter_reduce_} on the host, in index order as PyTorch's CPU kernel: floating types combine in
 * double and store each step in their own type (so float32 rounds as a float loop would), integer types
 * combine exactly in int64 (wrapping as C++). Index values are checked here against the dim they address.
 */
final class CpuScatterReduce {
    private CpuScatterReduce() {}

    static void run(ScatterReduce reduce, boolean includeSelf, MemorySegment out, DType t, Layout ol, int dim, CpuIndexing.Index index,
                    MemorySegment src, Layout sl) {
        long[] indexShape = index.layout().shape();
        int n = Math.toIntExact(index.count());
        long size = ol.size(dim);
        long[] outOff = new long[n], srcOff = new long[n];
        long[] p = new long[indexShape.length];
        for (int k = 0; k < n; k++) {
            long o = ol.offset(), so = sl.offset();
            for (int d = 0; d < p.length; d++) {
                o += (d == dim ? CpuIndexing.Index.check(index.at(p), dim, size) : p[d]) * ol.stride(d);
                so += p[d] * sl.stride(d);
            }
            outOff[k] = o;
            srcOff[k] = so;
            CpuIndexing.step(p, indexShape);
        }
        int eb = t.byteSize();
        boolean floating = t.isFloatingPoint();
        java.util.Map<Long, Long> counts = new java.util.HashMap<>(); // receiving positions and how many values each got
        for (int k = 0; k < n; k++) {
            long ob = outOff[k] * eb, sb = srcOff[k] * eb;
            boolean first = counts.merge(outOff[k], 1L, Long::sum) == 1 && !includeSelf; // drops what out held
            if (first) MemorySegment.copy(src, sb, out, ob, eb);
            else if (floating) Elements.setDouble(out, t, ob, combine(reduce, Elements.getDouble(out, t, ob), Elements.getDouble(src, t, sb)));
            else Elements.setLong(out, t, ob, combine(reduce, Elements.getLong(out, t, ob), Elements.getLong(src, t, sb)));
        }
        if (reduce != ScatterReduce.MEAN) return;
        for (var e : counts.entrySet()) {
            long ob = e.getKey() * eb, c = e.getValue() + (includeSelf ? 1 : 0);
            if (floating) Elements.setDouble(out, t, ob, Elements.getDouble(out, t, ob) / c);
            else Elements.setLong(out, t, ob, Math.floorDiv(Elements.getLong(out, t, ob), c));
        }
    }

    private static double combine(ScatterReduce r, double a, double b) {
        return switch (r) {
            case SUM, MEAN -> a + b;
            case PROD -> a * b;
            case AMAX -> Double.isNaN(b) ? b : Double.isNaN(a) ? a : Math.max(a, b);
            case AMIN -> Double.isNaN(b) ? b : Double.isNaN(a) ? a : Math.min(a, b);
        };
    }

    private static long combine(ScatterReduce r, long a, long b) {
        return switch (r) {
            case SUM, MEAN -> a + b;
            case PROD -> a * b;
            case AMAX -> Math.max(a, b);
            case AMIN -> Math.min(a, b);
        };
    }
}
