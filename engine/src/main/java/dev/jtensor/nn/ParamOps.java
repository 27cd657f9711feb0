package dev.jtensor.nn;

import dev.jtensor.Tensor;
import dev.jtensor.autograd.GradMode;
import java.util.List;

/** Writes into parameters and gradients outside the tape (loading a state dict, zeroing grads). */
final class ParamOps {
    private ParamOps() {}

    /** {@code dst.copy_(src)} without recording: same shape, values converted to dst's dtype; bumps dst's version. */
    static void copyInto(Tensor dst, Tensor src) {
        try (GradMode m = GradMode.set(false)) {
            dst.copy_(src);
        }
    }

    /** Each parameter's grad set to null ({@code setToNone}) or filled with zeros in place. */
    static void zeroGrads(List<Tensor> params, boolean setToNone) {
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null) continue;
            if (setToNone) {
                p.setGrad(null);
                continue;
            }
            fillZero(g);
        }
    }

    /** {@code t.zero_()} without recording. */
    static void fillZero(Tensor t) {
        try (GradMode m = GradMode.set(false)) {
            t.zero_();
        }
    }
}
