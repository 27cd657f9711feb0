package dev.jtensor.internal.ops;

import static dev.jtensor.autograd.BackwardRule.grads;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.amp.Autocast;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.internal.Tensors;
import java.util.Arrays;
import java.util.List;

/**
 * Linear algebra: {@code dot mv mm matmul bmm outer addmm baddbmm}, each with its backward rule under
 * it, recording PyTorch's node name. The products run on OpenBLAS ({@code MatmulForward}); transposed
 * and row-strided operands reach it through transpose flags and leading dims, without a copy.
 *
 * <p>Dtype rule (PyTorch's): both operands must have the same dtype; float32/float64 use s/d gemm and
 * gemv, float16/bfloat16 compute in float32 and round back, integer types use an exact loop
 * accumulating in int64 (wrapping on overflow), bool throws {@link UnsupportedOperationException}.
 * Results are fresh contiguous tensors; inputs are not modified.
 */
public final class Linalg {
    private Linalg() {}

    // ---------------- dot, mv, outer ----------------

    /** {@code sum_i a[i] * b[i]} of two 1-D tensors of equal length: a 0-d tensor. Backward: g*b, g*a. */
    public static Tensor dot(Tensor a, Tensor b) {
        Tensor[] cast = Autocast.inputs("dot", a, b);
        a = cast[0]; b = cast[1];
        MatmulForward.checkDTypes("dot", a, b);
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("dot: 1D tensors expected, but got " + a.dim() + "D and " + b.dim() + "D tensors");
        }
        if (a.numel() != b.numel()) {
            throw new IllegalArgumentException("dot: inconsistent tensor size, expected tensor [" + a.numel() + "] and src ["
                    + b.numel() + "] to have the same number of elements, but got " + a.numel() + " and " + b.numel()
                    + " elements respectively");
        }
        Tensor out = MatmulForward.product(a, Tensors.layout(a).unsqueeze(0), b, Tensors.layout(b).unsqueeze(1),
                new long[0], new long[0]);
        return Autograd.record("DotBackward0", out, List.of(a, b), List.of(a, b),
                (g, s) -> grads(s.needsInputGrad(0) ? s.get(1).mul(g) : null, s.needsInputGrad(1) ? s.get(0).mul(g) : null));
    }

    /** {@code y[i] = sum_j a[i, j] * x[j]}: matrix {@code [m, k]} times vector {@code [k]} gives {@code [m]}. */
    public static Tensor mv(Tensor a, Tensor x) {
        Tensor[] cast = Autocast.inputs("mv", a, x);
        a = cast[0]; x = cast[1];
        MatmulForward.checkDTypes("mv", a, x);
        if (a.dim() != 2 || x.dim() != 1) {
            throw new IllegalArgumentException("mv: vector + matrix @ vector expected, got matrix of shape " + a.shape()
                    + " and vector of shape " + x.shape());
        }
        if (a.size(1) != x.size(0)) {
            throw new IllegalArgumentException("mv: size mismatch, got input (" + a.size(0) + "x" + a.size(1)
                    + ") and vec (" + x.size(0) + ")");
        }
        Tensor out = MatmulForward.product(a, Tensors.layout(a), x, Tensors.layout(x).unsqueeze(1),
                new long[0], new long[] {a.size(0)});
        return Autograd.record("MvBackward0", out, List.of(a, x), List.of(a, x),
                (g, s) -> grads(s.needsInputGrad(0) ? outer(g, s.get(1)) : null, s.needsInputGrad(1) ? mv(s.get(0).t(), g) : null));
    }

    /**
     * {@code out[i, j] = a[i] * b[j]} of two 1-D tensors. Recorded as {@code MulBackward0}, as PyTorch's
     * composite {@code outer} is; backward: {@code g @ b} and {@code g^T @ a}.
     */
    public static Tensor outer(Tensor a, Tensor b) {
        if (a.dtype() == DType.BOOL || b.dtype() == DType.BOOL) { // PyTorch's outer is a broadcast mul: bool is logical and
            if (a.dim() != 1 || b.dim() != 1) {
                throw new IllegalArgumentException("outer: Expected 1-D arguments, but got " + a.dim() + "-D and " + b.dim() + "-D");
            }
            return a.unsqueeze(1).mul(b.unsqueeze(0));
        }
        MatmulForward.checkDTypes("outer", a, b);
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("outer: Expected 1-D arguments, but got " + a.dim() + "-D and " + b.dim() + "-D");
        }
        Tensor out = MatmulForward.product(a, Tensors.layout(a).unsqueeze(1), b, Tensors.layout(b).unsqueeze(0),
                new long[0], new long[] {a.size(0), b.size(0)});
        return Autograd.record("MulBackward0", out, List.of(a, b), List.of(a, b),
                (g, s) -> grads(s.needsInputGrad(0) ? mv(g, s.get(1)) : null, s.needsInputGrad(1) ? mv(g.t(), s.get(0)) : null));
    }

    // ---------------- mm, bmm ----------------

    /** {@code [m, k] @ [k, n] -> [m, n]}. Backward: {@code g @ b^T}, {@code a^T @ g} (transposes are views). */
    public static Tensor mm(Tensor a, Tensor b) {
        Tensor[] cast = Autocast.inputs("mm", a, b);
        a = cast[0]; b = cast[1];
        checkMatrices("mm", a, b);
        Tensor out = MatmulForward.product(a, Tensors.layout(a), b, Tensors.layout(b), new long[0],
                new long[] {a.size(0), b.size(1)});
        return recordMm(out, a, b);
    }

    /** {@link #mm} into {@code out} (same dtype, shape {@code [m, n]}); returns out. Not differentiable. */
    public static Tensor mm(Tensor a, Tensor b, Tensor out) {
        checkMatrices("mm", a, b);
        MatmulForward.checkOut("mm", out, a, b, new long[] {a.size(0), b.size(1)});
        return MatmulForward.productInto(a, Tensors.layout(a), b, Tensors.layout(b), new long[0], out, 1, 0);
    }

    private static Tensor recordMm(Tensor out, Tensor a, Tensor b) {
        if (!Autograd.needsGrad(a, b)) return out;
        boolean aT = isTransposed(a), bT = isTransposed(b);
        // each operand is saved only when the other one's gradient needs it
        return Autograd.record("MmBackward0", out, List.of(a, b), Arrays.asList(b.requiresGrad() ? a : null, a.requiresGrad() ? b : null),
                (g, s) -> grads(s.needsInputGrad(0) ? mat1Grad(g, s.get(1), aT) : null,
                        s.needsInputGrad(1) ? mat2Grad(s.get(0), g, bT) : null));
    }

    /**
     * {@code g @ b^T}, the gradient of {@code a} in {@code a @ b}; computed as {@code (b @ g^T)^T} when
     * {@code a} is a transposed contiguous matrix, so the gradient has a's layout (PyTorch's
     * {@code mm_mat1_backward}): then the transposes that made {@code a} turn it back into a contiguous
     * tensor, which a leaf can keep without a copy.
     */
    private static Tensor mat1Grad(Tensor g, Tensor b, boolean aTransposed) {
        return aTransposed ? mm(b, g.t()).t() : mm(g, b.t());
    }

    /** {@code a^T @ g}, the gradient of {@code b}; {@code (g^T @ a)^T} when b is transposed ({@code mm_mat2_backward}). */
    private static Tensor mat2Grad(Tensor a, Tensor g, boolean bTransposed) {
        return bTransposed ? mm(g.t(), a).t() : mm(a.t(), g);
    }

    /** True for a matrix stored column by column (the transpose of a contiguous one), e.g. {@code weight.t()}. */
    private static boolean isTransposed(Tensor m) {
        var l = Tensors.layout(m);
        return l.rank() == 2 && l.stride(0) == 1 && l.stride(1) == l.size(0) && l.size(0) > 1 && l.size(1) > 1;
    }

    private static void checkMatrices(String op, Tensor a, Tensor b) {
        MatmulForward.checkDTypes(op, a, b);
        if (a.dim() != 2) throw new IllegalArgumentException(op + ": self must be a matrix, got shape " + a.shape());
        if (b.dim() != 2) throw new IllegalArgumentException(op + ": mat2 must be a matrix, got shape " + b.shape());
        if (a.size(1) != b.size(0)) throw MatmulForward.cannotMultiply(a.size(0), a.size(1), b.size(0), b.size(1));
    }

    /** Batched {@code [B, m, k] @ [B, k, n] -> [B, m, n]} (no broadcasting, as torch.bmm). */
    public static Tensor bmm(Tensor a, Tensor b) {
        Tensor[] cast = Autocast.inputs("bmm", a, b);
        a = cast[0]; b = cast[1];
        checkBatches("bmm", a, b);
        Tensor out = MatmulForward.product(a, Tensors.layout(a), b, Tensors.layout(b), new long[] {a.size(0)},
                new long[] {a.size(0), a.size(1), b.size(2)});
        return Autograd.record("BmmBackward0", out, List.of(a, b), List.of(a, b), (g, s) -> grads(
                s.needsInputGrad(0) ? bmm(g, s.get(1).mT()) : null,
                s.needsInputGrad(1) ? bmm(s.get(0).mT(), g) : null));
    }

    private static void checkBatches(String op, Tensor a, Tensor b) {
        MatmulForward.checkDTypes(op, a, b);
        if (a.dim() != 3) throw new IllegalArgumentException(op + ": batch1 must be a 3D tensor, got shape " + a.shape());
        if (b.dim() != 3) throw new IllegalArgumentException(op + ": batch2 must be a 3D tensor, got shape " + b.shape());
        if (b.size(0) != a.size(0) || b.size(1) != a.size(2)) {
            throw new IllegalArgumentException(op + ": Expected size for first two dimensions of batch2 tensor to be: ["
                    + a.size(0) + ", " + a.size(2) + "] but got: [" + b.size(0) + ", " + b.size(1) + "] (batch1 "
                    + a.shape() + ", batch2 " + b.shape() + ")");
        }
    }

    // ---------------- addmm, baddbmm ----------------

    /**
     * {@code beta * input + alpha * (a @ b)}, {@code input} broadcast to {@code [m, n]}; with
     * {@code beta = 0} input is ignored (its NaNs do not propagate), as PyTorch. Backward:
     * {@code beta * g}, {@code alpha * g @ b^T}, {@code alpha * a^T @ g}.
     */
    public static Tensor addmm(Tensor input, Tensor a, Tensor b, double beta, double alpha) {
        Tensor[] cast = Autocast.inputs("addmm", input, a, b);
        input = cast[0]; a = cast[1]; b = cast[2];
        checkMatrices("addmm", a, b);
        return affine("AddmmBackward0", input, a, b, new long[0], beta, alpha);
    }

    /** {@code beta * input + alpha * bmm(b1, b2)}, {@code input} broadcast to {@code [B, m, n]}. */
    public static Tensor baddbmm(Tensor input, Tensor b1, Tensor b2, double beta, double alpha) {
        Tensor[] cast = Autocast.inputs("baddbmm", input, b1, b2);
        input = cast[0]; b1 = cast[1]; b2 = cast[2];
        checkBatches("baddbmm", b1, b2);
        return affine("BaddbmmBackward0", input, b1, b2, new long[] {b1.size(0)}, beta, alpha);
    }

    private static Tensor affine(String name, Tensor input, Tensor a, Tensor b, long[] batch, double beta, double alpha) {
        MatmulForward.checkDTypes(name.startsWith("Addmm") ? "addmm" : "baddbmm", input, a);
        int r = a.dim();
        long[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = a.size(r - 2);
        shape[batch.length + 1] = b.size(r - 1);
        Tensor out = Tensors.empty(a.dtype(), shape, a.device());
        if (beta != 0) MatmulForward.copyInto(input, Tensors.layout(input).expand(shape), out);
        MatmulForward.productInto(a, Tensors.layout(a), b, Tensors.layout(b), batch, out, alpha, beta);
        boolean batched = batch.length > 0;
        if (!Autograd.needsGrad(List.of(input, a, b))) return out;
        boolean aT = isTransposed(a), bT = isTransposed(b);
        return Autograd.record(name, out, List.of(input, a, b), List.of(a, b), (g, s) -> grads(
                s.needsInputGrad(0) ? scale(g, beta) : null,
                s.needsInputGrad(1) ? scale(batched ? bmm(g, s.get(1).mT()) : mat1Grad(g, s.get(1), aT), alpha) : null,
                s.needsInputGrad(2) ? scale(batched ? bmm(s.get(0).mT(), g) : mat2Grad(s.get(0), g, bT), alpha) : null));
    }

    // ---------------- matmul ----------------

    /**
     * {@code torch.matmul}: 1-D x 1-D is {@link #dot}; 2-D x 1-D {@link #mv}; 1-D x 2-D multiplies
     * {@code a} as a row {@code [1, k]} and drops that dim; 2-D x 2-D {@link #mm}; otherwise a batched
     * product whose batch dims (all but the last two; a 1-D operand has none) broadcast as NumPy's. The
     * recorded node is the one PyTorch 1.13 shows at the top: {@code DotBackward0}, {@code MvBackward0},
     * {@code SqueezeBackward3}, {@code MmBackward0}, {@code CloneBackward0} (2-D x N-D) or
     * {@code UnsafeViewBackward0}. Broadcast batch dims are strides of 0 here: nothing is expanded in memory.
     *
     * @throws IllegalArgumentException for a 0-d operand, mismatched inner sizes or unbroadcastable batch dims
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        Tensor[] cast = Autocast.inputs("matmul", a, b);
        a = cast[0]; b = cast[1];
        int da = a.dim(), db = b.dim();
        if (da == 0 || db == 0) {
            throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are "
                    + da + "D and " + db + "D");
        }
        if (da == 1 && db == 1) return dot(a, b);
        if (da == 2 && db == 1) return mv(a, b);
        if (da == 2 && db == 2) return mm(a, b);
        MatmulForward.Broadcast p = MatmulForward.broadcast(a, b);
        Tensor out = MatmulForward.product(a, p.a(), b, p.b(), p.batch(), p.outShape());
        return recordMatmul(out, a, b, p);
    }

    /** {@link #matmul} into {@code out} (same dtype, the result's shape); returns out. Not differentiable. */
    public static Tensor matmul(Tensor a, Tensor b, Tensor out) {
        if (a.dim() == 0 || b.dim() == 0) return matmul(a, b); // throws the 0-d error
        MatmulForward.Broadcast p = MatmulForward.broadcast(a, b);
        MatmulForward.checkOut("matmul", out, a, b, p.outShape());
        return MatmulForward.productInto(a, p.a(), b, p.b(), p.batch(), out, 1, 0);
    }

    /**
     * Backward of the batched and 1-D x 2-D cases, in the shapes of {@code a2 = a as [..., m, k]} and
     * {@code b2 = b as [..., k, n]}: {@code g2 @ b2^T} and {@code a2^T @ g2}, then the inserted dims
     * dropped; the engine sums broadcast batch dims back to each input's shape.
     */
    private static Tensor recordMatmul(Tensor out, Tensor a, Tensor b, MatmulForward.Broadcast p) {
        int da = a.dim(), db = b.dim();
        String name = da == 1 && db == 2 ? "SqueezeBackward3" : da == 2 ? "CloneBackward0" : "UnsafeViewBackward0";
        long[] g2Shape = p.productShape();
        long k = p.a().size(p.a().rank() - 1);
        return Autograd.record(name, out, List.of(a, b), List.of(a, b), (g, s) -> {
            Tensor sa = s.get(0), sb = s.get(1);
            Tensor a2 = da == 1 ? sa.unsqueeze(0) : sa, b2 = db == 1 ? sb.unsqueeze(1) : sb;
            Tensor g2 = g.reshape(g2Shape);
            Tensor ga = null, gb = null;
            if (s.needsInputGrad(0)) {
                ga = matmul(g2, b2.mT());
                if (da == 1) ga = ga.squeeze(-2);
            }
            if (s.needsInputGrad(1)) {
                if (db == 2 && da >= 3) { // a folded [rows, k]: one product instead of one per batch
                    long rows = sa.numel() == 0 ? rowsOf(sa.shape().toArray()) : sa.numel() / k; // k or rows may be 0
                    gb = mm(sa.reshape(rows, k).t(), g2.reshape(rows, g2Shape[g2Shape.length - 1]));
                } else {
                    gb = matmul(a2.mT(), g2);
                    if (db == 1) gb = gb.squeeze(-1);
                }
            }
            return grads(ga, gb);
        });
    }

    /** The product of all sizes but the last (the rows of a {@code [..., k]} tensor folded to 2-D). */
    private static long rowsOf(long[] shape) {
        long r = 1;
        for (int i = 0; i < shape.length - 1; i++) r *= shape[i];
        return r;
    }

    // ---------------- scaling by a Java scalar ----------------

    /** {@code x * s}, differentiable ({@code MulBackward1}); x itself when s is 1. */
    private static Tensor scale(Tensor x, double s) {
        return s == 1 ? x : x.mul(s);
    }
}
