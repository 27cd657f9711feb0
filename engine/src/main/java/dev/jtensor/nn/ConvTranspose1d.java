package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** A transposed 1-d convolution, as {@code nn.ConvTranspose1d}: weight {@code [in, out / groups, k]}, bias {@code [out]}. */
public final class ConvTranspose1d extends ConvBase {
    /** Stride 1, no padding, with a bias. */
    public ConvTranspose1d(long in, long out, int kernelSize) { this(in, out, kernelSize, 1, 0, 0, 1, true, 1); }

    /** Argument order as PyTorch's. */
    public ConvTranspose1d(long in, long out, int kernelSize, int stride, int padding, int outputPadding, int groups, boolean bias, int dilation) {
        super(in, out, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, null, new int[] {dilation}, new int[] {outputPadding},
                groups, bias, "zeros", true);
    }

    @Override
    public Tensor forward(Tensor input) {
        return Convolutions.convTranspose1d(input, weight, bias, stride[0], padding[0], outputPadding[0], groups, dilation[0]);
    }
}
