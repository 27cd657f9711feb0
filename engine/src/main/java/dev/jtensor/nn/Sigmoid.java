package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** {@code 1 / (1 + exp(-x))} elementwise, as {@code nn.Sigmoid}. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.sigmoid(input); }
}
