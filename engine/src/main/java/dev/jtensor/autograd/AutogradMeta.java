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

    /** Whether gradients are computed for the tensor. */
    public boolean requiresGrad() { return requiresGrad; }

    public void setRequiresGrad(boolean requiresGrad) { this.requiresGrad = requiresGrad; }

    /** The accumulated gradient; null until computed. */
    public Tensor grad() { return grad; }

    public void setGrad(Tensor grad) { this.grad = grad; }

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
