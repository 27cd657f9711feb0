package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.WindowShape;
import dev.jtensor.bindings.cpukernels.jtensor_cpu_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@link NativeKernels}' sliding-window part: {@code jt_cpu_im2col_*}, {@code jt_cpu_col2im_*}, {@code jt_cpu_max_pool2d*} and {@code jt_cpu_batch_norm_*}
 * ({@code native/cpu/conv.c}, float32 and float64), one C call per chunk of planes on the intra-op pool.
 * Declines (returns false) when the library is not loaded, the dtype has no kernel or a large operand is heap
 * memory (batch norm's per-channel vectors, heap-backed up to 1 KiB, go through native copies); checks the
 * operands' sizes before any call.
 */
final class NativeWindows {
    private NativeWindows() {}

    static boolean im2col(DType type, WindowShape sh, MemorySegment in, MemorySegment cols) {
        if (!takes(type, in, cols)) return false;
        String fn = "jt_cpu_im2col_" + (type == DType.FLOAT32 ? "f32" : "f64");
        check(fn, "in", in, sh.imageElements(), type);
        check(fn, "cols", cols, sh.columnElements(), type);
        boolean f32 = type == DType.FLOAT32;
        Parallel.forRange(sh.planes(), CpuWindows.grain(sh), (from, to) -> {
            if (f32) jtensor_cpu_h.jt_cpu_im2col_f32(in, cols, sh.h(), sh.w(), sh.kH(), sh.kW(), sh.sH(), sh.sW(), sh.pH(), sh.pW(), sh.dH(),
                    sh.dW(), sh.oH(), sh.oW(), from, to - from);
            else jtensor_cpu_h.jt_cpu_im2col_f64(in, cols, sh.h(), sh.w(), sh.kH(), sh.kW(), sh.sH(), sh.sW(), sh.pH(), sh.pW(), sh.dH(),
                    sh.dW(), sh.oH(), sh.oW(), from, to - from);
        });
        return true;
    }

    static boolean col2im(DType type, WindowShape sh, MemorySegment cols, MemorySegment out) {
        if (!takes(type, cols, out)) return false;
        String fn = "jt_cpu_col2im_" + (type == DType.FLOAT32 ? "f32" : "f64");
        check(fn, "cols", cols, sh.columnElements(), type);
        check(fn, "out", out, sh.imageElements(), type);
        boolean f32 = type == DType.FLOAT32;
        Parallel.forRange(sh.planes(), CpuWindows.grain(sh), (from, to) -> {
            if (f32) jtensor_cpu_h.jt_cpu_col2im_f32(cols, out, sh.h(), sh.w(), sh.kH(), sh.kW(), sh.sH(), sh.sW(), sh.pH(), sh.pW(), sh.dH(),
                    sh.dW(), sh.oH(), sh.oW(), from, to - from);
            else jtensor_cpu_h.jt_cpu_col2im_f64(cols, out, sh.h(), sh.w(), sh.kH(), sh.kW(), sh.sH(), sh.sW(), sh.pH(), sh.pW(), sh.dH(),
                    sh.dW(), sh.oH(), sh.oW(), from, to - from);
        });
        return true;
    }

    static boolean maxPool2d(DType type, WindowShape sh, MemorySegment in, MemorySegment out, MemorySegment indices) {
        if (!takes(type, in, out) || !indices.isNative()) return false;
        String fn = "jt_cpu_max_pool2d_" + (type == DType.FLOAT32 ? "f32" : "f64");
        long cells = sh.planes() * sh.oH() * sh.oW();
        check(fn, "in", in, sh.imageElements(), type);
        check(fn, "out", out, cells, type);
        check(fn, "indices", indices, cells, DType.INT64);
        boolean f32 = type == DType.FLOAT32;
        Parallel.forRange(sh.planes(), CpuWindows.grain(sh), (from, to) -> {
            if (f32) jtensor_cpu_h.jt_cpu_max_pool2d_f32(in, out, indices, sh.h(), sh.w(), sh.kH(), sh.kW(), sh.sH(), sh.sW(), sh.pH(), sh.pW(),
                    sh.dH(), sh.dW(), sh.oH(), sh.oW(), from, to - from);
            else jtensor_cpu_h.jt_cpu_max_pool2d_f64(in, out, indices, sh.h(), sh.w(), sh.kH(), sh.kW(), sh.sH(), sh.sW(), sh.pH(), sh.pW(),
                    sh.dH(), sh.dW(), sh.oH(), sh.oW(), from, to - from);
        });
        return true;
    }

    static boolean maxPool2dBackward(DType type, WindowShape sh, MemorySegment gradOut, MemorySegment indices, MemorySegment gradIn) {
        if (!takes(type, gradOut, gradIn) || !indices.isNative()) return false;
        String fn = "jt_cpu_max_pool2d_bwd_" + (type == DType.FLOAT32 ? "f32" : "f64");
        long cells = sh.planes() * sh.oH() * sh.oW();
        check(fn, "grad_out", gradOut, cells, type);
        check(fn, "indices", indices, cells, DType.INT64);
        check(fn, "grad_in", gradIn, sh.imageElements(), type);
        boolean f32 = type == DType.FLOAT32;
        Parallel.forRange(sh.planes(), CpuWindows.grain(sh), (from, to) -> {
            if (f32) jtensor_cpu_h.jt_cpu_max_pool2d_bwd_f32(gradOut, indices, gradIn, sh.h(), sh.w(), sh.oH(), sh.oW(), from, to - from);
            else jtensor_cpu_h.jt_cpu_max_pool2d_bwd_f64(gradOut, indices, gradIn, sh.h(), sh.w(), sh.oH(), sh.oW(), from, to - from);
        });
        return true;
    }

    static boolean batchNormStats(DType type, long n, long c, long inner, double eps, MemorySegment x, MemorySegment mean, MemorySegment invstd) {
        if (!takes(type, x, x)) return false;
        String fn = "jt_cpu_batch_norm_stats_" + (type == DType.FLOAT32 ? "f32" : "f64");
        check(fn, "x", x, Math.multiplyExact(Math.multiplyExact(n, c), inner), type);
        check(fn, "mean", mean, c, type);
        check(fn, "invstd", invstd, c, type);
        { // per-channel vectors of up to 1 KiB live on the heap: the kernel writes native copies (auto arena: the pool's threads use them)
            Arena arena = Arena.ofAuto();
            MemorySegment m = nativeOf(mean, c * type.byteSize(), arena, false), v = nativeOf(invstd, c * type.byteSize(), arena, false);
            Parallel.forRange(c, Math.max(1, (1 << 15) / Math.max(1, n * inner)), (from, to) -> {
                if (type == DType.FLOAT32) jtensor_cpu_h.jt_cpu_batch_norm_stats_f32(x, m, v, n, c, inner, eps, from, to - from);
                else jtensor_cpu_h.jt_cpu_batch_norm_stats_f64(x, m, v, n, c, inner, eps, from, to - from);
            });
            if (m != mean) mean.asSlice(0, m.byteSize()).copyFrom(m);
            if (v != invstd) invstd.asSlice(0, v.byteSize()).copyFrom(v);
        }
        return true;
    }

    /** {@code m} itself when native, else a native copy of its first {@code bytes} (with its contents when {@code read}). */
    private static MemorySegment nativeOf(MemorySegment m, long bytes, Arena arena, boolean read) {
        if (m.isNative()) return m;
        MemorySegment copy = arena.allocate(Math.max(1, bytes), 64);
        if (read) copy.asSlice(0, bytes).copyFrom(m.asSlice(0, bytes));
        return copy;
    }

    static boolean batchNormElemt(DType type, long n, long c, long inner, MemorySegment x, MemorySegment scale, MemorySegment shift, MemorySegment out) {
        if (!takes(type, x, out)) return false;
        String fn = "jt_cpu_batch_norm_elemt_" + (type == DType.FLOAT32 ? "f32" : "f64");
        long all = Math.multiplyExact(Math.multiplyExact(n, c), inner);
        check(fn, "x", x, all, type);
        check(fn, "out", out, all, type);
        check(fn, "scale", scale, c, type);
        check(fn, "shift", shift, c, type);
        { // per-channel vectors of up to 1 KiB live on the heap: the kernel reads native copies (auto arena: the pool's threads use them)
            Arena arena = Arena.ofAuto();
            MemorySegment a = nativeOf(scale, c * type.byteSize(), arena, true), b = nativeOf(shift, c * type.byteSize(), arena, true);
            Parallel.forRange(c, Math.max(1, (1 << 15) / Math.max(1, n * inner)), (from, to) -> {
                if (type == DType.FLOAT32) jtensor_cpu_h.jt_cpu_batch_norm_elemt_f32(x, out, a, b, n, c, inner, from, to - from);
                else jtensor_cpu_h.jt_cpu_batch_norm_elemt_f64(x, out, a, b, n, c, inner, from, to - from);
            });
        }
        return true;
    }

    static boolean batchNormElemtAct(DType type, long n, long c, long inner, MemorySegment x, MemorySegment scale, MemorySegment shift,
            MemorySegment residual, boolean relu, MemorySegment out) {
        if (!takes(type, x, out) || (residual != null && !residual.isNative())) return false;
        String fn = "jt_cpu_batch_norm_elemt_act_" + (type == DType.FLOAT32 ? "f32" : "f64");
        long all = Math.multiplyExact(Math.multiplyExact(n, c), inner);
        check(fn, "x", x, all, type);
        check(fn, "out", out, all, type);
        check(fn, "scale", scale, c, type);
        check(fn, "shift", shift, c, type);
        if (residual != null) check(fn, "residual", residual, all, type);
        Arena arena = Arena.ofAuto(); // per-channel vectors of up to 1 KiB live on the heap: the kernel reads native copies
        MemorySegment a = nativeOf(scale, c * type.byteSize(), arena, true), b = nativeOf(shift, c * type.byteSize(), arena, true);
        MemorySegment r = residual == null ? MemorySegment.NULL : residual;
        int act = relu ? 1 : 0;
        Parallel.forRange(c, Math.max(1, (1 << 15) / Math.max(1, n * inner)), (from, to) -> {
            if (type == DType.FLOAT32) jtensor_cpu_h.jt_cpu_batch_norm_elemt_act_f32(x, out, a, b, r, act, n, c, inner, from, to - from);
            else jtensor_cpu_h.jt_cpu_batch_norm_elemt_act_f64(x, out, a, b, r, act, n, c, inner, from, to - from);
        });
        return true;
    }

    static boolean batchNormBackwardReduce(DType type, long n, long c, long inner, MemorySegment x, MemorySegment g, MemorySegment out,
            MemorySegment gMasked, MemorySegment mean, MemorySegment sumG, MemorySegment dotp) {
        if (!takes(type, x, g) || (out != null && (gMasked == null || !out.isNative() || !gMasked.isNative()))) return false;
        String fn = "jt_cpu_batch_norm_bwd_reduce_" + (type == DType.FLOAT32 ? "f32" : "f64");
        long all = Math.multiplyExact(Math.multiplyExact(n, c), inner), bytes = c * type.byteSize();
        check(fn, "x", x, all, type);
        check(fn, "g", g, all, type);
        check(fn, "mean", mean, c, type);
        check(fn, "sum_g", sumG, c, type);
        check(fn, "dotp", dotp, c, type);
        if (out != null) {
            check(fn, "out", out, all, type);
            check(fn, "g_masked", gMasked, all, type);
        }
        MemorySegment o = out == null ? MemorySegment.NULL : out, gm = out == null ? MemorySegment.NULL : gMasked;
        Arena arena = Arena.ofAuto(); // per-channel vectors of up to 1 KiB live on the heap: native copies
        MemorySegment m = nativeOf(mean, bytes, arena, true), sg = nativeOf(sumG, bytes, arena, false), sd = nativeOf(dotp, bytes, arena, false);
        Parallel.forRange(c, Math.max(1, (1 << 15) / Math.max(1, n * inner)), (from, to) -> {
            if (type == DType.FLOAT32) jtensor_cpu_h.jt_cpu_batch_norm_bwd_reduce_f32(x, g, o, gm, m, sg, sd, n, c, inner, from, to - from);
            else jtensor_cpu_h.jt_cpu_batch_norm_bwd_reduce_f64(x, g, o, gm, m, sg, sd, n, c, inner, from, to - from);
        });
        if (sg != sumG) sumG.asSlice(0, bytes).copyFrom(sg.asSlice(0, bytes));
        if (sd != dotp) dotp.asSlice(0, bytes).copyFrom(sd.asSlice(0, bytes));
        return true;
    }

    static boolean batchNormBackwardElemt(DType type, long n, long c, long inner, MemorySegment x, MemorySegment g, MemorySegment mean,
            MemorySegment k, MemorySegment gmean, MemorySegment scale, MemorySegment gx) {
        if (!takes(type, x, g) || !gx.isNative()) return false;
        String fn = "jt_cpu_batch_norm_bwd_elemt_" + (type == DType.FLOAT32 ? "f32" : "f64");
        long all = Math.multiplyExact(Math.multiplyExact(n, c), inner), bytes = c * type.byteSize();
        check(fn, "x", x, all, type);
        check(fn, "g", g, all, type);
        check(fn, "gx", gx, all, type);
        for (MemorySegment v : new MemorySegment[] {mean, k, gmean, scale}) check(fn, "per-channel vector", v, c, type);
        Arena arena = Arena.ofAuto();
        MemorySegment m = nativeOf(mean, bytes, arena, true), kk = nativeOf(k, bytes, arena, true);
        MemorySegment gm = nativeOf(gmean, bytes, arena, true), s = nativeOf(scale, bytes, arena, true);
        Parallel.forRange(c, Math.max(1, (1 << 15) / Math.max(1, n * inner)), (from, to) -> {
            if (type == DType.FLOAT32) jtensor_cpu_h.jt_cpu_batch_norm_bwd_elemt_f32(x, g, gx, m, kk, gm, s, n, c, inner, from, to - from);
            else jtensor_cpu_h.jt_cpu_batch_norm_bwd_elemt_f64(x, g, gx, m, kk, gm, s, n, c, inner, from, to - from);
        });
        return true;
    }

    private static boolean takes(DType type, MemorySegment a, MemorySegment b) {
        return NativeKernels.ENABLED && (type == DType.FLOAT32 || type == DType.FLOAT64) && a.isNative() && b.isNative();
    }

    private static void check(String fn, String name, MemorySegment m, long elements, DType type) {
        if (m.byteSize() < elements * type.byteSize()) {
            throw new IndexOutOfBoundsException(fn + ": operand " + name + " holds " + m.byteSize() + " bytes, needs " + elements * type.byteSize());
        }
    }
}
