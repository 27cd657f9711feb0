package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** Binary cross entropy of logits, computed stably without a separate sigmoid, as {@code nn.BCEWithLogitsLoss}. */
public final class BCEWithLogitsLoss extends Loss {
    /** Mean reduction. */
    public BCEWithLogitsLoss() { this(Reduction.MEAN); }

    public BCEWithLogitsLoss(Reduction reduction) { super(reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.binaryCrossEntropyWithLogits(input, target, reduction()); }
}
