package dev.jtensor.internal;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Shape;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.AutogradMeta;
import dev.jtensor.autograd.GradFn;
import dev.jtensor.autograd.GradMode;
import dev.jtensor.autograd.InferenceMode;
import dev.jtensor.autograd.TensorHook;
import dev.jtensor.backend.Backend;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import java.util.List;

/**
 * Internal access to tensor state for the op families, autograd and io (the JDK's SharedSecrets
 * pattern): {@code dev.jtensor.Tensor} installs an {@link Access} when its class initialises. Not
 * exported from the module.
 */
public final class Tensors {
    private Tensors() {}

    /** What {@code dev.jtensor} exposes to the internal packages. */
    public interface Access {
        Tensor make(Storage storage, DType dtype, Layout layout, Device device, boolean ownsStorage);
        Storage storage(Tensor t);
        Layout layout(Tensor t);
        /** The tensor's autograd state, or null when it never took part in autograd. */
        AutogradMeta meta(Tensor t);
        /** The tensor's autograd state, made on first use. */
        AutogradMeta metaForWrite(Tensor t);
        void checkOpen(Tensor t);
        void resizeEmpty(Tensor t, long[] shape);
        Tensor viewBase(Tensor t);
        void setViewBase(Tensor t, Tensor base);
        boolean isInference(Tensor t);
    }

    private static Access access;

    public static void install(Access a) { access = a; }

