package dev.jtensor.nn;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;

/**
 * Batch normalisation over {@code [N, C, H, W]}, as {@code nn.BatchNorm2d(num_features, eps=1e-5, momentum=0.1, affine=True,
 * track_running_stats=True)}: training mode normalises by the batch's statistics (biased variance) and updates
 * the running ones (unbiased variance); eval mode normalises by the running statistics.
 */
public final class BatchNorm2d extends BatchNormBase {
    /** PyTorch's defaults. */
    public BatchNorm2d(long numFeatures) { this(numFeatures, 1e-5, 0.1, true, true); }

    /** {@code momentum} null means the cumulative moving average. */
    public BatchNorm2d(long numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4) throw new IllegalArgumentException("expected 4D input (got " + x.dim() + "D input)");
        double factor = countBatch();
        boolean useBatchStats = isTraining() || runningMean == null;
        return F.batchNorm(x, runningMean, runningVar, weight, bias, useBatchStats, factor, eps);
    }

    /**
     * {@code relu(forward(x) + residual)} ({@code residual} may be null: {@code relu(forward(x))}), the steps after the
     * convolutions of a residual block, with the values of the separate steps: one fused pass where the backend has the
     * kernels, in eval mode and (with a backward that masks inside batch norm's) in training mode; otherwise batch norm,
     * add, and relu in place on the fresh result (as torchvision's {@code ReLU(inplace=True)}).
     */
    public Tensor forwardAddRelu(Tensor x, Tensor residual) {
        if (x.dim() != 4) throw new IllegalArgumentException("expected 4D input (got " + x.dim() + "D input)");
        double factor = countBatch();
        boolean useBatchStats = isTraining() || runningMean == null;
        return Jt.batchNormAddRelu(x, weight, bias, runningMean, runningVar, useBatchStats, factor, eps, residual);
    }
}
