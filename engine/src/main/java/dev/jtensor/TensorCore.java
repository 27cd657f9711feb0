package dev.jtensor;

import dev.jtensor.autograd.AutogradMeta;
import dev.jtensor.autograd.GradFn;
import dev.jtensor.autograd.InferenceMode;
import dev.jtensor.backend.Backend;
import dev.jtensor.backend.Buffer;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.HostData;
import dev.jtensor.internal.Printer;
import dev.jtensor.internal.Scopes;
import dev.jtensor.internal.Tensors;
import dev.jtensor.backend.plan.Layout;

/**
 * The state of a tensor and its metadata accessors: a view {@code (storage, dtype, layout, device)}
 * plus autograd state. Package-private base of {@link Tensor}; the op families sit in the classes
 * between ({@code TensorViews}, {@code TensorMath}, ...), so that each file stays one concern.
 */
abstract class TensorCore implements AutoCloseable {
    /** Not final only so that an empty {@code out=} tensor can be resized (PyTorch's out semantics). */
    Storage storage;
    final DType dtype;
    Layout layout;
    /** Not final only so that {@code Module.to(device)} can move a parameter in place ({@link #replaceData}). */
    Device device;

    /** Autograd state, owned by dev.jtensor.autograd; null for a tensor that never took part in autograd. */
    AutogradMeta autograd;
    /** For a view: the tensor whose memory it views (the root, never itself a view); null otherwise. */
    Tensor viewBase;
    /** True for the tensor that allocated (or mapped, or wrapped) the storage: closing it releases it. */
    final boolean ownsStorage;
    /** Made inside {@code Jt.inferenceMode()}: no version bumps, no autograd later (see InferenceMode). */
    final boolean inference;
    private boolean closed;

    TensorCore(Storage storage, DType dtype, Layout layout, Device device, boolean ownsStorage) {
        this.storage = storage;
        this.dtype = dtype;
        this.layout = layout;
        this.device = device;
        this.ownsStorage = ownsStorage;
        this.inference = InferenceMode.isEnabled();
    }

    /** Whether this tensor was made in inference mode ({@code torch.Tensor.is_inference()}). */
    public final boolean isInference() { return inference; }

    final Tensor self() { return (Tensor) this; }

    /**
     * Gives an empty tensor fresh contiguous memory of {@code shape}, as PyTorch resizes an empty
     * {@code out=} argument. Tensors with elements are never resized (PyTorch deprecates that).
     */
    final void resizeEmpty(long[] shape) {
        checkOpen();
        if (layout.numel() != 0) throw new IllegalStateException("only an empty tensor can be resized, not " + shape());
        if (!ownsStorage) throw new IllegalStateException("cannot resize an empty view of another tensor's memory");
        Storage fresh = Storage.allocate(Backend.of(device), Tensors.byteSizeOf(dtype, shape), false);
        Scopes.register(fresh);
        Scopes.adopt(fresh, storage); // the new memory lives in the old one's scope
        storage.close();
        storage = fresh;
        layout = Layout.contiguous(shape.clone());
    }

    /**
     * PyTorch's {@code t.data = src}: this tensor takes over {@code src}'s values and memory, on src's device,
     * keeping its identity, autograd state and gradient (how {@code Module.to(device)} moves parameters that
     * layers and optimizers hold). {@code src} must have this tensor's dtype and shape (jtensor tensors keep
     * both for life). A contiguous src that owns its memory shares it with this tensor afterwards (closing
     * either releases it); a view or a strided src is copied first. This tensor's old memory is released if it
     * owned it; views taken of it before keep reading the old memory.
     *
     * @throws IllegalArgumentException for another dtype or shape
     * @throws IllegalStateException for a view (its memory belongs to another tensor)
     */
    public void setData(Tensor src) {
        if (viewBase != null) throw new IllegalStateException("cannot set the data of a view; set its base's");
        if (src.dtype != dtype || !java.util.Arrays.equals(src.layout.shape(), layout.shape())) {
            throw new IllegalArgumentException("setData: expected a " + dtype + " tensor of shape " + shape() + ", got " + src.dtype + " "
                    + src.shape());
        }
        // a view of other memory, or a strided tensor, is copied: this tensor then owns what it holds
        replaceData(src.viewBase == null && src.ownsStorage && src.isContiguous() ? src : src.detach().clone());
    }

    /** Takes over the memory of {@code src} (contiguous, of this dtype and shape, on any device); see {@link #setData}. */
    final void replaceData(Tensor src) {
        checkOpen();
        if (src.dtype != dtype || !src.layout.isContiguous() || !java.util.Arrays.equals(src.layout.shape(), layout.shape())) {
            throw new IllegalArgumentException("replaceData: expected a contiguous " + dtype + " tensor of shape " + shape() + ", got "
                    + src.dtype + " " + src.shape());
        }
        Storage old = storage;
        Scopes.adopt(src.storage, old); // the new memory lives in the old one's scope
        storage = src.storage;
        layout = src.layout;
        device = src.device;
        if (ownsStorage) old.close();
    }

    /** The element type. */
    public DType dtype() { return dtype; }

    /** The sizes, as PyTorch's {@code t.shape}. */
    public Shape shape() { return Shape.trusted(layout.shape().clone()); }

    /** The sizes, as PyTorch's {@code t.size()}. */
    public Shape size() { return shape(); }

    /** The size of one dim; negative dims count from the end. */
    public long size(int dim) { return layout.size(Layout.wrapDim(dim, layout.rank())); }

    /** Number of dimensions. */
    public int dim() { return layout.rank(); }

    /** Number of elements. */
    public long numel() { return layout.numel(); }

