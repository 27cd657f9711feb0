package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** Negative log likelihood of log-probabilities {@code [N, C]} at int64 class indices {@code [N]} (index -100 ignored), as {@code nn.NLLLoss}. */
public final class NLLLoss extends Loss {
    /** Mean reduction. */
    public NLLLoss() { this(Reduction.MEAN); }

    public NLLLoss(Reduction reduction) { super(reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.nllLoss(input, target, reduction()); }
}
