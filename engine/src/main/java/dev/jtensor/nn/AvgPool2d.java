package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * 2-d average pooling, as {@code nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False,
 * count_include_pad=True, divisor_override=None)}.
 */
public final class AvgPool2d extends Module {
    private final int[] kernelSize, stride, padding;
    private final boolean ceilMode, countIncludePad;
    private final Integer divisorOverride;

    /** Stride = kernel size. */
    public AvgPool2d(int kernelSize) { this(kernelSize, kernelSize, 0); }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, false, true, null);
    }

    /** Each int[] holds one value or (h, w); {@code stride} null means the kernel size; {@code divisorOverride} may be null. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad, Integer divisorOverride) {
        this.kernelSize = Convolutions.pair("kernel_size", kernelSize);
        this.stride = stride == null ? this.kernelSize : Convolutions.pair("stride", stride);
        this.padding = Convolutions.pair("padding", padding);
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
    }

    @Override
    public Tensor forward(Tensor input) { return F.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride); }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Pools.repr(kernelSize) + ", stride=" + Pools.repr(stride) + ", padding=" + Pools.repr(padding);
    }
}
