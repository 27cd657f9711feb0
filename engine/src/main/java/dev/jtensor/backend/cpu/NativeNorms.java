package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.bindings.cpukernels.jtensor_cpu_h;
import java.lang.foreign.MemorySegment;

/**
 * {@link NativeKernels}' part for layer norm and GELU's backward ({@code native/cpu/norm.c}), float32 and float64, one C
 * call per chunk of rows (elements) on the intra-op pool. Declines (returns false) when the library is not loaded, the
 * type is another, or an operand is heap memory; checks every operand's size before the call.
 */
final class NativeNorms {
    private NativeNorms() {}

    static boolean layerNorm(DType t, long rows, long cols, double eps, MemorySegment x, MemorySegment w, MemorySegment b, MemorySegment y,
                             MemorySegment mean, MemorySegment rstd) {
        if (!usable(t, x, w, b, y, mean, rstd)) return false;
        String fn = "jt_cpu_layer_norm";
        long n = rows * cols;
        MemorySegment xs = range(fn, "x", x, n, t), ys = range(fn, "y", y, n, t), ws = opt(fn, "weight", w, cols, t), bs = opt(fn, "bias", b, cols, t);
        MemorySegment ms = range(fn, "mean", mean, rows, t), rs = range(fn, "rstd", rstd, rows, t);
        long grain = Math.max(1, 16384 / Math.max(cols, 1));
        if (t == DType.FLOAT32) {
            Parallel.forRange(rows, grain, (from, to) -> jtensor_cpu_h.jt_cpu_layer_norm_f32(xs, ws, bs, ys, ms, rs, cols, eps, from, to - from));
        } else {
            Parallel.forRange(rows, grain, (from, to) -> jtensor_cpu_h.jt_cpu_layer_norm_f64(xs, ws, bs, ys, ms, rs, cols, eps, from, to - from));
        }
        return true;
    }

    static boolean layerNormBackward(DType t, long rows, long cols, MemorySegment g, MemorySegment x, MemorySegment mean, MemorySegment rstd,
                                     MemorySegment w, MemorySegment dx, MemorySegment gxhat) {
        if (!usable(t, g, x, mean, rstd, w, dx, gxhat)) return false;
        String fn = "jt_cpu_layer_norm_bwd";
        long n = rows * cols;
        MemorySegment gs = range(fn, "grad", g, n, t), xs = range(fn, "x", x, n, t), ms = range(fn, "mean", mean, rows, t);
        MemorySegment rs = range(fn, "rstd", rstd, rows, t), ws = opt(fn, "weight", w, cols, t), ds = range(fn, "dx", dx, n, t);
        MemorySegment gx = opt(fn, "gxhat", gxhat, n, t);
        long grain = Math.max(1, 16384 / Math.max(cols, 1));
        if (t == DType.FLOAT32) {
            Parallel.forRange(rows, grain, (from, to) -> jtensor_cpu_h.jt_cpu_layer_norm_bwd_f32(gs, xs, ms, rs, ws, ds, gx, cols, from, to - from));
        } else {
            Parallel.forRange(rows, grain, (from, to) -> jtensor_cpu_h.jt_cpu_layer_norm_bwd_f64(gs, xs, ms, rs, ws, ds, gx, cols, from, to - from));
        }
        return true;
    }

    static boolean geluBackward(DType t, long n, boolean tanh, MemorySegment g, MemorySegment x, MemorySegment dx) {
        if (!usable(t, g, x, dx)) return false;
        String fn = "jt_cpu_gelu_bwd";
        MemorySegment gs = range(fn, "grad", g, n, t), xs = range(fn, "x", x, n, t), ds = range(fn, "dx", dx, n, t);
        int approx = tanh ? 1 : 0;
        if (t == DType.FLOAT32) {
            Parallel.forRange(n, 16384, (from, to) -> jtensor_cpu_h.jt_cpu_gelu_bwd_f32(gs, xs, ds, approx, from, to - from));
        } else {
            Parallel.forRange(n, 16384, (from, to) -> jtensor_cpu_h.jt_cpu_gelu_bwd_f64(gs, xs, ds, approx, from, to - from));
        }
        return true;
    }

    private static boolean usable(DType type, MemorySegment... segments) {
        if (!NativeKernels.ENABLED || (type != DType.FLOAT32 && type != DType.FLOAT64)) return false;
        for (MemorySegment m : segments) if (m != null && !m.isNative()) return false;
        return true;
    }

    private static MemorySegment range(String fn, String name, MemorySegment m, long elements, DType type) {
        if (m.byteSize() < elements * type.byteSize()) {
            throw new IndexOutOfBoundsException(fn + ": operand " + name + " holds " + m.byteSize() + " bytes, needs " + elements * type.byteSize());
        }
        return m;
    }

    private static MemorySegment opt(String fn, String name, MemorySegment m, long elements, DType type) {
        return m == null ? MemorySegment.NULL : range(fn, name, m, elements, type);
    }
}
