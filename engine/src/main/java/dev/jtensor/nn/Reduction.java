package dev.jtensor.nn;

/** How a loss reduces its per-element values, as PyTorch's {@code reduction=} argument. */
public enum Reduction {
    /** The per-element losses, shaped as the input. */
    NONE,
    /** Their mean (the default). */
    MEAN,
    /** Their sum. */
    SUM
}
