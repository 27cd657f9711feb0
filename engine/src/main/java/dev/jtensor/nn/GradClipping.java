package dev.jtensor.nn;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.internal.LeafGrads;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}: rescale or clamp the gradients of
 * parameters in place before an optimizer step. The norm stays a tensor on the gradients' device (no host
 * read unless {@code errorIfNonfinite} asks for the check).
 */
public final class GradClipping {
    private GradClipping() {}

    /**
     * Scales every gradient by {@code min(1, maxNorm / (total + 1e-6))} where {@code total} is the
     * {@code normType}-norm of all gradients together (the norm of the per-gradient norms;
     * {@code Double.POSITIVE_INFINITY} for the max-abs norm). Parameters without a gradient are skipped.
     *
     * @return the total norm before clipping (a 0-d tensor), as PyTorch returns it
     * @throws IllegalStateException when {@code errorIfNonfinite} and the total norm is NaN or infinite
     */
    public static Tensor clipGradNorm_(Iterable<Tensor> parameters, double maxNorm, double normType, boolean errorIfNonfinite) {
        List<Tensor> grads = grads(parameters);
        if (grads.isEmpty()) return Jt.tensor(0.0f);
        List<Tensor> norms = new ArrayList<>();
        boolean inf = normType == Double.POSITIVE_INFINITY;
        for (Tensor g : grads) norms.add(inf ? g.detach().abs().max() : g.detach().norm(normType));
        Tensor total = norms.size() == 1 ? norms.get(0) : inf ? Jt.stack(norms, 0).max() : Jt.stack(norms, 0).norm(normType);
        if (errorIfNonfinite && !Double.isFinite(total.item())) {
            throw new IllegalStateException("The total norm of order " + normType + " for gradients from `parameters` is non-finite, "
                    + "so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, "
                    + "set `errorIfNonfinite=false`");
        }
        Tensor coef = Jt.fullLike(total, maxNorm).div(total.add(1e-6)).clampMax(1.0);
        for (Tensor g : grads) g.mul_(coef.to(g.dtype()));
        return total;
    }

    /** {@link #clipGradNorm_(Iterable, double, double, boolean)} with the 2-norm, no finiteness check. */
    public static Tensor clipGradNorm_(Iterable<Tensor> parameters, double maxNorm) { return clipGradNorm_(parameters, maxNorm, 2.0, false); }

    /** Clamps every gradient element into {@code [-clipValue, clipValue]} in place. */
    public static void clipGradValue_(Iterable<Tensor> parameters, double clipValue) {
        for (Tensor g : grads(parameters)) g.clamp_(-clipValue, clipValue);
    }

    private static List<Tensor> grads(Iterable<Tensor> parameters) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : parameters) {
            Tensor g = LeafGrads.grad(p);
            if (g != null) out.add(g);
        }
        return out;
    }
}
