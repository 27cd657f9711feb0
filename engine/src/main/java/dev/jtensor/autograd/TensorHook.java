package dev.jtensor.autograd;

import dev.jtensor.Tensor;

/**
 * A hook on a tensor's gradient ({@code Tensor.registerHook}): called with the gradient when it is
 * computed; returning a non-null tensor replaces the gradient.
 */
@FunctionalInterface
public interface TensorHook {
    Tensor apply(Tensor grad);
}
