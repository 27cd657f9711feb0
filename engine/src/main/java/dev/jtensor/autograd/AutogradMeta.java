package dev.jtensor.autograd;

import dev.jtensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A tensor's autograd state, as PyTorch's {@code AutogradMeta}: whether it requires grad, its gradient, the
 * node that made it ({@code grad_fn}), the {@code AccumulateGrad} node of a leaf, and hooks on a leaf's
 * gradient. A tensor gets one only when it takes part in autograd; inference tensors have none, so they
 * carry no autograd fields at all. Owned by the autograd package; {@code Tensor} reads it, the engine and
 * the ops write it (through {@code internal.Tensors}).
 */
public final class AutogradMeta {
    private boolean requiresGrad;
    private Tensor grad;
    private GradFn gradFn;
    private GradFn accumulator;
    private List<TensorHook> hooks;
    /**
     * True while no one outside the engine can hold {@link #grad}: autograd made it from memory only this
     * backward pass held, and neither {@code Tensor.grad()}, a hook nor {@code setGrad} has handed it out.
     * Such a gradient, when dropped ({@code zero_grad(set_to_none)}), is released at once instead of waiting
     * for a garbage collection, as PyTorch frees it when its last reference goes.
     */
    private boolean gradPrivate;

    /** Whether gradients are computed for the tensor. */
    public boolean requiresGrad() { return requiresGrad; }

    public void setRequiresGrad(boolean requiresGrad) { this.requiresGrad = requiresGrad; }

    /** The accumulated gradient; null until computed. For the engine's own reads: it does not hand the gradient out. */
    public Tensor grad() { return grad; }

    /** The gradient, handed to user code ({@code Tensor.grad()}): from now on only the GC may release it. */
    public Tensor exposeGrad() {
        gradPrivate = false;
        return grad;
    }

    /** Sets a gradient someone else may hold (user code's {@code setGrad}, a graph made with create_graph). */
    public void setGrad(Tensor grad) {
        this.grad = grad;
        this.gradPrivate = false;
    }

    /** Sets a gradient whose memory nothing but this tensor holds (see {@link #gradPrivate}). */
    public void setPrivateGrad(Tensor grad) {
        this.grad = grad;
        this.gradPrivate = grad != null;
    }

    /** Whether {@link #grad} is still private to the engine (see {@link #gradPrivate}). */
    public boolean gradIsPrivate() { return gradPrivate; }

    /** The node that made the tensor; null for leaves. */
    public GradFn gradFn() { return gradFn; }

    public void setGradFn(GradFn gradFn) { this.gradFn = gradFn; }

    /** A leaf's AccumulateGrad node, made on first use by the engine. */
    public GradFn accumulator() { return accumulator; }

    public void setAccumulator(GradFn accumulator) { this.accumulator = accumulator; }

    /** Hooks on a leaf's gradient, in registration order (empty when none). */
    public List<TensorHook> hooks() { return hooks == null ? List.of() : hooks; }

    /** Adds a hook on a leaf's gradient. */
    public void addHook(TensorHook hook) {
        if (hooks == null) hooks = new ArrayList<>(2);
        hooks.add(hook);
    }
}
