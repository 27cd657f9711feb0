package dev.jtensor.nn;

import dev.jtensor.Tensor;
import dev.jtensor.internal.ParameterMarks;

/**
 * {@code torch.nn.Parameter}: a tensor that is a module's trainable state. jtensor's {@link Tensor} is one
 * final class, so a parameter is a tensor marked as one: it requires grad and prints as PyTorch prints a
 * parameter ({@code Parameter containing:} above the tensor). {@link Module#registerParameter} marks
 * what it registers; {@code detach()} and ops on a parameter give plain tensors, as in PyTorch.
 */
public final class Parameter {
    private Parameter() {}

    /** {@code nn.Parameter(data)}: marks {@code data} (the same tensor, not a copy) and makes it require grad; returns it. */
    public static Tensor of(Tensor data) { return of(data, true); }

    /** {@code nn.Parameter(data, requires_grad=requiresGrad)}; returns {@code data}. */
    public static Tensor of(Tensor data, boolean requiresGrad) {
        if (requiresGrad != data.requiresGrad()) data.requiresGrad_(requiresGrad);
        ParameterMarks.mark(data);
        return data;
    }

    /** True for a tensor made a parameter ({@code isinstance(t, nn.Parameter)}). */
    public static boolean isParameter(Tensor t) { return ParameterMarks.isMarked(t); }
}
