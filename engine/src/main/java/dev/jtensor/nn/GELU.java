package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** Gaussian error linear unit, as {@code nn.GELU}: exact ({@code erf}) or PyTorch's tanh approximation. */
public final class GELU extends Module {
    private final boolean tanh;

    /** The exact form {@code x/2 * (1 + erf(x / sqrt 2))}. */
    public GELU() { this(false); }

    /** {@code tanhApproximation}: PyTorch's {@code approximate='tanh'}. */
    public GELU(boolean tanhApproximation) { this.tanh = tanhApproximation; }

    @Override
    public Tensor forward(Tensor input) { return tanh ? F.geluTanh(input) : F.gelu(input); }

    @Override
    protected String extraRepr() { return tanh ? "approximate='tanh'" : "approximate='none'"; }
}
