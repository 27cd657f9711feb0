package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** {@code nn.Identity()}: returns its input (the same tensor), e.g. to remove a classifier head. */
public final class Identity extends Module {
    @Override
    public Tensor forward(Tensor input) { return input; }
}
