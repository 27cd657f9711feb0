package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * Negative log likelihood of log-probabilities {@code [N, C, d1, ...]} at int64 class indices {@code [N, d1, ...]},
 * as {@code nn.NLLLoss}: optional class {@code weight} (a buffer named {@code weight}), {@code ignoreIndex}
 * (-100 by default) and reduction; the weighted mean divides by the summed weights of the counted targets.
 */
public final class NLLLoss extends Loss {
    private final long ignoreIndex;

    /** Mean reduction. */
    public NLLLoss() { this(Reduction.MEAN); }

    public NLLLoss(Reduction reduction) { this(null, -100, reduction); }

    /** {@code nn.NLLLoss(weight, ignore_index=, reduction=)}; weight may be null. */
    public NLLLoss(Tensor weight, long ignoreIndex, Reduction reduction) {
        super(reduction);
        if (weight != null) registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
    }

    /** The class weights, or null. */
    public Tensor weight() { return buffer("weight"); }

    public long ignoreIndex() { return ignoreIndex; }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.nllLoss(input, target, weight(), ignoreIndex, reduction()); }
}
