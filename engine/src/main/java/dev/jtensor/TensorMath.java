package dev.jtensor;

import dev.jtensor.internal.ops.Binary;

/** Elementwise math (one-line delegates to {@code internal.ops}). */
abstract class TensorMath extends TensorViews {
    TensorMath(dev.jtensor.backend.Storage s, DType d, dev.jtensor.internal.layout.Layout l, Device dev, boolean owns) {
        super(s, d, l, dev, owns);
    }

    /** {@code this + other}, broadcasting. */
    public Tensor add(Tensor other) { return Binary.add(self(), other); }

    /** {@code this += other} in place; returns this. */
    public Tensor add_(Tensor other) { return Binary.add_(self(), other); }
}
