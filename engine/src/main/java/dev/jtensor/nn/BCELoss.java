package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * Binary cross entropy of probabilities against targets in [0, 1] (logs clamped at -100), as {@code nn.BCELoss},
 * with an optional {@code weight} broadcast to the input (a buffer named {@code weight}).
 */
public final class BCELoss extends Loss {
    /** Mean reduction. */
    public BCELoss() { this(Reduction.MEAN); }

    public BCELoss(Reduction reduction) { this(null, reduction); }

    /** {@code nn.BCELoss(weight, reduction=)}; weight may be null. */
    public BCELoss(Tensor weight, Reduction reduction) {
        super(reduction);
        if (weight != null) registerBuffer("weight", weight);
    }

    /** The element weights, or null. */
    public Tensor weight() { return buffer("weight"); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.binaryCrossEntropy(input, target, weight(), reduction()); }
}
