package dev.jtensor;

import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.ops.Linalg;
import dev.jtensor.internal.ops.Sorting;
import dev.jtensor.internal.ops.Structural;

/**
 * Linear algebra on OpenBLAS (one-line delegates to {@code internal.ops.Linalg}). Both operands must
 * have the same dtype; results are fresh contiguous tensors; nothing is modified. Transposed and
 * row-strided operands are read in place (no copy).
 */
abstract class TensorLinalg extends TensorIndexing {
    TensorLinalg(Storage s, DType d, Layout l, Device dev, boolean owns) {
        super(s, d, l, dev, owns);
    }

    /** {@code sum_i this[i] * other[i]} of two 1-D tensors (0-d result), as {@code torch.dot}. */
    public Tensor dot(Tensor other) { return Linalg.dot(self(), other); }

    /** Matrix {@code [m, k]} times vector {@code [k]}: {@code [m]}, as {@code torch.mv}. */
    public Tensor mv(Tensor vec) { return Linalg.mv(self(), vec); }

    /** Matrix product {@code [m, k] @ [k, n] -> [m, n]}, as {@code torch.mm}. */
    public Tensor mm(Tensor mat2) { return Linalg.mm(self(), mat2); }

    /**
     * {@code this @ other} with {@code torch.matmul}'s rules: 1-D x 1-D dot, 2-D x 1-D mv, 1-D x 2-D
     * row-vector product, 2-D x 2-D mm, else batched with broadcast batch dims.
     */
    public Tensor matmul(Tensor other) { return Linalg.matmul(self(), other); }

    /** Batched {@code [B, m, k] @ [B, k, n] -> [B, m, n]} (no broadcasting), as {@code torch.bmm}. */
    public Tensor bmm(Tensor mat2) { return Linalg.bmm(self(), mat2); }

    /** {@code out[i, j] = this[i] * vec2[j]} of two 1-D tensors, as {@code torch.outer}. */
    public Tensor outer(Tensor vec2) { return Linalg.outer(self(), vec2); }

    /** {@code this + mat1 @ mat2} ({@code this} broadcast to {@code [m, n]}), as {@code torch.addmm}. */
    public Tensor addmm(Tensor mat1, Tensor mat2) { return Linalg.addmm(self(), mat1, mat2, 1, 1); }

    /** {@code beta * this + alpha * (mat1 @ mat2)}; {@code beta = 0} ignores this. */
    public Tensor addmm(Tensor mat1, Tensor mat2, double beta, double alpha) { return Linalg.addmm(self(), mat1, mat2, beta, alpha); }

    /** {@code beta * this + alpha * bmm(batch1, batch2)}, as {@code torch.baddbmm}. */
    public Tensor baddbmm(Tensor batch1, Tensor batch2, double beta, double alpha) {
        return Linalg.baddbmm(self(), batch1, batch2, beta, alpha);
    }

    // ---------------- sequence-model ops (issue 23) ----------------

    /** The lower triangle of the last two dims ({@code j - i <= diagonal} kept, zeros elsewhere), as {@code torch.tril}. */
    public Tensor tril(long diagonal) { return Structural.tril(self(), diagonal); }

    /** {@code tril(0)}. */
    public Tensor tril() { return Structural.tril(self(), 0); }

    /** The upper triangle of the last two dims ({@code j - i >= diagonal} kept), as {@code torch.triu}. */
    public Tensor triu(long diagonal) { return Structural.triu(self(), diagonal); }

    /** {@code triu(0)}. */
    public Tensor triu() { return Structural.triu(self(), 0); }

    /** Sorted values and int64 indices along {@code dim} (stable), as {@code torch.sort(x, dim, descending)}. */
    public ValuesIndices sort(int dim, boolean descending) { return Sorting.sort(self(), dim, descending); }

    /** Ascending sort along the last dim. */
    public ValuesIndices sort() { return Sorting.sort(self(), -1, false); }

    /** The int64 indices that sort along {@code dim} (stable), as {@code torch.argsort}. */
    public Tensor argsort(int dim, boolean descending) { return Sorting.argsort(self(), dim, descending); }

    /** The {@code k} largest (or smallest) values along {@code dim}, best first, with their indices, as {@code torch.topk}. */
    public ValuesIndices topk(long k, int dim, boolean largest, boolean sorted) { return Sorting.topk(self(), k, dim, largest); }

    /** The {@code k} largest values along the last dim, best first. */
    public ValuesIndices topk(long k) { return Sorting.topk(self(), k, -1, true); }

    /** {@code numSamples} indices drawn from each row of these weights, as {@code torch.multinomial} (default generator). */
    public Tensor multinomial(long numSamples, boolean replacement) {
        return Sorting.multinomial(self(), numSamples, replacement, Generator.defaultGenerator());
    }

    /** {@link #multinomial(long, boolean)} drawing from {@code g}. */
    public Tensor multinomial(long numSamples, boolean replacement, Generator g) {
        return Sorting.multinomial(self(), numSamples, replacement, g);
    }

    /** Each slice along {@code dim} repeated {@code repeats} times in place, as {@code torch.repeat_interleave}. */
    public Tensor repeatInterleave(long repeats, int dim) { return Structural.repeatInterleave(self(), repeats, dim); }

    /** Every element repeated {@code repeats} times, flattened. */
    public Tensor repeatInterleave(long repeats) { return Structural.repeatInterleave(self(), repeats, null); }

    /** This int64 tensor as counts: {@code i} repeated {@code this[i]} times, as {@code torch.repeat_interleave(counts)}. */
    public Tensor repeatInterleave() { return Structural.repeatInterleave(self()); }

    /** Slice {@code i} along {@code dim} repeated {@code repeats[i]} times. */
    public Tensor repeatInterleave(Tensor repeats, int dim) { return Structural.repeatInterleave(self(), repeats, dim); }
}
