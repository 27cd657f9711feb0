package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * A transposed 2-d convolution, as {@code nn.ConvTranspose2d}: weight {@code [in, out / groups, kH, kW]}, bias
 * {@code [out]}; output size {@code (H - 1) stride - 2 padding + dilation (k - 1) + output_padding + 1}.
 */
public final class ConvTranspose2d extends ConvBase {
    /** Stride 1, no padding, with a bias. */
    public ConvTranspose2d(long in, long out, int kernelSize) { this(in, out, kernelSize, 1, 0); }

    public ConvTranspose2d(long in, long out, int kernelSize, int stride, int padding) {
        this(in, out, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {0}, 1, true, new int[] {1});
    }

    /** Each int[] holds one value for both dims or (h, w); argument order as PyTorch's. */
    public ConvTranspose2d(long in, long out, int[] kernelSize, int[] stride, int[] padding, int[] outputPadding, int groups, boolean bias,
            int[] dilation) {
        super(in, out, Convolutions.pair("kernel_size", kernelSize), stride, padding, null, dilation, outputPadding, groups, bias, "zeros", true);
    }

    @Override
    public Tensor forward(Tensor input) { return Convolutions.convTranspose2d(input, weight, bias, stride, padding, outputPadding, groups, dilation); }
}
