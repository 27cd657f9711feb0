package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** Binary cross entropy of probabilities against targets in [0, 1] (logs clamped at -100), as {@code nn.BCELoss}. */
public final class BCELoss extends Loss {
    /** Mean reduction. */
    public BCELoss() { this(Reduction.MEAN); }

    public BCELoss(Reduction reduction) { super(reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.binaryCrossEntropy(input, target, reduction()); }
}
