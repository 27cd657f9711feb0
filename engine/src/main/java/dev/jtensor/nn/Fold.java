package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** Sums sliding blocks back into an image, as {@code nn.Fold(output_size, kernel_size, dilation=1, padding=0, stride=1)}. */
public final class Fold extends Module {
    private final int[] outputSize, kernelSize, dilation, padding, stride;

    public Fold(int outputSize, int kernelSize) { this(new int[] {outputSize}, new int[] {kernelSize}, new int[] {1}, new int[] {0}, new int[] {1}); }

    /** Each int[] holds one value or (h, w). */
    public Fold(int[] outputSize, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        this.outputSize = outputSize.clone();
        this.kernelSize = kernelSize.clone();
        this.dilation = dilation.clone();
        this.padding = padding.clone();
        this.stride = stride.clone();
    }

    @Override
    public Tensor forward(Tensor input) { return F.fold(input, outputSize, kernelSize, dilation, padding, stride); }
}
