package dev.jtensor;

import dev.jtensor.internal.ops.AdvancedIndexing;
import dev.jtensor.internal.ops.Indexing;
import dev.jtensor.internal.ops.Join;
import java.util.List;

/** Joining and indexing statics of the {@code torch.} namespace (part of {@link Jt}). */
abstract class JtIndexing extends JtReduce {
    JtIndexing() {}

    /** {@code torch.cat(tensors, dim)}: inputs agree in every dim but {@code dim}; dtypes promote. A copy. */
    public static Tensor cat(List<Tensor> tensors, int dim) { return Join.cat(tensors, dim); }

    /** {@code torch.cat(tensors, dim, out=out)}: out must have the result's shape and dtype; returns out. */
    public static Tensor cat(List<Tensor> tensors, int dim, Tensor out) { return Join.cat(tensors, dim, out); }

    /** {@code torch.cat((a, b, ...))} along dim 0. */
    public static Tensor cat(Tensor... tensors) { return Join.cat(List.of(tensors), 0); }

    /** {@code torch.stack(tensors, dim)}: equal shapes, joined along a new dim. */
    public static Tensor stack(List<Tensor> tensors, int dim) { return Join.stack(tensors, dim); }

    /** {@code torch.stack((a, b, ...))} along a new dim 0. */
    public static Tensor stack(Tensor... tensors) { return Join.stack(List.of(tensors), 0); }

    public static Tensor gather(Tensor x, int dim, Tensor index) { return Indexing.gather(x, dim, index); }

    public static Tensor scatter(Tensor x, int dim, Tensor index, Tensor src) { return Indexing.scatter(x, dim, index, src); }

    public static Tensor scatter(Tensor x, int dim, Tensor index, double value) { return Indexing.scatter(x, dim, index, value); }

    public static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor src) { return Indexing.scatterAdd(x, dim, index, src); }

    public static Tensor indexSelect(Tensor x, int dim, Tensor index) { return Indexing.indexSelect(x, dim, index); }

    public static Tensor maskedFill(Tensor x, Tensor mask, double value) { return Indexing.maskedFill(x, mask, value); }

    public static Tensor maskedSelect(Tensor x, Tensor mask) { return AdvancedIndexing.maskedSelect(x, mask); }
}
