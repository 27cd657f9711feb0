package dev.jtensor.nn;

import dev.jtensor.Tensor;
import dev.jtensor.ValuesIndices;

/** Adaptive 2-d max pooling to a fixed output size, as {@code nn.AdaptiveMaxPool2d(output_size, return_indices=False)}. */
public final class AdaptiveMaxPool2d extends Module {
    private final long outH, outW;

    public AdaptiveMaxPool2d(long outputSize) { this(outputSize, outputSize); }

    public AdaptiveMaxPool2d(long outH, long outW) {
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor input) { return F.adaptiveMaxPool2d(input, outH, outW); }

    /** Values and int64 flat indices ({@code return_indices=True}). */
    public ValuesIndices forwardWithIndices(Tensor input) { return F.adaptiveMaxPool2dWithIndices(input, outH, outW); }

    @Override
    protected String extraRepr() { return "output_size=" + (outH == outW ? Long.toString(outH) : "(" + outH + ", " + outW + ")"); }
}
