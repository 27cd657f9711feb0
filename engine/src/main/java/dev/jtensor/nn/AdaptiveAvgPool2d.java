package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** Adaptive 2-d average pooling to a fixed output size, as {@code nn.AdaptiveAvgPool2d(output_size)}. */
public final class AdaptiveAvgPool2d extends Module {
    private final long outH, outW;

    public AdaptiveAvgPool2d(long outputSize) { this(outputSize, outputSize); }

    public AdaptiveAvgPool2d(long outH, long outW) {
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor input) { return F.adaptiveAvgPool2d(input, outH, outW); }

    @Override
    protected String extraRepr() { return "output_size=" + (outH == outW ? Long.toString(outH) : "(" + outH + ", " + outW + ")"); }
}
