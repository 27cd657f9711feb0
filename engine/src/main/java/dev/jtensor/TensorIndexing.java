package dev.jtensor;

import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.ops.AdvancedIndexing;
import dev.jtensor.internal.ops.Indexing;

/**
 * Indexing ops: gather, scatter, masks, index tensors (one-line delegates to {@code internal.ops.Indexing}
 * and {@code AdvancedIndexing}). Functional forms return copies; {@code _} forms write into this tensor.
 * Index values are checked (IndexOutOfBoundsException naming index, dim and size).
 */
abstract class TensorIndexing extends TensorReduce {
    TensorIndexing(Storage s, DType d, Layout l, Device dev, boolean owns) {
        super(s, d, l, dev, owns);
    }

    /** {@code out[i][j] = this[i][index[i][j]]} (dim 1); index is int64 of this tensor's rank. */
    public Tensor gather(int dim, Tensor index) { return Indexing.gather(self(), dim, index); }

    /** A copy with {@code out[i][index[i][j]] = src[i][j]} (dim 1). */
    public Tensor scatter(int dim, Tensor index, Tensor src) { return Indexing.scatter(self(), dim, index, src); }

    /** A copy with {@code value} at the positions {@code index} selects along {@code dim}. */
    public Tensor scatter(int dim, Tensor index, double value) { return Indexing.scatter(self(), dim, index, value); }

    /** A copy with {@code out[i][index[i][j]] += src[i][j]} (dim 1). */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return Indexing.scatterAdd(self(), dim, index, src); }

    /** The slices at {@code index} (1-d int64/int32) along {@code dim}, a copy. */
    public Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(self(), dim, index); }

    /** A copy with {@code src}'s slices added at {@code index} along {@code dim}. */
    public Tensor indexAdd(int dim, Tensor index, Tensor src) { return Indexing.indexAdd(self(), dim, index, src); }

    /** A copy with {@code value} where {@code mask} (bool, broadcastable) is true. */
    public Tensor maskedFill(Tensor mask, double value) { return Indexing.maskedFill(self(), mask, value); }

    /** {@code this[mask] = value} in place; returns this. */
    public Tensor maskedFill_(Tensor mask, double value) { return Indexing.maskedFill_(self(), mask, value); }

    /** The elements where {@code mask} is true, as a 1-d copy. */
    public Tensor maskedSelect(Tensor mask) { return AdvancedIndexing.maskedSelect(self(), mask); }

    /** {@code this[indices]}: a bool mask over the leading dims, or an int64/int32 index tensor into dim 0 (a copy). */
    public Tensor index(Tensor indices) { return AdvancedIndexing.index(self(), indices); }

    /** {@code this[indices] = values} in place (values broadcast); returns this. */
    public Tensor indexPut_(Tensor indices, Tensor values) { return AdvancedIndexing.indexPut_(self(), indices, values, false); }

    /** {@code this[indices] = values}, or {@code +=} with duplicates adding up when {@code accumulate}; in place. */
    public Tensor indexPut_(Tensor indices, Tensor values, boolean accumulate) {
        return AdvancedIndexing.indexPut_(self(), indices, values, accumulate);
    }

    /** {@code this[indices] = value} in place. */
    public Tensor indexPut_(Tensor indices, double value) {
        return AdvancedIndexing.indexPut_(self(), indices, Jt.tensor(value, dtype), false);
    }

    /** A copy with {@code out[indices] = values} (or {@code +=}). */
    public Tensor indexPut(Tensor indices, Tensor values, boolean accumulate) {
        return AdvancedIndexing.indexPut(self(), indices, values, accumulate);
    }
}
