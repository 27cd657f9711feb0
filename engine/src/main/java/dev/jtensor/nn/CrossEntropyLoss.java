package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** Cross entropy of logits {@code [N, C]} against int64 class indices {@code [N]}, as {@code nn.CrossEntropyLoss}: {@code nll(logSoftmax(input, 1), target)}. */
public final class CrossEntropyLoss extends Loss {
    /** Mean reduction. */
    public CrossEntropyLoss() { this(Reduction.MEAN); }

    public CrossEntropyLoss(Reduction reduction) { super(reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.crossEntropy(input, target, reduction()); }
}
