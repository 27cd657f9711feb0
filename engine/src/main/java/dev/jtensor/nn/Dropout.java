package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * In training mode zeroes each element with probability {@code p} and scales the others by
 * {@code 1/(1-p)}; in eval mode the identity, as {@code nn.Dropout}.
 */
public final class Dropout extends Module {
    private final double p;

    /** p = 0.5, as PyTorch's default. */
    public Dropout() { this(0.5); }

    public Dropout(double p) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor input) { return F.dropout(input, p, isTraining()); }

    @Override
    protected String extraRepr() { return "p=" + p + ", inplace=False"; }
}
