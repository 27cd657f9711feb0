package dev.jtensor;

import dev.jtensor.internal.ops.Linalg;

/**
 * Linear algebra statics of the {@code torch.} namespace (part of {@link Jt}); see the methods of the
 * same names on {@link Tensor}. The forms with a last {@code out} argument write into it (same dtype,
 * exactly the result's shape; not differentiable) and return it.
 */
abstract class JtLinalg extends JtIndexing {
    JtLinalg() {}

    /** {@code torch.dot(a, b)}. */
    public static Tensor dot(Tensor a, Tensor b) { return Linalg.dot(a, b); }

    /** {@code torch.mv(a, vec)}. */
    public static Tensor mv(Tensor a, Tensor vec) { return Linalg.mv(a, vec); }

    /** {@code torch.mm(a, b)}. */
    public static Tensor mm(Tensor a, Tensor b) { return Linalg.mm(a, b); }

    /** {@code torch.mm(a, b, out=out)}. */
    public static Tensor mm(Tensor a, Tensor b, Tensor out) { return Linalg.mm(a, b, out); }

    /** {@code torch.matmul(a, b)} ({@code a @ b}). */
    public static Tensor matmul(Tensor a, Tensor b) { return Linalg.matmul(a, b); }

    /** {@code torch.matmul(a, b, out=out)}. */
    public static Tensor matmul(Tensor a, Tensor b, Tensor out) { return Linalg.matmul(a, b, out); }

    /** {@code torch.bmm(a, b)}. */
    public static Tensor bmm(Tensor a, Tensor b) { return Linalg.bmm(a, b); }

    /** {@code torch.outer(a, b)}. */
    public static Tensor outer(Tensor a, Tensor b) { return Linalg.outer(a, b); }

    /** {@code torch.addmm(input, mat1, mat2)}. */
    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2) { return Linalg.addmm(input, mat1, mat2, 1, 1); }

    /** {@code torch.addmm(input, mat1, mat2, beta=beta, alpha=alpha)}. */
    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2, double beta, double alpha) {
        return Linalg.addmm(input, mat1, mat2, beta, alpha);
    }

    /** {@code torch.baddbmm(input, batch1, batch2, beta=beta, alpha=alpha)}. */
    public static Tensor baddbmm(Tensor input, Tensor batch1, Tensor batch2, double beta, double alpha) {
        return Linalg.baddbmm(input, batch1, batch2, beta, alpha);
    }
}
