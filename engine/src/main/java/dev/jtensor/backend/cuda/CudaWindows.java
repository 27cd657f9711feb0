package dev.jtensor.backend.cuda;

import static dev.jtensor.bindings.cuda.jtensor_cuda_h.*;

import dev.jtensor.DType;
import dev.jtensor.backend.AttentionShape;
import dev.jtensor.backend.Buffer;
import dev.jtensor.backend.Determinism;
import dev.jtensor.backend.WindowShape;
import dev.jtensor.internal.Config;
import java.lang.foreign.MemorySegment;

/**
 * The CNN window verbs (im2col, col2im, max pooling, batch norm) and fused attention of one CUDA device
 * ({@link CudaBackend} forwards them here): one launch each of {@code native/cuda/conv.cu} or {@code attention.cu},
 * every operand checked first to hold the elements the call reads or writes.
 *
 * <p><b>Opt-in.</b> The kernels are written and compile-checked but not yet verified on a GPU, so the backend offers
 * them ({@code hasWindowKernels}, {@code hasFusedAttention}) only with {@code -Djtensor.cuda.fusedKernels=true};
 * without it the ops compose from the generic kernels on CUDA, as before. The GPU check ({@code tools/gpu-check.sh})
 * runs the self-test of these launchers and the CUDA CNN and attention suites with the property on.
 *
 * <p>Determinism: everything here is deterministic except max pooling's backward without
 * {@link Determinism#enabled()}, which adds each window's gradient at its index with atomics (float sums whose order
 * may change run to run where windows overlap); with it, one thread per input position gathers in output order (the
 * CPU kernel's bits).
 */
final class CudaWindows {
    static final String PROPERTY = "jtensor.cuda.fusedKernels";
    /** Whether the verbs are offered: {@code -Djtensor.cuda.fusedKernels=true} (default false: not yet verified on a GPU). */
    static final boolean ENABLED = Config.bool(PROPERTY, false);

    private final CudaBackend b;

    CudaWindows(CudaBackend b) { this.b = b; }

    boolean hasWindowKernels(DType type) { return ENABLED && (type == DType.FLOAT32 || type == DType.FLOAT64); }

    boolean hasFusedAttention(DType type) { return ENABLED && type == DType.FLOAT32; }

    // ---------------- windows ----------------

    void im2col(DType type, WindowShape sh, Buffer in, Buffer cols) {
        int t = windowType("im2col", type);
        need("im2col", "input", in, sh.imageElements(), type);
        need("im2col", "columns", cols, sh.columnElements(), type);
        if (sh.columnElements() == 0) return;
        try (CudaOperands o = new CudaOperands(b)) {
            MemorySegment pi = o.ptr(in), pc = o.ptr(cols);
            b.launched("im2col", jt_im2col(t, CudaStructs.windowShape(sh), pi, pc, b.stream()));
        }
    }

    void col2im(DType type, WindowShape sh, Buffer cols, Buffer out) {
        int t = windowType("col2im", type);
        need("col2im", "columns", cols, sh.columnElements(), type);
        need("col2im", "output", out, sh.imageElements(), type);
        if (sh.imageElements() == 0) return;
        try (CudaOperands o = new CudaOperands(b)) {
            MemorySegment pc = o.ptr(cols), po = o.ptr(out);
            b.launched("col2im", jt_col2im(t, CudaStructs.windowShape(sh), pc, po, b.stream()));
        }
    }

    void maxPool2d(DType type, WindowShape sh, Buffer in, Buffer out, Buffer indices) {
        int t = windowType("max_pool2d", type);
        long cells = cells(sh);
        need("max_pool2d", "input", in, sh.imageElements(), type);
        need("max_pool2d", "output", out, cells, type);
        need("max_pool2d", "indices", indices, cells, DType.INT64);
        if (cells == 0) return;
        try (CudaOperands o = new CudaOperands(b)) {
            MemorySegment pi = o.ptr(in), po = o.ptr(out), px = o.ptr(indices);
            b.launched("max_pool2d", jt_max_pool2d(t, CudaStructs.windowShape(sh), pi, po, px, b.stream()));
        }
    }

    void maxPool2dBackward(DType type, WindowShape sh, Buffer gradOut, Buffer indices, Buffer gradIn) {
        int t = windowType("max_pool2d backward", type);
        long cells = cells(sh);
        need("max_pool2d backward", "output gradient", gradOut, cells, type);
        need("max_pool2d backward", "indices", indices, cells, DType.INT64);
        need("max_pool2d backward", "input gradient", gradIn, sh.imageElements(), type);
        if (sh.imageElements() == 0) return;
        try (CudaOperands o = new CudaOperands(b)) {
            MemorySegment pg = o.ptr(gradOut), px = o.ptr(indices), pi = o.ptr(gradIn);
            b.launched("max_pool2d backward", jt_max_pool2d_backward(t, CudaStructs.windowShape(sh), pg, px, pi,
                    Determinism.enabled() ? 1 : 0, b.stream()));
        }
    }

    // ---------------- batch norm ----------------

