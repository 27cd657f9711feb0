package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.bindings.cpukernels.jtensor_cpu_h;
import java.lang.foreign.MemorySegment;

/**
 * {@link NativeKernels}' part for the fused recurrent cells: {@code jt_cpu_lstm_cell_*}, {@code jt_cpu_gru_cell_*} and
 * their backwards ({@code native/cpu/rnn.c}), float32 and float64, one C call per chunk of the {@code n * hidden}
 * state elements on the intra-op pool. Declines (returns false) when the library is not loaded, the type is another,
 * or an operand is heap memory; checks every operand's size before the call.
 */
final class NativeRnnCells {
    private NativeRnnCells() {}

    /** Elements per chunk: a cell step's pointwise work is small, threads pay off only from here. */
    private static final long GRAIN = 16384;

    static boolean lstm(DType type, long n, long hidden, MemorySegment igates, MemorySegment hgates, MemorySegment biasIh,
                        MemorySegment biasHh, MemorySegment cx, MemorySegment hy, MemorySegment cy, MemorySegment ws) {
        if (!NativeKernels.floatOperands(type, igates, hgates, biasIh, biasHh, cx, hy, cy, ws)) return false;
        String fn = "jt_cpu_lstm_cell";
        long s = n * hidden, g = 4 * s;
        MemorySegment ig = NativeKernels.elements(fn, "igates", igates, g, type), hg = NativeKernels.elements(fn, "hgates", hgates, g, type);
        MemorySegment bi = NativeKernels.optionalElements(fn, "bias_ih", biasIh, 4 * hidden, type), bh = NativeKernels.optionalElements(fn, "bias_hh", biasHh, 4 * hidden, type);
        MemorySegment c = NativeKernels.elements(fn, "cx", cx, s, type), h = NativeKernels.elements(fn, "hy", hy, s, type), co = NativeKernels.elements(fn, "cy", cy, s, type);
        MemorySegment w = NativeKernels.elements(fn, "workspace", ws, g, type);
        if (type == DType.FLOAT32) {
            Parallel.forRange(s, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_lstm_cell_f32(ig, hg, bi, bh, c, h, co, w, hidden, from, to - from));
        } else {
            Parallel.forRange(s, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_lstm_cell_f64(ig, hg, bi, bh, c, h, co, w, hidden, from, to - from));
        }
        return true;
    }

    static boolean lstmBackward(DType type, long n, long hidden, MemorySegment gradHy, MemorySegment gradCy, MemorySegment cx,
                                MemorySegment cy, MemorySegment ws, MemorySegment gradGates, MemorySegment gradCx) {
        if (!NativeKernels.floatOperands(type, gradHy, gradCy, cx, cy, ws, gradGates, gradCx)) return false;
        String fn = "jt_cpu_lstm_cell_bwd";
        long s = n * hidden, g = 4 * s;
        MemorySegment gh = NativeKernels.optionalElements(fn, "grad_hy", gradHy, s, type), gc = NativeKernels.optionalElements(fn, "grad_cy", gradCy, s, type);
        MemorySegment c = NativeKernels.elements(fn, "cx", cx, s, type), co = NativeKernels.elements(fn, "cy", cy, s, type), w = NativeKernels.elements(fn, "workspace", ws, g, type);
        MemorySegment gg = NativeKernels.elements(fn, "grad_gates", gradGates, g, type), gcx = NativeKernels.elements(fn, "grad_cx", gradCx, s, type);
        if (type == DType.FLOAT32) {
            Parallel.forRange(s, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_lstm_cell_bwd_f32(gh, gc, c, co, w, gg, gcx, hidden, from, to - from));
        } else {
            Parallel.forRange(s, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_lstm_cell_bwd_f64(gh, gc, c, co, w, gg, gcx, hidden, from, to - from));
        }
        return true;
    }

    static boolean gru(DType type, long n, long hidden, MemorySegment igates, MemorySegment hgates, MemorySegment biasIh,
                       MemorySegment biasHh, MemorySegment hx, MemorySegment hy, MemorySegment ws) {
        if (!NativeKernels.floatOperands(type, igates, hgates, biasIh, biasHh, hx, hy, ws)) return false;
        String fn = "jt_cpu_gru_cell";
        long s = n * hidden, g = 3 * s;
        MemorySegment ig = NativeKernels.elements(fn, "igates", igates, g, type), hg = NativeKernels.elements(fn, "hgates", hgates, g, type);
        MemorySegment bi = NativeKernels.optionalElements(fn, "bias_ih", biasIh, 3 * hidden, type), bh = NativeKernels.optionalElements(fn, "bias_hh", biasHh, 3 * hidden, type);
        MemorySegment h = NativeKernels.elements(fn, "hx", hx, s, type), ho = NativeKernels.elements(fn, "hy", hy, s, type), w = NativeKernels.elements(fn, "workspace", ws, 5 * s, type);
        if (type == DType.FLOAT32) {
            Parallel.forRange(s, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_gru_cell_f32(ig, hg, bi, bh, h, ho, w, hidden, from, to - from));
        } else {
            Parallel.forRange(s, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_gru_cell_f64(ig, hg, bi, bh, h, ho, w, hidden, from, to - from));
        }
        return true;
    }

    static boolean gruBackward(DType type, long n, long hidden, MemorySegment gradHy, MemorySegment ws, MemorySegment gradIgates,
                               MemorySegment gradHgates, MemorySegment gradHx) {
        if (!NativeKernels.floatOperands(type, gradHy, ws, gradIgates, gradHgates, gradHx)) return false;
        String fn = "jt_cpu_gru_cell_bwd";
        long s = n * hidden, g = 3 * s;
        MemorySegment go = NativeKernels.elements(fn, "grad_hy", gradHy, s, type), w = NativeKernels.elements(fn, "workspace", ws, 5 * s, type);
        MemorySegment gi = NativeKernels.elements(fn, "grad_igates", gradIgates, g, type), gh = NativeKernels.elements(fn, "grad_hgates", gradHgates, g, type);
        MemorySegment gx = NativeKernels.elements(fn, "grad_hx", gradHx, s, type);
        if (type == DType.FLOAT32) {
            Parallel.forRange(s, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_gru_cell_bwd_f32(go, w, gi, gh, gx, hidden, from, to - from));
        } else {
            Parallel.forRange(s, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_gru_cell_bwd_f64(go, w, gi, gh, gx, hidden, from, to - from));
        }
        return true;
    }
}
