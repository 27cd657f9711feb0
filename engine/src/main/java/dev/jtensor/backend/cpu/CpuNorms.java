package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.Elements;
import java.lang.foreign.MemorySegment;

/**
 * Layer norm over rows and GELU's backward on the CPU, float32 and float64: the C kernels of {@code native/cpu/norm.c}
 * through {@link NativeNorms} where the library is loaded and the operands are native memory, else these Java loops,
 * which compute the same (the formulas of {@code jtensor_cpu.h}: row sums in double in element order, each output in
 * double rounded once; libm's erf/exp/tanh there, {@link ScalarMath#erf} and Java's Math here). Contiguous, offset 0.
 */
final class CpuNorms {
    private CpuNorms() {}

    private static double get(MemorySegment m, DType t, long i) { return Elements.getDouble(m, t, i * t.byteSize()); }

    private static void set(MemorySegment m, DType t, long i, double v) { Elements.setDouble(m, t, i * t.byteSize(), v); }

    static void layerNorm(DType t, long rows, long cols, double eps, MemorySegment x, MemorySegment w, MemorySegment b, MemorySegment y,
                          MemorySegment mean, MemorySegment rstd) {
        if (!NativeNorms.layerNorm(t, rows, cols, eps, x, w, b, y, mean, rstd)) layerNormLoop(t, rows, cols, eps, x, w, b, y, mean, rstd);
    }

    /** The Java loop of {@link #layerNorm}. */
    static void layerNormLoop(DType t, long rows, long cols, double eps, MemorySegment x, MemorySegment w, MemorySegment b, MemorySegment y,
                              MemorySegment mean, MemorySegment rstd) {
        Parallel.forRange(rows, Math.max(1, 16384 / Math.max(cols, 1)), (from, to) -> {
            for (long r = from; r < to; r++) {
                long o = r * cols;
                double s = 0, v = 0;
                for (long j = 0; j < cols; j++) s += get(x, t, o + j);
                double m = s / cols;
                for (long j = 0; j < cols; j++) {
                    double d = get(x, t, o + j) - m;
                    v += d * d;
                }
                double rs = 1.0 / Math.sqrt(v / cols + eps);
                set(mean, t, r, m);
                set(rstd, t, r, rs);
                for (long j = 0; j < cols; j++) {
                    double out = (get(x, t, o + j) - m) * rs;
                    if (w != null) out = out * get(w, t, j);
                    if (b != null) out = out + get(b, t, j);
                    set(y, t, o + j, out);
                }
            }
        });
    }

    static void layerNormBackward(DType t, long rows, long cols, MemorySegment g, MemorySegment x, MemorySegment mean, MemorySegment rstd,
                                  MemorySegment w, MemorySegment dx, MemorySegment gxhat) {
        if (!NativeNorms.layerNormBackward(t, rows, cols, g, x, mean, rstd, w, dx, gxhat)) {
            layerNormBackwardLoop(t, rows, cols, g, x, mean, rstd, w, dx, gxhat);
        }
    }

    /** The Java loop of {@link #layerNormBackward}. */
    static void layerNormBackwardLoop(DType t, long rows, long cols, MemorySegment g, MemorySegment x, MemorySegment mean, MemorySegment rstd,
                                      MemorySegment w, MemorySegment dx, MemorySegment gxhat) {
        Parallel.forRange(rows, Math.max(1, 16384 / Math.max(cols, 1)), (from, to) -> {
            for (long r = from; r < to; r++) {
                long o = r * cols;
                double m = get(mean, t, r), rs = get(rstd, t, r), sg = 0, sgx = 0;
                for (long j = 0; j < cols; j++) {
                    double gw = w != null ? get(g, t, o + j) * get(w, t, j) : get(g, t, o + j);
                    sg += gw;
                    sgx += gw * ((get(x, t, o + j) - m) * rs);
                }
                double a = sg / cols, c = sgx / cols;
                for (long j = 0; j < cols; j++) {
                    double gj = get(g, t, o + j), xh = (get(x, t, o + j) - m) * rs, gw = w != null ? gj * get(w, t, j) : gj;
                    set(dx, t, o + j, rs * (gw - a - xh * c));
                    if (gxhat != null) set(gxhat, t, o + j, gj * xh);
                }
            }
        });
    }

    static void geluBackward(DType t, long n, boolean tanh, MemorySegment g, MemorySegment x, MemorySegment dx) {
        if (!NativeNorms.geluBackward(t, n, tanh, g, x, dx)) geluBackwardLoop(t, n, tanh, g, x, dx);
    }

    /** The Java loop of {@link #geluBackward}. */
    static void geluBackwardLoop(DType t, long n, boolean tanh, MemorySegment g, MemorySegment x, MemorySegment dx) {
        Parallel.forRange(n, 16384, (from, to) -> {
            for (long i = from; i < to; i++) {
                double v = get(x, t, i), d;
                if (tanh) {
                    double k = 0.7978845608028654, th = Math.tanh(k * (v + 0.044715 * v * v * v));
                    d = 0.5 * (1 + th) + 0.5 * v * (1 - th * th) * k * (1 + 3 * 0.044715 * v * v);
                } else {
                    d = 0.5 * (1 + ScalarMath.erf(v * 0.7071067811865476)) + v * Math.exp(-0.5 * v * v) * 0.3989422804014327;
                }
                set(dx, t, i, get(g, t, i) * d);
            }
        });
    }
}
