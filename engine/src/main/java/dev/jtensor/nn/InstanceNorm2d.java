package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * Instance normalisation, as {@code nn.InstanceNorm2d(num_features, eps=1e-5, momentum=0.1, affine=False,
 * track_running_stats=False)}: statistics per sample and channel over {@code H x W}; input {@code [N, C, H, W]}
 * or {@code [C, H, W]}.
 */
public final class InstanceNorm2d extends BatchNormBase {
    /** PyTorch's defaults (no affine transform, no running statistics). */
    public InstanceNorm2d(long numFeatures) { this(numFeatures, 1e-5, 0.1, false, false); }

    public InstanceNorm2d(long numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 3 && x.dim() != 4) throw new IllegalArgumentException("expected 3D or 4D input (got " + x.dim() + "D input)");
        if (x.dim() == 3) return forward(x.unsqueeze(0)).squeeze(0);
        if (x.size(1) != numFeatures) {
            throw new IllegalArgumentException("expected input's size at dim=1 to match num_features (" + numFeatures + "), but got: "
                    + x.size(1) + ".");
        }
        double factor = countBatch();
        boolean useInputStats = isTraining() || runningMean == null;
        return F.instanceNorm(x, runningMean, runningVar, weight, bias, useInputStats, factor, eps);
    }
}
