package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** Squared error {@code (input - target)^2}, reduced, as {@code nn.MSELoss}. */
public final class MSELoss extends Loss {
    /** Mean reduction. */
    public MSELoss() { this(Reduction.MEAN); }

    public MSELoss(Reduction reduction) { super(reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.mseLoss(input, target, reduction()); }
}
