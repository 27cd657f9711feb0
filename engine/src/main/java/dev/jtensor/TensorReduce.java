package dev.jtensor;

import dev.jtensor.internal.ops.Reduce;

/** Reductions (one-line delegates to {@code internal.ops.Reduce}). */
abstract class TensorReduce extends TensorMath {
    TensorReduce(dev.jtensor.backend.Storage s, DType d, dev.jtensor.internal.layout.Layout l, Device dev, boolean owns) {
        super(s, d, l, dev, owns);
    }

    /** Sum of all elements (a 0-d tensor). */
    public Tensor sum() { return Reduce.sum(self(), new int[0], false); }

    /** Sum over {@code dim}. */
    public Tensor sum(int dim, boolean keepdim) { return Reduce.sum(self(), new int[] {dim}, keepdim); }

    /** Sum over several dims. */
    public Tensor sum(int[] dims, boolean keepdim) { return Reduce.sum(self(), dims, keepdim); }
}
