package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.GradMode;

/**
 * What {@link BatchNorm1d}, {@link BatchNorm2d} and {@link InstanceNorm2d} share, as PyTorch's {@code _NormBase}:
 * parameters {@code weight} (ones) and {@code bias} (zeros) when affine, buffers {@code running_mean} (zeros),
 * {@code running_var} (ones) and {@code num_batches_tracked} (int64 0) when tracking running statistics; momentum
 * {@code null} means the cumulative moving average.
 */
abstract class BatchNormBase extends Module {
    final long numFeatures;
    final double eps;
    final Double momentum;
    final Tensor weight, bias, runningMean, runningVar, numBatchesTracked;

    BatchNormBase(long numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) throw new IllegalArgumentException("num_features must be positive, got " + numFeatures);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        long[] shape = {numFeatures};
        this.weight = affine ? registerParameter("weight", Jt.ones(shape, DType.FLOAT32)) : null;
        this.bias = affine ? registerParameter("bias", Jt.zeros(shape, DType.FLOAT32)) : null;
        this.runningMean = trackRunningStats ? registerBuffer("running_mean", Jt.zeros(shape, DType.FLOAT32)) : null;
        this.runningVar = trackRunningStats ? registerBuffer("running_var", Jt.ones(shape, DType.FLOAT32)) : null;
        this.numBatchesTracked = trackRunningStats ? registerBuffer("num_batches_tracked", Jt.zeros(new long[0], DType.INT64)) : null;
    }

    /**
     * In training mode with running statistics: counts the batch and returns the factor the running statistics take
     * it with (the momentum, or {@code 1 / num_batches_tracked} for the cumulative average); else the momentum.
     */
    final double countBatch() {
        double factor = momentum == null ? 0 : momentum;
        if (isTraining() && numBatchesTracked != null) {
            try (GradMode g = GradMode.set(false)) {
                numBatchesTracked.add_(1L);
            }
            if (momentum == null) factor = 1.0 / numBatchesTracked.item();
        }
        return factor;
    }

    /** The affine weight ({@code [numFeatures]}, ones at first), or null when not affine. */
    public Tensor weight() { return weight; }

    /** The affine bias, or null when not affine. */
    public Tensor bias() { return bias; }

    /** The running mean buffer, or null without running statistics. */
    public Tensor runningMean() { return runningMean; }

    /** The running (unbiased) variance buffer, or null without running statistics. */
    public Tensor runningVar() { return runningVar; }

    /** The int64 scalar count of training batches seen, or null without running statistics. */
    public Tensor numBatchesTracked() { return numBatchesTracked; }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + Pools.py(eps) + ", momentum=" + (momentum == null ? "None" : Pools.py(momentum)) + ", affine=" + (weight != null ? "True" : "False")
                + ", track_running_stats=" + (runningMean != null ? "True" : "False");
    }
}
