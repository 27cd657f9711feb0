package dev.jtensor.internal.ops;

import static dev.jtensor.internal.ops.Dispatch.operand;

import dev.jtensor.Tensor;
import dev.jtensor.backend.Operand;
import dev.jtensor.backend.OptimizerStep;
import dev.jtensor.internal.Tensors;
import java.util.Arrays;

/**
 * The door from {@code optim} to the backends' fused optimizer updates: checks the operands (contiguous, one
 * dtype, one size), then runs {@code Backend.optimizerStep} through {@link Dispatch} with the parameter and
 * the state written in place and the gradient read. Records nothing on the tape; bumps the versions of what
 * it wrote.
 */
public final class FusedSteps {
    private FusedSteps() {}

    /**
     * Applies {@code step} to {@code param} from {@code grad} (same dtype and size, contiguous), updating the
     * {@code state} tensors in the order the step's record names them.
     *
     * @throws IllegalArgumentException naming the operand whose dtype, size or layout does not fit
     */
    public static void run(OptimizerStep step, Tensor param, Tensor grad, Tensor... state) {
        check("gradient", param, grad);
        for (int i = 0; i < state.length; i++) check("state " + i, param, state[i]);
        if (!param.isContiguous()) {
            throw new UnsupportedOperationException("optimizer update needs contiguous parameters; got strides "
                    + Arrays.toString(param.stride()) + " for shape " + param.shape());
        }
        Tensor[] written = new Tensor[state.length + 1];
        written[0] = param;
        System.arraycopy(state, 0, written, 1, state.length);
        Dispatch.run("optimizer step", written, new Tensor[] {grad}, (backend, w, r) -> {
            Operand[] s = new Operand[state.length];
            for (int i = 0; i < s.length; i++) s[i] = operand(w[i + 1], state[i]);
            backend.optimizerStep(step, operand(w[0], param), operand(r[0], grad), s);
        });
        for (Tensor t : written) Tensors.bumpVersion(t);
    }

    private static void check(String what, Tensor param, Tensor t) {
        if (t.dtype() != param.dtype() || t.numel() != param.numel() || !t.isContiguous()) {
            throw new IllegalArgumentException("optimizer " + what + " must be a contiguous " + param.dtype() + " tensor of "
                    + param.numel() + " elements like its parameter " + param.shape() + "; got " + t.dtype() + " " + t.shape()
                    + (t.isContiguous() ? "" : " (not contiguous)"));
        }
    }
}
