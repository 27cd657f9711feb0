package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** {@code max(x, 0)} elementwise, as {@code nn.ReLU}. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) { return F.relu(input); }
}
