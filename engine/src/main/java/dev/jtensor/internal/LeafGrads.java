package dev.jtensor.internal;

import dev.jtensor.Tensor;
import dev.jtensor.autograd.AutogradMeta;
import dev.jtensor.autograd.GradMode;

/**
 * Leaf gradients as the engine's own code reads and drops them (optimizers, clipping, grad scaling,
 * {@code zero_grad}). Unlike {@code Tensor.grad()}, reading here does not hand the gradient out, so a gradient
 * autograd made privately ({@link Tensors#setPrivateGrad}) stays private and {@link #zeroGrads} can give its
 * memory back at once, where otherwise only a garbage collection would.
 */
public final class LeafGrads {
    private LeafGrads() {}

    /** {@code t}'s gradient, or null, without handing it out. */
    public static Tensor grad(Tensor t) {
        AutogradMeta m = Tensors.meta(t);
        return m == null ? null : m.grad();
    }

    /**
     * {@code zero_grad}: each gradient set to null ({@code setToNone}) or filled with zeros in place, outside the
     * tape. A dropped gradient that never left the engine goes back to the memory pool now (PyTorch frees it
     * when its last reference goes); one that user code may hold is left to the GC, so no reference dangles.
     */
    public static void zeroGrads(Iterable<Tensor> params, boolean setToNone) {
        for (Tensor p : params) {
            AutogradMeta m = Tensors.meta(p);
            Tensor g = m == null ? null : m.grad();
            if (g == null) continue;
            if (!setToNone) {
                try (GradMode guard = GradMode.set(false)) {
                    g.zero_();
                }
            } else {
                boolean release = m.gradIsPrivate();
                m.setGrad(null);
                if (release) Tensors.storage(g).close();
            }
        }
    }
}
