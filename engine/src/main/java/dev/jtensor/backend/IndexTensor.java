package dev.jtensor.backend;

import dev.jtensor.DType;
import dev.jtensor.backend.plan.Layout;

/**
 * An index tensor as the index verbs of {@link Backend} take it: its buffer on the op's device, its dtype
 * (int64 or int32) and its layout (shape, strides, element offset). The backend reads the index values in
 * its kernel; nothing is read on the host. The CPU kernels check every value against the size of the dim
 * it addresses and throw {@link IndexOutOfBoundsException} naming index, dim and size (PyTorch checks inside
 * its kernels too).
 */
public record IndexTensor(Buffer buffer, DType type, Layout layout) {
    public IndexTensor {
        if (type != DType.INT64 && type != DType.INT32) throw new IllegalArgumentException("index tensors are int64 or int32, got " + type);
    }

    /** The number of index values. */
    public long count() { return layout.numel(); }

    /** The same values seen through {@code view} (a broadcast of this index, say). */
    public IndexTensor withLayout(Layout view) { return new IndexTensor(buffer, type, view); }

    /** This index tensor with {@code buffer} in place of its own (the same values moved elsewhere). */
    public IndexTensor on(Buffer other) { return new IndexTensor(other, type, layout); }
}
