package dev.jtensor;

import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.ops.BasicIndexing;
import dev.jtensor.internal.ops.Movement;

/**
 * Views and layout changes: each shares memory with this tensor (writes through one are visible in
 * the other) unless it says it copies. Each method is one line; the ops, with their backward rules,
 * live in {@code internal.ops.Movement}.
 */
abstract class TensorViews extends TensorCore {
    TensorViews(Storage s, DType d, Layout l, Device dev, boolean owns) {
        super(s, d, l, dev, owns);
    }

    /** {@code t[i]}, {@code t[i, j]}, ...: selects along the leading dims (a view). Negative indices count from the end. */
    public Tensor get(long... indices) { return Movement.get(self(), indices); }

    /**
     * {@code t[expr]} with the Python spelling: {@code get(":, 1")}, {@code get("..., -1")}, {@code get("1:3, ::2")},
     * {@code get("None, :")}. Integers, ranges, {@code ...} and {@code None} give views (writes show in t).
     *
     * @throws IllegalArgumentException naming an item that is not an index
     * @throws IndexOutOfBoundsException naming an integer out of range, or too many indices
     */
    public Tensor get(String expr) { return BasicIndexing.get(self(), Slice.parse(expr)); }

    /** {@code t[mask]} (bool, a 1-d copy of the selected elements or rows) or {@code t[indices]} (int64/int32, a copy). */
    public Tensor get(Tensor indices) { return BasicIndexing.get(self(), Slice.tensor(indices)); }

    /**
     * {@code t[items]} for programmatic indices, as PyTorch C++'s {@code t.index({Slice(), 1})}:
     * {@code index(Slice.all(), Slice.at(1))}. Views unless an item is a tensor.
     */
    public Tensor index(Slice... items) { return BasicIndexing.get(self(), items); }

    /** {@code t[expr] = value} in place (value broadcast and converted to t's dtype); returns t. */
    public Tensor set(String expr, double value) { return BasicIndexing.set(self(), Slice.parse(expr), value); }

    /** {@code t[expr] = value} in place, value broadcast to {@code t[expr]}'s shape; returns t. */
    public Tensor set(String expr, Tensor value) { return BasicIndexing.set(self(), Slice.parse(expr), value); }

    /** {@code t[mask] = value} (bool mask) or {@code t[indices] = value} in place; returns t. */
    public Tensor set(Tensor indices, double value) { return BasicIndexing.set(self(), new Slice[] {Slice.tensor(indices)}, value); }

    /** {@code t[mask] = value} or {@code t[indices] = value} in place, value broadcast; returns t. */
    public Tensor set(Tensor indices, Tensor value) { return BasicIndexing.set(self(), new Slice[] {Slice.tensor(indices)}, value); }

    /** {@code t[items] = value} in place; returns t. */
    public Tensor set(Slice[] items, double value) { return BasicIndexing.set(self(), items, value); }

    /** {@code t[items] = value} in place, value broadcast; returns t. */
    public Tensor set(Slice[] items, Tensor value) { return BasicIndexing.set(self(), items, value); }

    /** {@code t.tolist()}: nested {@code List}s of Double, Long or Boolean (0-d: use {@code item()}). */
    public java.util.List<?> tolist() { return BasicIndexing.tolist(self()); }

    /** {@code t.select(dim, index)}: drops {@code dim}, keeping slice {@code index} (a view). */
    public Tensor select(int dim, long index) { return Movement.select(self(), dim, index); }

    /** {@code t[..., start:end]} along {@code dim}, Python clamping (a view). */
    public Tensor slice(int dim, long start, long end) { return Movement.slice(self(), dim, start, end, 1); }

    /** {@code t[..., start:end:step]} along {@code dim} (a view; step &gt; 0). */
    public Tensor slice(int dim, long start, long end, long step) { return Movement.slice(self(), dim, start, end, step); }

    /** {@code t.narrow(dim, start, length)}: checked slice (a view). */
    public Tensor narrow(int dim, long start, long length) { return Movement.narrow(self(), dim, start, length); }