    void batchNormStats(DType type, long n, long c, long inner, double eps, Buffer x, Buffer mean, Buffer invstd) {
        int t = windowType("batch_norm_stats", type);
        need("batch_norm_stats", "input", x, elements(n, c, inner), type);
        need("batch_norm_stats", "mean", mean, c, type);
        need("batch_norm_stats", "invstd", invstd, c, type);
        if (c == 0) return;
        try (CudaOperands o = new CudaOperands(b)) {
            b.launched("batch_norm_stats", jt_batch_norm_stats(t, n, c, inner, eps, o.ptr(x), o.ptr(mean), o.ptr(invstd), b.stream()));
        }
    }

    /** {@code x * scale + shift}, then {@code + residual} (may be null), then relu when asked: batch_norm_elemt and its fused form. */
    boolean batchNormElemt(DType type, long n, long c, long inner, Buffer x, Buffer scale, Buffer shift, Buffer residual, boolean relu,
                           Buffer out) {
        if (!hasWindowKernels(type)) return false;
        long all = elements(n, c, inner);
        need("batch_norm_elemt", "input", x, all, type);
        need("batch_norm_elemt", "scale", scale, c, type);
        need("batch_norm_elemt", "shift", shift, c, type);
        if (residual != null) need("batch_norm_elemt", "residual", residual, all, type);
        need("batch_norm_elemt", "output", out, all, type);
        if (all == 0) return true;
        try (CudaOperands o = new CudaOperands(b)) {
            b.launched("batch_norm_elemt", jt_batch_norm_elemt(code(type), n, c, inner, o.ptr(x), o.ptr(scale), o.ptr(shift), o.ptr(residual),
                    relu ? 1 : 0, o.ptr(out), b.stream()));
        }
        return true;
    }

    boolean batchNormBackwardReduce(DType type, long n, long c, long inner, Buffer x, Buffer g, Buffer out, Buffer gMasked, Buffer mean,
                                    Buffer sumG, Buffer dotp) {
        if (!hasWindowKernels(type)) return false;
        long all = elements(n, c, inner);
        need("batch_norm_backward_reduce", "input", x, all, type);
        need("batch_norm_backward_reduce", "gradient", g, all, type);
        if (out != null) {
            need("batch_norm_backward_reduce", "relu output", out, all, type);
            need("batch_norm_backward_reduce", "masked gradient", gMasked, all, type);
        }
        need("batch_norm_backward_reduce", "mean", mean, c, type);
        need("batch_norm_backward_reduce", "sum_g", sumG, c, type);
        need("batch_norm_backward_reduce", "dotp", dotp, c, type);
        if (c == 0) return true;
        try (CudaOperands o = new CudaOperands(b)) {
            b.launched("batch_norm_backward_reduce", jt_batch_norm_backward_reduce(code(type), n, c, inner, o.ptr(x), o.ptr(g), o.ptr(out),
                    out == null ? MemorySegment.NULL : o.ptr(gMasked), o.ptr(mean), o.ptr(sumG), o.ptr(dotp), b.stream()));
        }
        return true;
    }

    boolean batchNormBackwardElemt(DType type, long n, long c, long inner, Buffer x, Buffer g, Buffer mean, Buffer k, Buffer gmean,
                                   Buffer scale, Buffer gx) {
        if (!hasWindowKernels(type)) return false;
        long all = elements(n, c, inner);
        need("batch_norm_backward_elemt", "input", x, all, type);
        need("batch_norm_backward_elemt", "gradient", g, all, type);
        need("batch_norm_backward_elemt", "input gradient", gx, all, type);
        need("batch_norm_backward_elemt", "mean", mean, c, type);
        need("batch_norm_backward_elemt", "k", k, c, type);
        need("batch_norm_backward_elemt", "gmean", gmean, c, type);
        need("batch_norm_backward_elemt", "scale", scale, c, type);
        if (all == 0) return true;
        try (CudaOperands o = new CudaOperands(b)) {
            b.launched("batch_norm_backward_elemt", jt_batch_norm_backward_elemt(code(type), n, c, inner, o.ptr(x), o.ptr(g), o.ptr(mean),
                    o.ptr(k), o.ptr(gmean), o.ptr(scale), o.ptr(gx), b.stream()));
        }
        return true;
    }

    // ---------------- fused attention ----------------

    void attentionForward(AttentionShape sh, Buffer q, Buffer k, Buffer v, Buffer bias, Buffer out, Buffer lse) {
        requireAttention("scaled_dot_product_attention");
        checkAttention("scaled_dot_product_attention", sh, q, k, v, bias);
        long rows = Math.multiplyExact(sh.batchHeads(), sh.l());
        need("scaled_dot_product_attention", "output", out, Math.multiplyExact(rows, sh.ev()), DType.FLOAT32);
        need("scaled_dot_product_attention", "lse", lse, rows, DType.FLOAT32);
        if (rows == 0) return;
        try (CudaOperands o = new CudaOperands(b)) {
            MemorySegment pq = o.ptr(q), pk = o.ptr(k), pv = o.ptr(v), pb = o.ptr(bias), po = o.ptr(out), pl = o.ptr(lse);
            b.launched("scaled_dot_product_attention", jt_attention_forward(CudaStructs.attentionShape(sh), pq, pk, pv, pb, po, pl, b.stream()));
        }
    }

