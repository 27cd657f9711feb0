package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** The activations the transformer layers accept by name, as PyTorch's {@code activation="relu" | "gelu"}. */
final class FeedForward {
    private FeedForward() {}

    static String checkActivation(String activation) {
        if (!"relu".equals(activation) && !"gelu".equals(activation)) {
            throw new IllegalArgumentException("activation should be relu/gelu, not " + activation);
        }
        return activation;
    }

    static Tensor activate(String activation, Tensor x) { return "relu".equals(activation) ? x.relu() : x.gelu(); }
}
