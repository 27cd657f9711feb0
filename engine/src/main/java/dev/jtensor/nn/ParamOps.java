package dev.jtensor.nn;

import dev.jtensor.Tensor;
import dev.jtensor.autograd.GradMode;

/** Writes into parameters and gradients outside the tape (loading a state dict). */
final class ParamOps {
    private ParamOps() {}

    /** {@code dst.copy_(src)} without recording: same shape, values converted to dst's dtype; bumps dst's version. */
    static void copyInto(Tensor dst, Tensor src) {
        try (GradMode m = GradMode.set(false)) {
            dst.copy_(src);
        }
    }
}