    /** Same data, new shape (one size may be -1); throws if the strides do not allow a view, as PyTorch. */
    public Tensor view(long... shape) { return Movement.view(self(), shape); }

    /** A view of another dtype of the same element size is not supported; reinterprets nothing. Shape of {@code other}. */
    public Tensor viewAs(Tensor other) { return Movement.view(self(), other.shape().toArray()); }

    /** Like {@link #view} when possible, else a contiguous copy. */
    public Tensor reshape(long... shape) { return Movement.reshape(self(), shape); }

    /** Reshape to {@code other}'s shape. */
    public Tensor reshapeAs(Tensor other) { return Movement.reshape(self(), other.shape().toArray()); }

    /** All dims flattened into one (a view when possible). */
    public Tensor flatten() { return Movement.flatten(self(), 0, -1); }

    /** Dims {@code startDim..endDim} flattened into one. */
    public Tensor flatten(int startDim, int endDim) { return Movement.flatten(self(), startDim, endDim); }

    /** Drops all size-1 dims (a view). */
    public Tensor squeeze() { return Movement.squeeze(self()); }

    /** Drops {@code dim} if it has size 1 (a view). */
    public Tensor squeeze(int dim) { return Movement.squeeze(self(), dim); }

    /** Inserts a size-1 dim at {@code dim} (a view). */
    public Tensor unsqueeze(int dim) { return Movement.unsqueeze(self(), dim); }

    /** Reorders dims (a view). */
    public Tensor permute(int... dims) { return Movement.permute(self(), dims); }

    /** Swaps two dims (a view). */
    public Tensor transpose(int dim0, int dim1) { return Movement.transpose(self(), dim0, dim1); }

    /** Transpose of a tensor of at most 2 dims (a view), as {@code t.t()}. */
    public Tensor t() { return Movement.t(self()); }

    /** {@code t.T}: all dims reversed (a view; for a matrix, its transpose). */
    public Tensor T() { return BasicIndexing.reversedDims(self()); }

    /** The last two dims swapped ({@code t.mT}, a view). */
    public Tensor mT() { return Movement.transpose(self(), -2, -1); }

    /** Broadcasts to {@code shape} without copying (stride 0); -1 keeps a size. */
    public Tensor expand(long... shape) { return Movement.expand(self(), shape); }

    /** Broadcasts to {@code other}'s shape. */
    public Tensor expandAs(Tensor other) { return Movement.expand(self(), other.shape().toArray()); }

    /** This tensor if contiguous, else a contiguous copy. */
    public Tensor contiguous() { return Movement.contiguous(self()); }

    /** A copy in fresh contiguous memory (differentiable). */
    public Tensor clone() { return Movement.copyAs(self(), dtype, "CloneBackward0"); }

    /** This tensor converted to {@code dtype} (itself if already of it). */
    public Tensor to(DType dtype) { return dtype == this.dtype ? self() : Movement.copyAs(self(), dtype, "ToCopyBackward0"); }

    /** This tensor on {@code device} (itself if already there). */
    public Tensor to(Device device) { return Movement.toDevice(self(), device); }

    /** This tensor on the CPU. */
    public Tensor cpu() { return Movement.toDevice(self(), Device.CPU); }

    /** This tensor on CUDA device 0. */
    public Tensor cuda() { return Movement.toDevice(self(), Device.cuda(0)); }

    /** Splits into chunks of {@code splitSize} along {@code dim} (views; the last may be smaller). */
    public java.util.List<Tensor> split(long splitSize, int dim) { return Movement.split(self(), splitSize, dim); }

    /** Splits into pieces of the given sizes along {@code dim} (views). */
    public java.util.List<Tensor> split(long[] sizes, int dim) { return Movement.split(self(), sizes, dim); }

    /** Splits into {@code chunks} nearly equal pieces along {@code dim} (views), as torch.chunk. */
    public java.util.List<Tensor> chunk(int chunks, int dim) { return Movement.chunk(self(), chunks, dim); }

    /** The slices along {@code dim}, each without that dim (views). */
    public java.util.List<Tensor> unbind(int dim) { return Movement.unbind(self(), dim); }
}
