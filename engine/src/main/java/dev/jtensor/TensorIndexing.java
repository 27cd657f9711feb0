package dev.jtensor;

/** Indexing ops: gather, scatter, masks, index tensors (one-line delegates to {@code internal.ops.Indexing}). */
abstract class TensorIndexing extends TensorReduce {
    TensorIndexing(dev.jtensor.backend.Storage s, DType d, dev.jtensor.internal.layout.Layout l, Device dev, boolean owns) {
        super(s, d, l, dev, owns);
    }
}
