package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * A 2-d convolution layer, as {@code nn.Conv2d}: weight {@code [out, in / groups, kH, kW]}, bias {@code [out]},
 * stride, padding (ints, "same" or "valid"), dilation, groups (grouped and depthwise) and
 * {@code padding_mode} zeros, reflect, replicate or circular. Input {@code [N, in, H, W]} or {@code [in, H, W]}.
 */
public final class Conv2d extends ConvBase {
    /** Stride 1, no padding, with a bias. */
    public Conv2d(long in, long out, int kernelSize) { this(in, out, kernelSize, 1, 0); }

    public Conv2d(long in, long out, int kernelSize, int stride, int padding) {
        this(in, out, kernelSize, stride, padding, 1, 1, true, "zeros");
    }

    public Conv2d(long in, long out, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias, String paddingMode) {
        this(in, out, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {dilation}, groups, bias, paddingMode);
    }

    /** Each int[] holds one value for both dims or (h, w). */
    public Conv2d(long in, long out, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups, boolean bias, String paddingMode) {
        super(in, out, pair(kernelSize), stride, padding, null, dilation, new int[] {0}, groups, bias, paddingMode, false);
    }

    /** With {@code padding} "same" (stride 1) or "valid". */
    public Conv2d(long in, long out, int[] kernelSize, int[] stride, String padding, int[] dilation, int groups, boolean bias, String paddingMode) {
        super(in, out, pair(kernelSize), stride, null, padding, dilation, new int[] {0}, groups, bias, paddingMode, false);
    }

    private static int[] pair(int[] k) { return Convolutions.pair("kernel_size", k); }

    @Override
    public Tensor forward(Tensor input) {
        return Convolutions.conv2d(input, weight, bias, stride, sidePadding(), dilation, groups, paddingMode);
    }
}