    /** Strides in elements (PyTorch's {@code t.stride()}). */
    public long[] stride() { return layout.strides().clone(); }

    /** The stride of one dim, in elements. */
    public long stride(int dim) { return layout.stride(Layout.wrapDim(dim, layout.rank())); }

    /** Offset of the first element in the storage, in elements. */
    public long storageOffset() { return layout.offset(); }

    /** Bytes per element. */
    public int elementSize() { return dtype.byteSize(); }

    public Device device() { return device; }

    /** True if the elements are laid out row-major without gaps. */
    public boolean isContiguous() { return layout.isContiguous(); }

    /** Bit set on {@link #dataPtr()} values of heap-backed tensors (above any user-space native address). */
    static final long HEAP_PTR_TAG = 1L << 62;

    /**
     * The address of the first element (PyTorch's {@code data_ptr()}), to ask whether two tensors share
     * memory: {@code x.add_(y)} and {@code z.copy_(x.add(y))} keep it, {@code y = x.add(y)} gives a new one,
     * and views differ by their offset in bytes ({@code x.get(1).dataPtr() - x.dataPtr() == x.stride(0) * x.elementSize()}).
     * For native memory (tensors over 1 KiB, mapped files) it is the real address. Small tensors live in
     * the Java heap, where the GC may move them: there it is a stable, process-unique number with bit 62
     * set, following the same arithmetic, that must not be handed to native code.
     *
     * @throws IllegalStateException if the memory was released
     */
    public long dataPtr() {
        checkOpen();
        long byteOffset = layout.offset() * dtype.byteSize();
        if (storage.buffer() instanceof Buffer.DeviceMemory d) return d.address() + byteOffset; // as torch: the device pointer
        long address = HostData.address(storage);
        if (storage.isNative()) return address + byteOffset;
        return HEAP_PTR_TAG | (storage.serial() << 24) + address + byteOffset;
    }

    public boolean isFloatingPoint() { return dtype.isFloatingPoint(); }

    /** True if this tensor's memory is read-only (e.g. mapped from a file with mode r). */
    public boolean isReadOnly() { return storage.isReadOnly(); }

    // ---- autograd state ----

    /** Whether gradients are computed for this tensor. */
    public boolean requiresGrad() { return autograd != null && autograd.requiresGrad(); }

    /** The accumulated gradient; null until a backward pass computes one. */
    public Tensor grad() { return autograd == null ? null : autograd.exposeGrad(); }

    /** The node that created this tensor ({@code grad_fn}); null for leaves. */
    public GradFn gradFn() { return autograd == null ? null : autograd.gradFn(); }

    /** True for tensors not produced by a recorded op (users' tensors, parameters). */
    public boolean isLeaf() { return gradFn() == null; }

    /** The autograd state, made on first write. */
    final AutogradMeta meta() {
        if (autograd == null) autograd = new AutogradMeta();
        return autograd;
    }

    // ---- element access ----

    /** The value of a one-element tensor as a double (PyTorch's {@code item()}): a named host read (one transfer on a device). */
    public double item() {
        checkOneElement();
        return HostData.read(self(), HostData.Bytes::item);
    }

    /** The value of a one-element integer tensor as an exact long. */
    public long itemLong() {
        checkOneElement();
        return HostData.read(self(), HostData.Bytes::itemLong);
    }

    private void checkOneElement() {
        checkOpen();
        if (numel() != 1) {
            throw new IllegalArgumentException("a Tensor with " + numel() + " elements cannot be converted to Scalar");
        }
    }

    /** Row-major copy of the elements as floats. */
    public float[] toFloatArray() { return HostData.read(checkFitsJavaArray(), HostData.Bytes::toFloatArray); }

    /** Row-major copy of the elements as doubles. */
    public double[] toDoubleArray() { return HostData.read(checkFitsJavaArray(), HostData.Bytes::toDoubleArray); }

    /** Row-major copy of the elements as longs (floats truncate toward zero). */
    public long[] toLongArray() { return HostData.read(checkFitsJavaArray(), HostData.Bytes::toLongArray); }

    /** This tensor, checked before anything is copied (a device tensor's download included). */
    private Tensor checkFitsJavaArray() {
        if (numel() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor of " + numel() + " elements does not fit in a Java array");
        }
        return self();
    }

    final void checkOpen() {
        if (closed) throw new IllegalStateException("tensor was closed; it can no longer be used");
        if (storage.isClosed()) storage.checkLive(); // throws: released
    }

    final boolean isClosed() { return closed || storage.isClosed(); }

    /**
     * Releases this tensor. Closing the tensor that owns its storage frees the memory at once (after any
     * op running on it finishes); its views then throw on use. Closing a view only closes that view.
     * Idempotent. Tensors never closed are freed by the GC once unreachable.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (ownsStorage) storage.close();
    }

    /** Prints exactly as PyTorch's repr: {@code tensor([[1., 2.]], grad_fn=<AddBackward0>)}. */
    @Override
    public String toString() {
        if (isClosed()) return "tensor(<released>)";
        try {
            storage.pin(); // held while printing: a concurrent close() waits
        } catch (IllegalStateException unusable) { // released, or a mapped file that shrank underneath
            return isClosed() ? "tensor(<released>)" : "tensor(<" + unusable.getMessage() + ">)";
        }
        String repr = null;
        IllegalStateException lost = null;
        try {
            repr = Printer.repr(self());
        } finally {
            try {
                storage.release();
            } catch (IllegalStateException e) { // the file shrank while printing: what was printed is not its data
                lost = e;
            }
        }
        return lost == null ? repr : "tensor(<" + lost.getMessage() + ">)";
    }
}
