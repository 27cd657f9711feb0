package dev.jtensor;

/** Linear algebra on OpenBLAS (one-line delegates to {@code internal.ops.Linalg}). */
abstract class TensorLinalg extends TensorIndexing {
    TensorLinalg(dev.jtensor.backend.Storage s, DType d, dev.jtensor.internal.layout.Layout l, Device dev, boolean owns) {
        super(s, d, l, dev, owns);
    }
}
