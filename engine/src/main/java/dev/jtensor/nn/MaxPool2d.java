package dev.jtensor.nn;

import dev.jtensor.Tensor;
import dev.jtensor.ValuesIndices;

/**
 * 2-d max pooling, as {@code nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
 * ceil_mode=False)}; {@link #forwardWithIndices} gives the indices {@link MaxUnpool2d} takes.
 */
public final class MaxPool2d extends Module {
    private final int[] kernelSize, stride, padding, dilation;
    private final boolean ceilMode;

    /** Stride = kernel size. */
    public MaxPool2d(int kernelSize) { this(kernelSize, kernelSize, 0); }

    public MaxPool2d(int kernelSize, int stride, int padding) { this(kernelSize, stride, padding, 1, false); }

    public MaxPool2d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {dilation}, ceilMode);
    }

    /** Each int[] holds one value or (h, w); {@code stride} null means the kernel size. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this.kernelSize = Convolutions.pair("kernel_size", kernelSize);
        this.stride = stride == null ? this.kernelSize : Convolutions.pair("stride", stride);
        this.padding = Convolutions.pair("padding", padding);
        this.dilation = Convolutions.pair("dilation", dilation);
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor input) { return forwardWithIndices(input).values(); }

    /** The pooled values and their int64 flat indices in each input plane ({@code return_indices=True}). */
    public ValuesIndices forwardWithIndices(Tensor input) { return F.maxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode); }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Pools.repr(kernelSize) + ", stride=" + Pools.repr(stride) + ", padding=" + Pools.repr(padding) + ", dilation="
                + Pools.repr(dilation) + ", ceil_mode=" + (ceilMode ? "True" : "False");
    }
}
