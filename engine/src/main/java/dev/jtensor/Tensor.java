package dev.jtensor;

import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.AutogradMeta;
import dev.jtensor.autograd.InferenceMode;
import dev.jtensor.autograd.TensorHook;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.HostData;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Broadcast;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * An n-dimensional array of one {@link DType} on one {@link Device}, PyTorch's {@code torch.Tensor}.
 *
 * <p>A tensor is a view {@code (storage, dtype, shape, strides, offset, device)}: views made by
 * {@code get}, {@code slice}, {@code view}, {@code permute}, ... share their base's memory. CPU memory is
 * an off-heap (or, for tiny tensors, heap) {@link MemorySegment}. Memory is released by {@link #close()},
 * by the {@link Scope} it was made in, or by the GC once unreachable. Ops record an autograd tape
 * when an input {@link #requiresGrad()}; {@link #backward()} fills leaves' {@link #grad()}.
 *
 * <p>This class is a facade: each method is one line delegating to the op families in
 * {@code dev.jtensor.internal.ops}; the methods are grouped in the package-private superclasses
 * {@code TensorCore} (state), {@code TensorViews}, {@code TensorMath}, {@code TensorReduce},
 * {@code TensorIndexing}, {@code TensorLinalg} and {@code TensorOverloads}.
 */
public final class Tensor extends TensorOverloads {
    static {
        Tensors.install(new Tensors.Access() {
            public Tensor make(Storage s, DType d, Layout l, Device dev, boolean owns) { return new Tensor(s, d, l, dev, owns); }
            public Storage storage(Tensor t) { return t.storage; }
            public Layout layout(Tensor t) { return t.layout; }
            public AutogradMeta meta(Tensor t) { return t.autograd; }
            public AutogradMeta metaForWrite(Tensor t) { return t.meta(); }
            public void checkOpen(Tensor t) { t.checkOpen(); }
            public void resizeEmpty(Tensor t, long[] shape) { t.resizeEmpty(shape); }
            public Tensor viewBase(Tensor t) { return t.viewBase; }
            public void setViewBase(Tensor t, Tensor base) { t.viewBase = base; }
            public boolean isInference(Tensor t) { return t.inference; }
        });
    }

    Tensor(Storage storage, DType dtype, Layout layout, Device device, boolean ownsStorage) {
        super(storage, dtype, layout, device, ownsStorage);
        if (layout.numel() > 0 && (layout.minIndex() < 0
                || layout.maxIndex() >= storage.byteSize() / dtype.byteSize())) { // overflow-free form of (max + 1) * size > bytes
            throw new IndexOutOfBoundsException("view " + layout + " of " + dtype + " reaches outside its storage of "
                    + storage.byteSize() + " bytes");
        }
    }

    // ---------------- wrapping memory the caller owns ----------------

    /**
     * A tensor over {@code segment} without copying (C order, offset 0). The caller keeps ownership:
     * the segment must stay alive while the tensor is used; closing the tensor does not free it.
     *
     * @throws IllegalArgumentException if the segment is too small for {@code shape}
     */
    public static Tensor wrap(MemorySegment segment, DType dtype, long... shape) {
        long n = Shape.numelOf(shape);
        long bytes = Math.multiplyExact(n, (long) dtype.byteSize());
        if (bytes > segment.byteSize()) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is too small for " + dtype
                    + " shape " + java.util.Arrays.toString(shape) + " (" + bytes + " bytes)");
        }
        return new Tensor(HostData.wrap(segment, false, null, null), dtype, Layout.contiguous(shape.clone()), Device.CPU, true);
    }

    /**
     * A tensor over a little-endian {@link ByteBuffer}'s remaining bytes without copying (direct or heap).
     * Read-only buffers give read-only tensors.
     */
    public static Tensor fromBuffer(ByteBuffer buffer, DType dtype, long... shape) {
        if (buffer.order() != ByteOrder.LITTLE_ENDIAN && dtype.byteSize() > 1) {
            throw new IllegalArgumentException("fromBuffer: buffer must be little-endian for " + dtype
                    + "; call buffer.order(ByteOrder.LITTLE_ENDIAN) or convert the data");
        }
        MemorySegment seg = MemorySegment.ofBuffer(buffer);
        Tensor t = wrap(seg, dtype, shape);
        return buffer.isReadOnly() ? new Tensor(HostData.wrap(seg, true, "read-only ByteBuffer", null), dtype, t.layout, Device.CPU, true) : t;
    }

    // ---------------- autograd ----------------

    /** Sets whether gradients are recorded for this leaf; returns this. */
    public Tensor requiresGrad_(boolean requiresGrad) {
        if (!isLeaf() && !requiresGrad) {
            throw new IllegalStateException("you can only change requires_grad flags of leaf variables. If you want to use "
                    + "a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
        }
        if (requiresGrad && inference && !InferenceMode.isEnabled()) {
            throw new IllegalStateException("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.");
        }
        if (requiresGrad && !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("only Tensors of floating point dtype can require gradients (got " + dtype + ")");
        }
        if (requiresGrad || autograd != null) meta().setRequiresGrad(requiresGrad);
        return this;
    }

    /** Sets requiresGrad to true; returns this. */
    public Tensor requiresGrad_() { return requiresGrad_(true); }

    /** Backpropagates from this one-element tensor: fills {@code grad()} of the leaves it depends on. */
    public void backward() { Autograd.backward(this, null, false, false); }

    /** Backpropagates with {@code gradient} (of this tensor's shape) as the output gradient. */
    public void backward(Tensor gradient) { Autograd.backward(this, gradient, false, false); }

    /** Backward keeping the graph ({@code retainGraph}) and/or recording it for higher derivatives ({@code createGraph}). */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Autograd.backward(this, gradient, retainGraph, createGraph);
    }

    /** The same data, cut from the tape (a view sharing memory, requiresGrad false). */
    public Tensor detach() { return Tensors.make(storage, dtype, layout, device, false); }

    /** Cuts this tensor from the tape in place; returns this. */
    public Tensor detach_() {
        if (autograd != null) {
            autograd.setGradFn(null);
            autograd.setRequiresGrad(false);
        }
        return this;
    }

    /** Makes backward fill {@code grad()} of this non-leaf too. */
    public Tensor retainGrad() {
        if (isLeaf()) return this;
        AutogradMeta m = meta();
        Tensors.addOutputHook(m.gradFn(), g -> {
            m.setGrad(m.grad() == null ? g.detach().clone() : m.grad().add(g.detach()));
            return null;
        });
        return this;
    }

    /** Calls {@code hook} with this tensor's gradient whenever it is computed; a non-null result replaces it. */
    public Tensor registerHook(TensorHook hook) {
        Objects.requireNonNull(hook, "hook");
        if (!requiresGrad()) throw new IllegalStateException("cannot register a hook on a tensor that doesn't require gradient");
        if (gradFn() != null) {
            Tensors.addOutputHook(gradFn(), hook);
        } else {
            meta().addHook(hook);
        }
        return this;
    }

    /**
     * Sets the gradient (e.g. to null, as {@code p.grad = None}). A gradient set inside a
     * {@code Jt.scope()} on a tensor made outside it lives as long as this tensor, not the scope.
     */
    public void setGrad(Tensor grad) { Tensors.setGrad(this, grad); }

    // ---------------- comparison ----------------

    /** True if both have the same shape and elements (and comparable dtypes), as {@code torch.equal}. */
    public boolean equal(Tensor other) {
        if (!shape().equals(other.shape())) return false;
        double[] a = toDoubleArray(), b = other.toDoubleArray();
        if (!dtype.isFloatingPoint() && !other.dtype.isFloatingPoint()) {
            return java.util.Arrays.equals(toLongArray(), other.toLongArray());
        }
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
        return true;
    }

    /** {@code |a - b| <= atol + rtol * |b|} everywhere, with broadcasting: rtol 1e-5, atol 1e-8 as PyTorch. */
    public boolean allclose(Tensor other) { return allclose(other, 1e-5, 1e-8); }

    /** {@code |a - b| <= atol + rtol * |b|} everywhere (NaN never close). */
    public boolean allclose(Tensor other, double rtol, double atol) {
        long[] shape = Broadcast.shapes("allclose", layout.shape(), other.layout.shape());
        double[] a = expand(shape).toDoubleArray(), b = other.expand(shape).toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) continue;
            if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i]))) return false;
        }
        return true;
    }

}
