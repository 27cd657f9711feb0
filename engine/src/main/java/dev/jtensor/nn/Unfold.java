package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** Extracts sliding blocks, as {@code nn.Unfold(kernel_size, dilation=1, padding=0, stride=1)}: {@code [N, C, H, W]} to {@code [N, C kH kW, L]}. */
public final class Unfold extends Module {
    private final int[] kernelSize, dilation, padding, stride;

    public Unfold(int kernelSize) { this(new int[] {kernelSize}, new int[] {1}, new int[] {0}, new int[] {1}); }

    /** Each int[] holds one value or (h, w). */
    public Unfold(int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        this.kernelSize = kernelSize.clone();
        this.dilation = dilation.clone();
        this.padding = padding.clone();
        this.stride = stride.clone();
    }

    @Override
    public Tensor forward(Tensor input) { return F.unfold(input, kernelSize, dilation, padding, stride); }
}
