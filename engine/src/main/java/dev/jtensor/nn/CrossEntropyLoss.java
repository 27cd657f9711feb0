package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * Cross entropy of logits {@code [N, C, d1, ...]} against int64 class indices {@code [N, d1, ...]} or class
 * probabilities of the input's shape, as {@code nn.CrossEntropyLoss}: {@code nll(logSoftmax(input, 1))}, with
 * optional class {@code weight} (a buffer named {@code weight}, as PyTorch's), {@code ignoreIndex} (-100 by
 * default), reduction and label smoothing ({@link F#crossEntropy(Tensor, Tensor, Tensor, long, Reduction, double)}).
 */
public final class CrossEntropyLoss extends Loss {
    private final long ignoreIndex;
    private final double labelSmoothing;

    /** Mean reduction. */
    public CrossEntropyLoss() { this(Reduction.MEAN); }

    public CrossEntropyLoss(Reduction reduction) { this(null, -100, reduction, 0); }

    /** {@code nn.CrossEntropyLoss(weight, ignore_index=, reduction=, label_smoothing=)}; weight may be null. */
    public CrossEntropyLoss(Tensor weight, long ignoreIndex, Reduction reduction, double labelSmoothing) {
        super(reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0, got " + labelSmoothing);
        }
        if (weight != null) registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    /** The class weights, or null. */
    public Tensor weight() { return buffer("weight"); }

    public long ignoreIndex() { return ignoreIndex; }

    public double labelSmoothing() { return labelSmoothing; }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.crossEntropy(input, target, weight(), ignoreIndex, reduction(), labelSmoothing);
    }
}
