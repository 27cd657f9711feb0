package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * Base of the loss modules ({@code nn.MSELoss}, ...): {@link #forward(Tensor, Tensor)} compares an
 * input with a target and reduces as {@link #reduction()} says (mean by default).
 */
public abstract class Loss extends Module {
    private final Reduction reduction;

    protected Loss(Reduction reduction) { this.reduction = java.util.Objects.requireNonNull(reduction, "reduction"); }

    /** The loss of {@code input} against {@code target}. */
    public abstract Tensor forward(Tensor input, Tensor target);

    /** A loss needs a target: use {@link #forward(Tensor, Tensor)}. */
    @Override
    public final Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " needs a target: call forward(input, target)");
    }

    /** How per-element losses are reduced. */
    public Reduction reduction() { return reduction; }

    @Override
    protected String extraRepr() { return ""; }
}
