package dev.jtensor.optim;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.GradMode;
import dev.jtensor.backend.cpu.CpuUpdate;
import dev.jtensor.internal.Elements;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Layout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Memory access for the optimizers' update loops: a parameter or gradient as a dense run of float32
 * or float64 elements. The loops themselves (in SGD, Adam) follow PyTorch's single-tensor equations op
 * by op, rounding to the parameter's dtype after each op as PyTorch's kernels do (its
 * {@code add(x, alpha=a)} is one fused multiply-add, so ours is {@link Math#fma}).
 */
final class Updates {
    private Updates() {}

    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /** {@code g} as contiguous memory of {@code dtype} (itself when it already is). */
    static Tensor dense(Tensor g, DType dtype) {
        if (g.dtype() == dtype && g.isContiguous()) return g;
        try (GradMode m = GradMode.set(false)) {
            return g.to(dtype).contiguous();
        }
    }

    /**
     * Runs an update holding references on the parameter's and the gradient's memory, so that a
     * concurrent {@code close()} takes effect only after the update (DESIGN section 2).
     */
    static void holding(Tensor p, Tensor g, Runnable update) {
        var ps = Tensors.storage(p);
        var gs = Tensors.storage(g);
        ps.acquire();
        try {
            gs.acquire();
            try {
                update.run();
            } finally {
                gs.release();
            }
        } finally {
            ps.release();
        }
    }

    /** The writable memory of a contiguous parameter, starting at its first element. */
    static MemorySegment writable(Tensor p) {
        checkDense(p);
        Layout l = Tensors.layout(p);
        long eb = p.dtype().byteSize();
        return Tensors.storage(p).writableSegment().asSlice(l.offset() * eb, l.numel() * eb);
    }

    /** The memory of a contiguous tensor, for reading. */
    static MemorySegment readable(Tensor t) {
        checkDense(t);
        Layout l = Tensors.layout(t);
        long eb = t.dtype().byteSize();
        return Tensors.storage(t).segment().asSlice(l.offset() * eb, l.numel() * eb);
    }

    /** True for FLOAT64 parameters; FLOAT32 is the other supported dtype. */
    static boolean isDouble(Tensor p) {
        return switch (p.dtype()) {
            case FLOAT64 -> true;
            case FLOAT32 -> false;
            case FLOAT16, BFLOAT16, INT8, UINT8, INT16, INT32, INT64, BOOL -> throw new UnsupportedOperationException(
                    "optimizer update is implemented for FLOAT32 and FLOAT64 parameters, not " + p.dtype());
        };
    }

    private static void checkDense(Tensor t) {
        if (!t.isContiguous()) {
            throw new UnsupportedOperationException("optimizer update needs contiguous parameters; got strides "
                    + java.util.Arrays.toString(t.stride()) + " for shape " + t.shape());
        }
    }

    /** Fills {@code t} with {@code value} in place, outside the tape; bumps its version. */
    static void fill(Tensor t, double value) {
        Layout l = Tensors.layout(t);
        MemorySegment seg = Tensors.storage(t).writableSegment();
        long eb = t.dtype().byteSize();
        l.forEachOffset(off -> Elements.setDouble(seg, t.dtype(), off * eb, value));
        Tensors.bumpVersion(t);
    }

    /**
     * {@code y += alpha * x} over {@code n} contiguous float64 ({@code isDouble}) or float32 elements, one
     * fused multiply-add per element as PyTorch's {@code add_(x, alpha)}: jtensor's own loop, so the step
     * is the same bit for bit on every CPU (BLAS axpy's rounding depends on OpenBLAS's kernel choice).
     * Modified: y.
     */
    static void axpy(double alpha, MemorySegment x, MemorySegment y, int n, boolean isDouble) {
        if (isDouble) {
            CpuUpdate.axpy(alpha, x, y, n);
        } else {
            CpuUpdate.axpy((float) alpha, x, y, n);
        }
    }

    /** Records that {@code p} was written in place (saved-tensor checks see it). */
    static void written(Tensor p) { Tensors.bumpVersion(p); }
}
