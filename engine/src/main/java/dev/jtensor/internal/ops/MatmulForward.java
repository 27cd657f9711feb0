package dev.jtensor.internal.ops;

import static dev.jtensor.internal.layout.Broadcast.shapes;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.Operand;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.backend.plan.MatmulPlan;
import dev.jtensor.internal.Tensors;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The forward half of {@link Linalg}: dtype and shape checks shared by the ops, matmul's broadcasting
 * rule, and {@link #productInto}, which turns tensors into a {@link MatmulPlan} and runs the device's
 * {@code Backend.gemm} through {@link Dispatch}. No autograd here; {@code Linalg} records.
 *
 * <p>Copies happen only where BLAS cannot read an operand in place (see {@link MatmulPlan}: neither
 * dim of the matrix has unit stride, or an expanded stride 0 in a matrix dim), for float16/bfloat16 on
 * a backend whose gemm does not take them ({@code Backend.gemmTakesHalf}: converted to float32 copies and
 * back; the CPU converts blockwise inside its kernel instead), and for an {@code out} that is not contiguous or shares memory with
 * an input. {@link #operandCopies()} counts the first kind, for tests.
 */
final class MatmulForward {
    private MatmulForward() {}

    private static final AtomicLong OPERAND_COPIES = new AtomicLong();

    /** How many operands were copied to contiguous memory because BLAS could not read them (test hook). */
    static long operandCopies() { return OPERAND_COPIES.get(); }

    private static final AtomicLong HALF_COPIES = new AtomicLong();

    /** How many half-type operands were converted to whole float32 copies (test hook; 0 on the CPU). */
    static long halfCopies() { return HALF_COPIES.get(); }

    /** A matrix view (rank &gt;= 2) of a tensor's memory. */
    private record View(Tensor t, Layout l) {}

    /**
     * matmul's operands as matrices and the broadcast batch: {@code a} as {@code [..., m, k]} (a 1-D
     * {@code a} as {@code [1, k]}), {@code b} as {@code [..., k, n]} (1-D: {@code [k, 1]}), neither
     * expanded yet; {@code outShape} drops the dims a 1-D operand did not have.
     */
    record Broadcast(Layout a, Layout b, long[] batch, long[] outShape, long[] productShape) {}

    static Broadcast broadcast(Tensor a, Tensor b) {
        checkDTypes("matmul", a, b);
        Layout la = Tensors.layout(a), lb = Tensors.layout(b);
        Layout ma = a.dim() == 1 ? la.unsqueeze(0) : la, mb = b.dim() == 1 ? lb.unsqueeze(1) : lb;
        int ra = ma.rank(), rb = mb.rank();
        long m = ma.size(ra - 2), k = ma.size(ra - 1), n = mb.size(rb - 1);
        if (mb.size(rb - 2) != k) throw cannotMultiply(m, k, mb.size(rb - 2), n);
        long[] batch = shapes("matmul (batch dims of " + a.shape() + " and " + b.shape() + ")",
                Arrays.copyOf(ma.shape(), ra - 2), Arrays.copyOf(mb.shape(), rb - 2));
        long[] product = withMatrix(batch, m, n);
        long[] out = Arrays.copyOf(batch, batch.length + (a.dim() > 1 ? 1 : 0) + (b.dim() > 1 ? 1 : 0));
        if (a.dim() > 1) out[batch.length] = m;
        if (b.dim() > 1) out[out.length - 1] = n;
        return new Broadcast(ma, mb, batch, out, product);
    }

    static long[] withMatrix(long[] batch, long rows, long cols) {
        long[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }

    static IllegalArgumentException cannotMultiply(long m, long k, long k2, long n) {
        return new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + m + "x" + k + " and " + k2 + "x" + n + ")");
    }

    /** Same dtype for both operands, and not bool (PyTorch: "not implemented for 'Bool'"). */
    static void checkDTypes(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": expected both operands to have the same dtype, but got "
                    + a.dtype() + " and " + b.dtype() + " (shapes " + a.shape() + " and " + b.shape() + ")");
        }
        if (a.dtype() == DType.BOOL) throw new UnsupportedOperationException("\"" + op + "\" not implemented for 'Bool'");
        Dispatch.backendOf(op, a.device(), b); // one device (the door's message), before any layout work
    }

    /** PyTorch's out= rules that apply without resizing: same dtype, exact shape, no autograd. */
    static void checkOut(String op, Tensor out, Tensor a, Tensor b, long[] shape) {
        if (out.dtype() != a.dtype()) {
            throw new IllegalArgumentException(op + ": expected out tensor to have dtype " + a.dtype() + ", but got "
                    + out.dtype() + " instead");
        }
        Tensors.resizeOutIfEmpty(out, shape);
        if (!Arrays.equals(Tensors.layout(out).shape(), shape)) {
            throw new IllegalArgumentException(op + ": out has shape " + out.shape() + " but the result has shape "
                    + Arrays.toString(shape) + " (only empty out tensors are resized)");
        }
        if (Autograd.needsGrad(a, b) || Autograd.needsGrad(out)) {
            throw new IllegalStateException(op + "(): functions with out=... arguments don't support automatic "
                    + "differentiation, but one of the arguments requires grad.");
        }
    }

    /** A fresh result of {@code outShape}: {@code a @ b} with the batch broadcast (see {@link #productInto}). */
    static Tensor product(Tensor a, Layout la, Tensor b, Layout lb, long[] batch, long[] outShape) {
        return productInto(a, la, b, lb, batch, Tensors.empty(a.dtype(), outShape, a.device()), 1, 0);
    }

    /**
     * {@code out = alpha * (a @ b) + beta * out}, where {@code la [..., m, k]} and {@code lb [..., k, n]}
     * are matrix views of a's and b's memory whose batch dims broadcast to {@code batch}, and {@code out}
     * holds {@code batch x m x n} elements. Modified: out (version bumped). Returns out.
     */
    static Tensor productInto(Tensor a, Layout la, Tensor b, Layout lb, long[] batch, Tensor out, double alpha, double beta) {
        long m = la.size(la.rank() - 2), k = la.size(la.rank() - 1), n = lb.size(lb.rank() - 1);
        long[] productShape = withMatrix(batch, m, n);
        Layout lo = Tensors.layout(out);
        Layout outAsProduct = new Layout(productShape, lo.viewStrides(productShape), lo.offset());
        DType dt = a.dtype();
        boolean half = (dt == DType.FLOAT16 || dt == DType.BFLOAT16)
                && !Dispatch.backendOf("matmul", out.device(), a).gemmTakesHalf();
        DType compute = half ? DType.FLOAT32 : dt;
        if (half) HALF_COPIES.addAndGet(2);
        View va = half ? converted(a, la, compute) : blasReady(new View(a, la));
        View vb = half ? converted(b, lb, compute) : blasReady(new View(b, lb));
        Storage so = Tensors.storage(out);
        boolean direct = !half && lo.isContiguous() && so != Tensors.storage(a) && so != Tensors.storage(b);
        View vc;
        if (direct) {
            vc = new View(out, new Layout(productShape, Layout.contiguousStrides(productShape), lo.offset()));
        } else {
            vc = new View(Tensors.empty(compute, productShape, out.device()), Layout.contiguous(productShape));
            if (beta != 0) copy(out, outAsProduct, vc.t(), vc.l());
        }
        MatmulPlan plan = MatmulPlan.of(va.l().expand(withMatrix(batch, m, k)), vb.l().expand(withMatrix(batch, k, n)), vc.l());
        run(compute, plan, alpha, va.t(), vb.t(), beta, vc.t());
        if (!direct) copy(vc.t(), vc.l(), out, outAsProduct);
        Tensors.bumpVersion(out);
        return out;
    }

    private static View blasReady(View v) {
        if (MatmulPlan.isBlasMatrix(v.l())) return v;
        OPERAND_COPIES.incrementAndGet();
        return converted(v.t(), v.l(), v.t().dtype());
    }

    private static View converted(Tensor t, Layout l, DType dtype) {
        Tensor c = Tensors.empty(dtype, l.shape().clone(), t.device());
        copy(t, l, c, Tensors.layout(c));
        return new View(c, Tensors.layout(c));
    }

    /** Copies (with dtype conversion) the elements {@code src} views through {@code sl} to {@code dst}'s {@code dl}. */
    static void copy(Tensor src, Layout sl, Tensor dst, Layout dl) {
        Dispatch.run("matmul", dst, src, (backend, bd, bs) -> backend.copy(new Operand(bd, dst.dtype(), dl), new Operand(bs, src.dtype(), sl)));
    }

    /** {@code dst = src} viewed through {@code srcLayout} (a broadcast of src to dst's shape, e.g. addmm's bias). */
    static void copyInto(Tensor src, Layout srcLayout, Tensor dst) { copy(src, srcLayout, dst, Tensors.layout(dst)); }

    private static void run(DType dtype, MatmulPlan plan, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        Dispatch.run("matmul", c, a, b, (backend, bc, ba, bb) -> backend.gemm(dtype, plan, bc, ba, bb, alpha, beta));
    }
}
