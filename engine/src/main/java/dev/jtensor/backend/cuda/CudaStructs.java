package dev.jtensor.backend.cuda;

import static dev.jtensor.bindings.cuda.jtensor_cuda_h.JT_MAX_DIMS;

import dev.jtensor.backend.plan.IterPlan;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.backend.plan.ReducePlan;
import dev.jtensor.bindings.cuda.jt_iter_plan;
import dev.jtensor.bindings.cuda.jt_layout;
import dev.jtensor.bindings.cuda.jt_reduce_plan;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The launchers' plain structs ({@code jt_iter_plan}, {@code jt_reduce_plan}, {@code jt_layout} of the CUDA ABI)
 * filled from the op layer's plans, in the calling thread's scratch: four slots per thread, which a launcher
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
}
