package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.bindings.cpukernels.jtensor_cpu_h;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link NativeKernels}' part for layer norm and GELU's backward ({@code native/cpu/norm.c}), float32 and float64, one C
 * call per chunk of rows (elements) on the intra-op pool. Declines (returns false) when the library is not loaded or the
 * type is another; checks every operand's size before the call. Layer norm's operands on the Java heap (a few rows' mean
 * and rstd) pass through native stand-ins ({@link Staged}); GELU's backward declines heap operands.
 */
final class NativeNorms {
    private NativeNorms() {}

    static boolean layerNorm(DType t, long rows, long cols, double eps, MemorySegment x, MemorySegment w, MemorySegment b, MemorySegment y,
                             MemorySegment mean, MemorySegment rstd) {
        if (!NativeKernels.floatOperands(t)) return false;
        String fn = "jt_cpu_layer_norm";
        long n = rows * cols;
        NativeKernels.elements(fn, "x", x, n, t);
        NativeKernels.elements(fn, "y", y, n, t);
        NativeKernels.optionalElements(fn, "weight", w, cols, t);
        NativeKernels.optionalElements(fn, "bias", b, cols, t);
        NativeKernels.elements(fn, "mean", mean, rows, t);
        NativeKernels.elements(fn, "rstd", rstd, rows, t);
        try (Staged st = new Staged()) {
            MemorySegment xs = st.in(x), ys = st.out(y), ms = st.out(mean), rs = st.out(rstd);
            MemorySegment ws = w == null ? MemorySegment.NULL : st.in(w), bs = b == null ? MemorySegment.NULL : st.in(b);
            long grain = Math.max(1, 16384 / Math.max(cols, 1));
            if (t == DType.FLOAT32) {
                Parallel.forRange(rows, grain, (from, to) -> jtensor_cpu_h.jt_cpu_layer_norm_f32(xs, ws, bs, ys, ms, rs, cols, eps, from, to - from));
            } else {
                Parallel.forRange(rows, grain, (from, to) -> jtensor_cpu_h.jt_cpu_layer_norm_f64(xs, ws, bs, ys, ms, rs, cols, eps, from, to - from));
            }
        }
        return true;
    }

    /**
     * Native stand-ins for operands on the Java heap (tensors of at most {@code CpuBackend.HEAP_MAX_BYTES} live there, and
     * C cannot read them): a layer norm over a few rows has its per-row mean and rstd there. Inputs are copied in;
     * outputs are copied back at {@link #close}, which then returns the blocks to the pool. Native segments pass as
     * they are.
     */
    private static final class Staged implements AutoCloseable {
        private final List<NativeMemory.Block> blocks = new ArrayList<>(2);
        private final List<MemorySegment[]> outputs = new ArrayList<>(2);

        MemorySegment in(MemorySegment m) {
            if (m == null || m.isNative()) return m;
            MemorySegment copy = block(m);
            MemorySegment.copy(m, 0, copy, 0, m.byteSize());
            return copy;
        }

        MemorySegment out(MemorySegment m) {
            if (m.isNative()) return m;
            MemorySegment stand = block(m);
            outputs.add(new MemorySegment[] {stand, m});
            return stand;
        }

        private MemorySegment block(MemorySegment like) {
            NativeMemory.Block b = NativeMemory.allocate(like.byteSize(), false);
            blocks.add(b);
            return b.segment();
        }

        @Override
        public void close() {
            try {
                for (MemorySegment[] o : outputs) MemorySegment.copy(o[0], 0, o[1], 0, o[1].byteSize());
            } finally {
                for (NativeMemory.Block b : blocks) b.free();
            }
        }
    }

    static boolean layerNormBackward(DType t, long rows, long cols, MemorySegment g, MemorySegment x, MemorySegment mean, MemorySegment rstd,
                                     MemorySegment w, MemorySegment dx, MemorySegment gxhat) {
        if (!NativeKernels.floatOperands(t)) return false;
        String fn = "jt_cpu_layer_norm_bwd";
        long n = rows * cols;
        NativeKernels.elements(fn, "grad", g, n, t);
        NativeKernels.elements(fn, "x", x, n, t);
        NativeKernels.elements(fn, "mean", mean, rows, t);
        NativeKernels.elements(fn, "rstd", rstd, rows, t);
        NativeKernels.optionalElements(fn, "weight", w, cols, t);
        NativeKernels.elements(fn, "dx", dx, n, t);
        NativeKernels.optionalElements(fn, "gxhat", gxhat, n, t);
        try (Staged st = new Staged()) {
            MemorySegment gs = st.in(g), xs = st.in(x), ms = st.in(mean), rs = st.in(rstd), ws = st.in(w), ds = st.out(dx);
            MemorySegment gx = gxhat == null ? MemorySegment.NULL : st.out(gxhat);
            MemorySegment wsOrNull = ws == null ? MemorySegment.NULL : ws;
            long grain = Math.max(1, 16384 / Math.max(cols, 1));
            if (t == DType.FLOAT32) {
                Parallel.forRange(rows, grain, (from, to) -> jtensor_cpu_h.jt_cpu_layer_norm_bwd_f32(gs, xs, ms, rs, wsOrNull, ds, gx, cols, from, to - from));
            } else {
                Parallel.forRange(rows, grain, (from, to) -> jtensor_cpu_h.jt_cpu_layer_norm_bwd_f64(gs, xs, ms, rs, wsOrNull, ds, gx, cols, from, to - from));
            }
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
