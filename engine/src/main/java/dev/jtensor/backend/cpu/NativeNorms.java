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
        if (!NativeKernels.floatOperands(t, x, w, b, y, mean, rstd)) return false;
        String fn = "jt_cpu_layer_norm";
        long n = rows * cols;
        MemorySegment xs = NativeKernels.elements(fn, "x", x, n, t), ys = NativeKernels.elements(fn, "y", y, n, t), ws = NativeKernels.optionalElements(fn, "weight", w, cols, t), bs = NativeKernels.optionalElements(fn, "bias", b, cols, t);
        MemorySegment ms = NativeKernels.elements(fn, "mean", mean, rows, t), rs = NativeKernels.elements(fn, "rstd", rstd, rows, t);
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
        if (!NativeKernels.floatOperands(t, g, x, mean, rstd, w, dx, gxhat)) return false;
        String fn = "jt_cpu_layer_norm_bwd";
        long n = rows * cols;
        MemorySegment gs = NativeKernels.elements(fn, "grad", g, n, t), xs = NativeKernels.elements(fn, "x", x, n, t), ms = NativeKernels.elements(fn, "mean", mean, rows, t);
        MemorySegment rs = NativeKernels.elements(fn, "rstd", rstd, rows, t), ws = NativeKernels.optionalElements(fn, "weight", w, cols, t), ds = NativeKernels.elements(fn, "dx", dx, n, t);
        MemorySegment gx = NativeKernels.optionalElements(fn, "gxhat", gxhat, n, t);
        long grain = Math.max(1, 16384 / Math.max(cols, 1));
        if (t == DType.FLOAT32) {
            Parallel.forRange(rows, grain, (from, to) -> jtensor_cpu_h.jt_cpu_layer_norm_bwd_f32(gs, xs, ms, rs, ws, ds, gx, cols, from, to - from));
        } else {
            Parallel.forRange(rows, grain, (from, to) -> jtensor_cpu_h.jt_cpu_layer_norm_bwd_f64(gs, xs, ms, rs, ws, ds, gx, cols, from, to - from));
        }
        return true;
    }

    static boolean geluBackward(DType t, long n, boolean tanh, MemorySegment g, MemorySegment x, MemorySegment dx) {
        if (!NativeKernels.floatOperands(t, g, x, dx)) return false;
        String fn = "jt_cpu_gelu_bwd";
        MemorySegment gs = NativeKernels.elements(fn, "grad", g, n, t), xs = NativeKernels.elements(fn, "x", x, n, t), ds = NativeKernels.elements(fn, "dx", dx, n, t);
        int approx = tanh ? 1 : 0;
        if (t == DType.FLOAT32) {
            Parallel.forRange(n, 16384, (from, to) -> jtensor_cpu_h.jt_cpu_gelu_bwd_f32(gs, xs, ds, approx, from, to - from));
        } else {
            Parallel.forRange(n, 16384, (from, to) -> jtensor_cpu_h.jt_cpu_gelu_bwd_f64(gs, xs, ds, approx, from, to - from));
        }
        return true;
    }
}
