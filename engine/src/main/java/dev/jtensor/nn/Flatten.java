package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * {@code nn.Flatten(start_dim=1, end_dim=-1)}: flattens dims {@code startDim..endDim} into one (a view
 * when the strides allow, as {@code Tensor.flatten}); the default keeps the batch dim.
 */
public final class Flatten extends Module {
    private final int startDim, endDim;

    /** {@code nn.Flatten()}: dims 1 to -1. */
    public Flatten() { this(1, -1); }

    /** {@code nn.Flatten(start_dim, end_dim)}; negative dims count from the end. */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor input) { return input.flatten(startDim, endDim); }

    @Override
    protected String extraRepr() { return "start_dim=" + startDim + ", end_dim=" + endDim; }
}
