package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * The partial inverse of {@link MaxPool2d}, as {@code nn.MaxUnpool2d(kernel_size, stride=None, padding=0)}: takes the
 * pooled values and the indices of {@link MaxPool2d#forwardWithIndices}.
 */
public final class MaxUnpool2d extends Module {
    private final int[] kernelSize, stride, padding;

    /** Stride = kernel size. */
    public MaxUnpool2d(int kernelSize) { this(kernelSize, kernelSize, 0); }

    public MaxUnpool2d(int kernelSize, int stride, int padding) {
        this.kernelSize = new int[] {kernelSize, kernelSize};
        this.stride = new int[] {stride, stride};
        this.padding = new int[] {padding, padding};
    }

    /**
     * Always throws: unpooling needs the indices.
     *
     * @throws IllegalArgumentException always; call {@link #forward(Tensor, Tensor)}
     */
    @Override
    public Tensor forward(Tensor input) {
        throw new IllegalArgumentException("MaxUnpool2d needs the pooling indices: call forward(input, indices)");
    }

    public Tensor forward(Tensor input, Tensor indices) { return forward(input, indices, null); }

    /** With an explicit output size (h, w) or (N, C, h, w). */
    public Tensor forward(Tensor input, Tensor indices, long[] outputSize) {
        return F.maxUnpool2d(input, indices, kernelSize, stride, padding, outputSize);
    }

    @Override
    protected String extraRepr() { return "kernel_size=" + Pools.repr(kernelSize) + ", stride=" + Pools.repr(stride) + ", padding=" + Pools.repr(padding); }
}