    private static Access access() {
        Access a = access;
        if (a == null) {
            try {
                Class.forName("dev.jtensor.Tensor", true, Tensors.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }

    /** A tensor over {@code storage} with the given view. {@code ownsStorage}: close() frees it. */
    public static Tensor make(Storage storage, DType dtype, Layout layout, Device device, boolean ownsStorage) {
        return access().make(storage, dtype, layout, device, ownsStorage);
    }

    /** Bytes for {@code shape} of {@code dtype}, checked for negative sizes and overflow. */
    public static long byteSizeOf(DType dtype, long[] shape) {
        long n = Shape.numelOf(shape);
        if (n > Long.MAX_VALUE / dtype.byteSize()) {
            throw new IllegalArgumentException("Storage size calculation overflowed: shape " + java.util.Arrays.toString(shape)
                    + " of " + dtype + " needs more bytes than a long can count");
        }
        return n * dtype.byteSize();
    }

    /** A fresh contiguous CPU tensor, zero-filled. */
    public static Tensor zeros(DType dtype, long[] shape) { return fresh(dtype, shape, Device.CPU, true); }

    /** A fresh contiguous CPU tensor whose every element is about to be written. */
    public static Tensor empty(DType dtype, long[] shape) { return fresh(dtype, shape, Device.CPU, false); }

    /** A fresh contiguous tensor on {@code device} whose every element is about to be written (an op's output). */
    public static Tensor empty(DType dtype, long[] shape, Device device) { return fresh(dtype, shape, device, false); }

    /**
     * A fresh contiguous tensor on {@code device}, its memory allocated by the device's backend,
     * zero-filled when {@code zero}; registered with the thread's open scope.
     *
     * @throws UnsupportedOperationException naming the device when this build has no backend for it
     */
    public static Tensor fresh(DType dtype, long[] shape, Device device, boolean zero) {
        Backend backend = Backend.of(device);
        Storage s = Storage.allocate(backend, byteSizeOf(dtype, shape), zero);
        Scopes.register(s);
        return make(s, dtype, Layout.contiguous(shape), backend.device(), true);
    }

    /** A view of {@code base}'s storage with another layout (shares memory). */
    public static Tensor view(Tensor base, Layout layout) {
        Access a = access();
        a.checkOpen(base);
        Tensor v = a.make(a.storage(base), base.dtype(), layout, base.device(), false);
        Tensor root = a.viewBase(base);
        a.setViewBase(v, root != null ? root : base);
        return v;
    }

    /** The tensor a view was made from (its root), or null if {@code t} is not a view. */
    public static Tensor viewBase(Tensor t) { return access().viewBase(t); }

    public static Storage storage(Tensor t) { return access().storage(t); }

    public static Layout layout(Tensor t) { return access().layout(t); }

    public static int version(Tensor t) { return access().storage(t).version(); }

    /**
     * Marks an in-place change (PyTorch's version counter). An inference tensor skips it inside inference
     * mode and refuses the change outside it, as PyTorch does.
     */
    public static void bumpVersion(Tensor t) {
        Access a = access();
        if (a.isInference(t)) {
            if (InferenceMode.isEnabled()) return;
            throw new IllegalStateException("Inplace update to inference tensor outside InferenceMode is not allowed. "
                    + "You can make a clone to get a normal tensor before doing inplace update.");
        }
        a.storage(t).bumpVersion();
    }

    /** {@code t}'s autograd state, or null when it has none (never creates one). */
    static AutogradMeta meta(Tensor t) { return access().meta(t); }

    /** Whether {@code t} was made in inference mode. */
    public static boolean isInference(Tensor t) { return access().isInference(t); }

    public static void checkOpen(Tensor t) { access().checkOpen(t); }

    /**
     * PyTorch's rule for an {@code out=} argument of another shape: an empty out is resized to the
     * result's shape (fresh contiguous memory); one with elements is left alone (the caller's shape check
     * then names both shapes: jtensor does not resize tensors that hold data, which PyTorch deprecates).
     */
    public static void resizeOutIfEmpty(Tensor out, long[] shape) {
        if (out.numel() == 0 && !java.util.Arrays.equals(layout(out).shape(), shape)) access().resizeEmpty(out, shape);
    }

    public static void setGradFn(Tensor t, GradFn fn) {
        if (fn == null && access().meta(t) == null) return;
        AutogradMeta m = access().metaForWrite(t);
        m.setGradFn(fn);
        m.setRequiresGrad(fn != null || m.requiresGrad());
    }

    public static void setRequiresGrad(Tensor t, boolean b) {
        if (b || access().meta(t) != null) access().metaForWrite(t).setRequiresGrad(b);
    }

    public static GradFn accumulator(Tensor t) {
        AutogradMeta m = access().meta(t);
        return m == null ? null : m.accumulator();
    }

    public static void setAccumulator(Tensor t, GradFn fn) { access().metaForWrite(t).setAccumulator(fn); }

    /** Sets {@code t}'s gradient; its memory then lives as long as {@code t} (see {@link Scopes#adopt}). */
    public static void setGrad(Tensor t, Tensor grad) {
        if (grad == null && access().meta(t) == null) return;
        access().metaForWrite(t).setGrad(grad);
        adoptLifetime(grad, t);
    }

    /**
     * Sets a leaf gradient that autograd made from memory nothing else holds; {@link #zeroGrads} may release it
     * at once unless {@code Tensor.grad()} hands it out first.
     */
    public static void setPrivateGrad(Tensor t, Tensor grad) {
        access().metaForWrite(t).setPrivateGrad(grad);
        adoptLifetime(grad, t);
    }

    /**
     * Ties {@code child}'s memory to {@code owner}'s lifetime: made inside a {@code Jt.scope()} for an owner
     * made outside it (a gradient, optimizer state), it outlives that scope. No-op for null.
     */
    public static void adoptLifetime(Tensor child, Tensor owner) {
        if (child != null) Scopes.adopt(access().storage(child), access().storage(owner));
    }

    public static void addOutputHook(GradFn fn, TensorHook hook) { fn.addTensorHook(hook); }

    public static List<TensorHook> leafHooks(Tensor t) {
        AutogradMeta m = access().meta(t);
        return m == null ? List.of() : m.hooks();
    }

    // ---- what the autograd engine needs from the ops ----

    public static Tensor onesLike(Tensor t) { return Jt.onesLike(t); }

    /** a + b for gradient accumulation (differentiable when grad mode is on). */
    public static Tensor addGrads(Tensor a, Tensor b) { return a.add(b); }

    /** {@code old += g} in place, outside the tape. */
    public static void accumulateInPlace(Tensor old, Tensor g) {
        try (var guard = GradMode.set(false)) {
            old.add_(g);
        }
    }

    /** The tensor to store as a fresh leaf gradient: detached, and never aliasing another tensor's memory. */
    public static Tensor detachedCopyIfShared(Tensor g) {
        return g.detach().clone();
    }

    /** Sums a broadcast gradient back to {@code shape} (leading dims, and dims that were 1). */
    public static Tensor sumToShape(Tensor g, long[] shape) {
        long[] gs = layout(g).shape();
        if (java.util.Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        int count = 0;
        int[] dims = new int[gs.length];
        for (int i = 0; i < gs.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) dims[count++] = i;
        }
        Tensor r = count == 0 ? g : g.sum(java.util.Arrays.copyOf(dims, count), true);
        return r.view(shape);
    }
}
