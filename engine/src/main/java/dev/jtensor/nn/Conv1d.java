package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * A 1-d convolution layer, as {@code nn.Conv1d}: weight {@code [out, in / groups, k]}, bias {@code [out]},
 * stride, padding (int, "same" or "valid"), dilation, groups and {@code padding_mode}. Input {@code [N, in, L]} or {@code [in, L]}.
 */
public final class Conv1d extends ConvBase {
    /** Stride 1, no padding, with a bias. */
    public Conv1d(long in, long out, int kernelSize) { this(in, out, kernelSize, 1, 0); }

    public Conv1d(long in, long out, int kernelSize, int stride, int padding) { this(in, out, kernelSize, stride, padding, 1, 1, true, "zeros"); }

    public Conv1d(long in, long out, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias, String paddingMode) {
        super(in, out, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, null, new int[] {dilation}, new int[] {0}, groups, bias,
                paddingMode, false);
    }

    /** With {@code padding} "same" (stride 1) or "valid". */
    public Conv1d(long in, long out, int kernelSize, int stride, String padding, int dilation, int groups, boolean bias, String paddingMode) {
        super(in, out, new int[] {kernelSize}, new int[] {stride}, null, padding, new int[] {dilation}, new int[] {0}, groups, bias,
                paddingMode, false);
    }

    @Override
    public Tensor forward(Tensor input) {
        long[] p = sidePadding();
        return Convolutions.conv1d(input, weight, bias, stride[0], new long[] {p[2], p[3]}, dilation[0], groups, paddingMode);
    }
}
