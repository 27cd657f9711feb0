package dev.jtensor.nn;

import dev.jtensor.Tensor;
import dev.jtensor.ValuesIndices;

/** 1-d max pooling, as {@code nn.MaxPool1d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)}. */
public final class MaxPool1d extends Module {
    private final int kernelSize, stride, padding, dilation;
    private final boolean ceilMode;

    /** Stride = kernel size. */
    public MaxPool1d(int kernelSize) { this(kernelSize, kernelSize, 0, 1, false); }

    public MaxPool1d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor input) { return forwardWithIndices(input).values(); }

    /** The pooled values and their int64 indices along the last dim ({@code return_indices=True}). */
    public ValuesIndices forwardWithIndices(Tensor input) { return F.maxPool1dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode); }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation + ", ceil_mode="
                + (ceilMode ? "True" : "False");
    }
}
