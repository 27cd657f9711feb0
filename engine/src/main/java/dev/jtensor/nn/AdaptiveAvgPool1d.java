package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** Adaptive 1-d average pooling to a fixed output length, as {@code nn.AdaptiveAvgPool1d(output_size)}. */
public final class AdaptiveAvgPool1d extends Module {
    private final long outputSize;

    public AdaptiveAvgPool1d(long outputSize) { this.outputSize = outputSize; }

    @Override
    public Tensor forward(Tensor input) { return F.adaptiveAvgPool1d(input, outputSize); }

    @Override
    protected String extraRepr() { return "output_size=" + outputSize; }
}
