package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * Binary cross entropy of logits, computed stably without a separate sigmoid, as {@code nn.BCEWithLogitsLoss}:
 * optional {@code weight} (broadcast to the input) and {@code posWeight} (the weight of positive examples,
 * {@code [C]} for multi-label), kept as buffers named {@code weight} and {@code pos_weight} as PyTorch's.
 */
public final class BCEWithLogitsLoss extends Loss {
    /** Mean reduction. */
    public BCEWithLogitsLoss() { this(Reduction.MEAN); }

    public BCEWithLogitsLoss(Reduction reduction) { this(null, reduction, null); }

    /** {@code nn.BCEWithLogitsLoss(weight, reduction=, pos_weight=)}; weight and posWeight may be null. */
    public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
        super(reduction);
        if (weight != null) registerBuffer("weight", weight);
        if (posWeight != null) registerBuffer("pos_weight", posWeight);
    }

    /** The element weights, or null. */
    public Tensor weight() { return buffer("weight"); }

    /** The positive-example weights, or null. */
    public Tensor posWeight() { return buffer("pos_weight"); }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropyWithLogits(input, target, weight(), reduction(), posWeight());
    }
}
