package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** {@code tanh(x)} elementwise, as {@code nn.Tanh}. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.tanh(input); }
}
