package dev.jtensor.backend.cuda;

import static dev.jtensor.bindings.cuda.jtensor_cuda_h.JT_MAX_DIMS;

import dev.jtensor.backend.AttentionShape;
import dev.jtensor.backend.WindowShape;
import dev.jtensor.backend.plan.IterPlan;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.backend.plan.ReducePlan;
import dev.jtensor.bindings.cuda.jt_attention_shape;
import dev.jtensor.bindings.cuda.jt_iter_plan;
import dev.jtensor.bindings.cuda.jt_layout;
import dev.jtensor.bindings.cuda.jt_reduce_plan;
import dev.jtensor.bindings.cuda.jt_window_shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The launchers' plain structs ({@code jt_iter_plan}, {@code jt_reduce_plan}, {@code jt_layout}, {@code jt_window_shape},
 * {@code jt_attention_shape} of the CUDA ABI) filled from the op layer's plans, in the calling thread's scratch: four slots per thread, which a launcher
 * copies before it returns, so one launch's structs never outlive it.
 */
final class CudaStructs {
    private static final int SCRATCH_BYTES = 4096;
    private static final ThreadLocal<MemorySegment> scratch = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(SCRATCH_BYTES * 4, 16));

    private CudaStructs() {}

    /** The thread's scratch for the structs of one launch ({@code slot} 0..3); launchers copy them before returning. */
    private static MemorySegment slot(int slot) { return scratch.get().asSlice((long) slot * SCRATCH_BYTES, SCRATCH_BYTES); }

    private static final int MAX_DIMS = JT_MAX_DIMS();

    private static void checkRank(int rank, String what) {
        if (rank > MAX_DIMS) {
            throw new IllegalArgumentException(what + ": tensors of more than " + MAX_DIMS + " dims (after merging) are not supported on CUDA, got "
                    + rank);
        }
    }

    static MemorySegment iterPlan(IterPlan p) {
        checkRank(p.rank(), "elementwise op");
        MemorySegment s = slot(0);
        jt_iter_plan.rank(s, p.rank());
        jt_iter_plan.operands(s, p.operands());
        jt_iter_plan.numel(s, p.numel());
        long[] shape = p.shape();
        for (int d = 0; d < shape.length; d++) jt_iter_plan.shape(s, d, shape[d]);
        for (int k = 0; k < p.operands(); k++) {
            jt_iter_plan.offset(s, k, p.offset(k));
            long[] st = p.strides(k);
            for (int d = 0; d < st.length; d++) jt_iter_plan.strides(s, (long) k * MAX_DIMS + d, st[d]);
        }
        return s;
    }

    static MemorySegment reducePlan(ReducePlan p) {
        checkRank(Math.max(p.outerShape.length, p.innerShape.length), "reduction");
        MemorySegment s = slot(1);
        jt_reduce_plan.outer_rank(s, p.outerShape.length);
        jt_reduce_plan.inner_rank(s, p.innerShape.length);
        jt_reduce_plan.output_count(s, p.outputCount);
        jt_reduce_plan.inner_count(s, p.innerCount);
        jt_reduce_plan.offset(s, p.offset);
        for (int d = 0; d < p.outerShape.length; d++) {
            jt_reduce_plan.outer_shape(s, d, p.outerShape[d]);
            jt_reduce_plan.outer_strides(s, d, p.outerStrides[d]);
        }
        for (int d = 0; d < p.innerShape.length; d++) {
            jt_reduce_plan.inner_shape(s, d, p.innerShape[d]);
            jt_reduce_plan.inner_strides(s, d, p.innerStrides[d]);
        }
        return s;
    }

    static MemorySegment layout(int slot, Layout l) {
        checkRank(l.rank(), "indexing");
        MemorySegment s = slot(slot);
        jt_layout.rank(s, l.rank());
        jt_layout.numel(s, l.numel());
        jt_layout.offset(s, l.offset());
        for (int d = 0; d < l.rank(); d++) {
            jt_layout.shape(s, d, l.size(d));
            jt_layout.strides(s, d, l.stride(d));
        }
        return s;
    }

    static MemorySegment shapeOnly(int slot, long[] shape) { return layout(slot, Layout.contiguous(shape)); }

    /** The geometry of a window launch (im2col, col2im, max pooling), in slot 0. */
    static MemorySegment windowShape(WindowShape w) {
        MemorySegment s = slot(0);
        jt_window_shape.planes(s, w.planes());
        jt_window_shape.h(s, w.h());
        jt_window_shape.w(s, w.w());
        jt_window_shape.kh(s, w.kH());
        jt_window_shape.kw(s, w.kW());
        jt_window_shape.sh(s, w.sH());
        jt_window_shape.sw(s, w.sW());
        jt_window_shape.ph(s, w.pH());
        jt_window_shape.pw(s, w.pW());
        jt_window_shape.dh(s, w.dH());
        jt_window_shape.dw(s, w.dW());
        jt_window_shape.oh(s, w.oH());
        jt_window_shape.ow(s, w.oW());
        return s;
    }

    /** The sizes of a fused attention launch, in slot 0. */
    static MemorySegment attentionShape(AttentionShape a) {
        MemorySegment s = slot(0);
        jt_attention_shape.batch_heads(s, a.batchHeads());
        jt_attention_shape.l(s, a.l());
        jt_attention_shape.s(s, a.s());
        jt_attention_shape.e(s, a.e());
        jt_attention_shape.ev(s, a.ev());
        jt_attention_shape.bias_stride(s, a.biasStride());
        jt_attention_shape.scale(s, a.scale());
        jt_attention_shape.causal(s, a.causal() ? 1 : 0);
        return s;
    }
}