    void attentionBackward(AttentionShape sh, Buffer q, Buffer k, Buffer v, Buffer bias, Buffer out, Buffer lse, Buffer dout, Buffer dq,
                           Buffer dk, Buffer dv) {
        String op = "scaled_dot_product_attention backward";
        requireAttention(op);
        checkAttention(op, sh, q, k, v, bias);
        long rows = Math.multiplyExact(sh.batchHeads(), sh.l()), keys = Math.multiplyExact(sh.batchHeads(), sh.s());
        need(op, "output", out, Math.multiplyExact(rows, sh.ev()), DType.FLOAT32);
        need(op, "lse", lse, rows, DType.FLOAT32);
        need(op, "output gradient", dout, Math.multiplyExact(rows, sh.ev()), DType.FLOAT32);
        need(op, "query gradient", dq, Math.multiplyExact(rows, sh.e()), DType.FLOAT32);
        need(op, "key gradient", dk, Math.multiplyExact(keys, sh.e()), DType.FLOAT32);
        need(op, "value gradient", dv, Math.multiplyExact(keys, sh.ev()), DType.FLOAT32);
        if (rows == 0 && keys == 0) return;
        try (CudaOperands o = new CudaOperands(b)) {
            MemorySegment pq = o.ptr(q), pk = o.ptr(k), pv = o.ptr(v), pb = o.ptr(bias), po = o.ptr(out), pl = o.ptr(lse), pg = o.ptr(dout);
            MemorySegment pdq = o.ptr(dq), pdk = o.ptr(dk), pdv = o.ptr(dv);
            MemorySegment ws = o.workspace(jt_attention_backward_workspace_bytes(CudaStructs.attentionShape(sh)));
            b.launched(op, jt_attention_backward(CudaStructs.attentionShape(sh), pq, pk, pv, pb, po, pl, pg, pdq, pdk, pdv, ws, b.stream()));
        }
    }

    private void requireAttention(String op) {
        if (!hasFusedAttention(DType.FLOAT32)) {
            throw new UnsupportedOperationException("fused " + op + ": the CUDA kernel is opt-in (-D" + PROPERTY + "=true) until verified on a GPU");
        }
    }

    private static void checkAttention(String op, AttentionShape sh, Buffer q, Buffer k, Buffer v, Buffer bias) {
        long rows = Math.multiplyExact(sh.batchHeads(), sh.l()), keys = Math.multiplyExact(sh.batchHeads(), sh.s());
        need(op, "query", q, Math.multiplyExact(rows, sh.e()), DType.FLOAT32);
        need(op, "key", k, Math.multiplyExact(keys, sh.e()), DType.FLOAT32);
        need(op, "value", v, Math.multiplyExact(keys, sh.ev()), DType.FLOAT32);
        if (bias != null && sh.batchHeads() > 0) need(op, "bias", bias, biasElements(sh), DType.FLOAT32);
    }

    /** The elements the bias blocks span: the last slice's block ends at {@code (batchHeads - 1) * biasStride + l * s}. */
    static long biasElements(AttentionShape sh) {
        return Math.addExact(Math.multiplyExact(sh.batchHeads() - 1, sh.biasStride()), Math.multiplyExact(sh.l(), sh.s()));
    }

    // ---------------- checks ----------------

    private int windowType(String op, DType type) {
        if (!hasWindowKernels(type)) {
            throw new UnsupportedOperationException(op + ": no " + type + " kernel on " + b.device() + (ENABLED ? "" : " (the CUDA window kernels "
                    + "are opt-in, -D" + PROPERTY + "=true, until verified on a GPU)"));
        }
        return code(type);
    }

    private static int code(DType type) { return CudaCodes.code(type); }

    private static long cells(WindowShape sh) { return Math.multiplyExact(sh.planes(), Math.multiplyExact(sh.oH(), sh.oW())); }

    private static long elements(long n, long c, long inner) {
        if (n < 0 || c < 0 || inner < 0) throw new IllegalArgumentException("batch norm: negative sizes n=" + n + ", c=" + c + ", inner=" + inner);
        return Math.multiplyExact(Math.multiplyExact(n, c), inner);
    }

    /** Checks that {@code buffer} holds {@code elements} of {@code type} (the launchers read and write from its start). */
    static void need(String op, String what, Buffer buffer, long elements, DType type) {
        if (buffer == null) throw new IllegalArgumentException(op + ": the " + what + " operand is missing");
        long bytes = Math.multiplyExact(elements, (long) type.byteSize());
        if (buffer.byteSize() < bytes) {
            throw new IndexOutOfBoundsException(op + ": the " + what + " operand holds " + buffer.byteSize() + " bytes, the call needs "
                    + elements + " " + type + " elements (" + bytes + " bytes)");
        }
    }
}
