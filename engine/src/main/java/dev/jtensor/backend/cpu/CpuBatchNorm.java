package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Batch-norm statistics and its fused inference affine on the CPU, float32 and float64: the C kernels of
 * {@code native/cpu/conv.c} through {@link NativeWindows} where the library is loaded and every operand is native
 * memory, else these Java loops, which do the same double sums in the same order (the kernels' oracle: equal bits).
 * Work is split over the intra-op pool by channel.
 */
final class CpuBatchNorm {
    private CpuBatchNorm() {}

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    static void stats(DType type, long n, long c, long inner, double eps, MemorySegment x, MemorySegment mean, MemorySegment invstd) {
        if (!NativeWindows.batchNormStats(type, n, c, inner, eps, x, mean, invstd)) statsJava(type, n, c, inner, eps, x, mean, invstd);
    }

    static void elemt(DType type, long n, long c, long inner, MemorySegment x, MemorySegment scale, MemorySegment shift, MemorySegment out) {
        if (!NativeWindows.batchNormElemt(type, n, c, inner, x, scale, shift, out)) elemtJava(type, n, c, inner, x, scale, shift, out);
    }

    /** {@code x * scale + shift}, then {@code + residual} (may be null), then relu when asked: the C kernel or these loops. */
    static void elemtAct(DType type, long n, long c, long inner, MemorySegment x, MemorySegment scale, MemorySegment shift, MemorySegment residual,
            boolean relu, MemorySegment out) {
        if (NativeWindows.batchNormElemtAct(type, n, c, inner, x, scale, shift, residual, relu, out)) return;
        check("batch_norm_elemt_act", type, x, n * c * inner, out, n * c * inner);
        check("batch_norm_elemt_act", type, scale, c, shift, c);
        if (residual != null) check("batch_norm_elemt_act", type, residual, n * c * inner, scale, c);
        boolean f32 = type == DType.FLOAT32;
        Parallel.forRange(c, grain(n, inner), (from, to) -> {
            for (long ch = from; ch < to; ch++) {
                for (long b = 0; b < n; b++) {
                    long at = (b * c + ch) * inner;
                    for (long i = 0; i < inner; i++) {
                        if (f32) {
                            float v = x.getAtIndex(F, at + i) * scale.getAtIndex(F, ch) + shift.getAtIndex(F, ch);
                            if (residual != null) v = v + residual.getAtIndex(F, at + i);
                            out.setAtIndex(F, at + i, relu && v <= 0 ? 0f : v);
                        } else {
                            double v = x.getAtIndex(D, at + i) * scale.getAtIndex(D, ch) + shift.getAtIndex(D, ch);
                            if (residual != null) v = v + residual.getAtIndex(D, at + i);
                            out.setAtIndex(D, at + i, relu && v <= 0 ? 0d : v);
                        }
                    }
                }
            }
        });
    }

    private static long grain(long n, long inner) { return Math.max(1, (1 << 15) / Math.max(1, n * inner)); }

    private static double get(boolean f32, MemorySegment m, long i) { return f32 ? m.getAtIndex(F, i) : m.getAtIndex(D, i); }

    private static void set(boolean f32, MemorySegment m, long i, double v) {
        if (f32) m.setAtIndex(F, i, (float) v);
        else m.setAtIndex(D, i, v);
    }

    /** The Java loops of {@code jt_cpu_batch_norm_stats_*}. */
    static void statsJava(DType type, long n, long c, long inner, double eps, MemorySegment x, MemorySegment mean, MemorySegment invstd) {
        check("batch_norm_stats", type, x, n * c * inner, mean, c);
        check("batch_norm_stats", type, x, n * c * inner, invstd, c);
        boolean f32 = type == DType.FLOAT32;
        double total = (double) (n * inner);
        Parallel.forRange(c, grain(n, inner), (from, to) -> {
            for (long ch = from; ch < to; ch++) { // eight partial sums: element i of a row into sum i mod 8, added in order
                double[] s = new double[8], v = new double[8];
                for (long b = 0; b < n; b++) for (long i = 0, at = (b * c + ch) * inner; i < inner; i++) s[(int) (i & 7)] += get(f32, x, at + i);
                double m = inOrder(s) / total;
                for (long b = 0; b < n; b++) {
                    for (long i = 0, at = (b * c + ch) * inner; i < inner; i++) {
                        double d = get(f32, x, at + i) - m;
                        v[(int) (i & 7)] += d * d;
                    }
                }
                set(f32, mean, ch, m);
                set(f32, invstd, ch, 1.0 / Math.sqrt(inOrder(v) / total + eps));
            }
        });
    }

    private static double inOrder(double[] lanes) {
        double t = 0;
        for (double l : lanes) t += l;
        return t;
    }

    /** The Java loops of {@code jt_cpu_batch_norm_elemt_*}: {@code x * scale + shift} rounded to the dtype at each step. */
    static void elemtJava(DType type, long n, long c, long inner, MemorySegment x, MemorySegment scale, MemorySegment shift, MemorySegment out) {
        check("batch_norm_elemt", type, x, n * c * inner, out, n * c * inner);
        check("batch_norm_elemt", type, scale, c, shift, c);
        boolean f32 = type == DType.FLOAT32;
        Parallel.forRange(c, grain(n, inner), (from, to) -> {
            for (long ch = from; ch < to; ch++) {
                for (long b = 0; b < n; b++) {
                    long at = (b * c + ch) * inner;
                    if (f32) {
                        float a = scale.getAtIndex(F, ch), s = shift.getAtIndex(F, ch);
                        for (long i = 0; i < inner; i++) out.setAtIndex(F, at + i, x.getAtIndex(F, at + i) * a + s);
                    } else {
                        double a = scale.getAtIndex(D, ch), s = shift.getAtIndex(D, ch);
                        for (long i = 0; i < inner; i++) out.setAtIndex(D, at + i, x.getAtIndex(D, at + i) * a + s);
                    }
                }
            }
        });
    }

    private static void check(String op, DType type, MemorySegment a, long aElements, MemorySegment b, long bElements) {
        if (type != DType.FLOAT32 && type != DType.FLOAT64) throw new IllegalArgumentException(op + ": float32 or float64 expected, got " + type);
        if (a.byteSize() < aElements * type.byteSize() || b.byteSize() < bElements * type.byteSize()) {
            throw new IndexOutOfBoundsException(op + ": operands of " + a.byteSize() + " and " + b.byteSize() + " bytes, need "
                    + aElements * type.byteSize() + " and " + bElements * type.byteSize());
        }
    }
}
