package dev.jtensor.internal.ops;

import static dev.jtensor.internal.ops.Dispatch.operand;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.internal.Tensors;

/**
 * The door from {@code amp.GradScaler} to the backends' fused finite check and unscale
 * ({@code Backend.unscaleGrad}); where a backend has no such kernel, or the gradient is not contiguous, the
 * same result is composed from ordinary ops on the gradient's device (no host synchronisation either way).
 * Records nothing on the tape; bumps the versions of what it wrote.
 */
public final class AmpSteps {
    private AmpSteps() {}

    /**
     * {@code grad *= invScale} in place and {@code foundInf = 1} if any element of {@code grad} was infinite
     * or NaN. {@code foundInf} is a one-element float32 tensor on {@code grad}'s device.
     *
     * @throws IllegalArgumentException for a non-floating gradient, or a {@code foundInf} of another shape, dtype or device
     */
    public static void unscale(Tensor grad, float invScale, Tensor foundInf) {
        if (!grad.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("unscale_: gradients must be floating point, got " + grad.dtype() + " " + grad.shape());
        }
        if (foundInf.dtype() != DType.FLOAT32 || foundInf.numel() != 1 || !foundInf.device().equals(grad.device())) {
            throw new IllegalArgumentException("unscale_: found_inf must be one float32 element on " + grad.device() + ", got "
                    + foundInf.dtype() + " " + foundInf.shape() + " on " + foundInf.device());
        }
        if (grad.isContiguous() && fused(grad, invScale, foundInf)) return;
        Tensor bad = grad.isfinite().logicalNot().any().to(DType.FLOAT32).reshape(foundInf.shape().toArray());
        foundInf.copy_(foundInf.maximum(bad));
        grad.mul_((double) invScale);
    }

    private static boolean fused(Tensor grad, float invScale, Tensor foundInf) {
        boolean[] done = new boolean[1];
        Dispatch.run("unscale_", new Tensor[] {grad, foundInf}, new Tensor[0], (backend, w, r) ->
                done[0] = backend.unscaleGrad(operand(w[0], grad), operand(w[1], foundInf), invScale));
        if (done[0]) {
            Tensors.bumpVersion(grad);
            Tensors.bumpVersion(foundInf);
        }
        return done[0];
    }
}
