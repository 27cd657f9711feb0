package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * In training mode zeroes whole channels of {@code [N, C, H, W]} (or {@code [C, H, W]}) with probability {@code p},
 * scaling the others by {@code 1/(1-p)}; the identity in eval mode, as {@code nn.Dropout2d}.
 */
public final class Dropout2d extends Module {
    private final double p;

    /** p = 0.5, as PyTorch's default. */
    public Dropout2d() { this(0.5); }

    public Dropout2d(double p) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor input) { return F.dropout2d(input, p, isTraining()); }

    @Override
    protected String extraRepr() { return "p=" + p + ", inplace=False"; }
}
