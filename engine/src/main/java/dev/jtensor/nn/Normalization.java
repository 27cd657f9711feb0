package dev.jtensor.nn;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.amp.Autocast;
import dev.jtensor.autograd.GradMode;

/**
 * Batch, group and instance normalisation with PyTorch's statistics: biased variance to normalise, the
 * unbiased one in the running variance, running statistics updated in place (their tensors keep their
 * identity, so a module's buffers and its state dict see the update). In eval mode batch norm is one fused
 * {@code x * scale + shift}.
 */
final class Normalization {
    private Normalization() {}

    /** {@code [1, C, 1, ...]} for broadcasting a per-channel vector against {@code x [N, C, ...]}. */
    private static long[] channelShape(Tensor x) {
        long[] s = new long[x.dim()];
        java.util.Arrays.fill(s, 1);
        s[1] = x.size(1);
        return s;
    }

    /**
     * {@code F.batch_norm}: with {@code training} (or without running statistics) normalises by the batch's
     * statistics over every dim but 1 and, when running statistics are given, updates them with
     * {@code momentum} ({@code null}: the cumulative average, whose factor {@code averagingFactor} the module passes).
     */
    static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training,
            double momentum, double eps) {
        return Jt.batchNorm(x, weight, bias, runningMean, runningVar, training, momentum, eps);
    }

    private static void checkVector(Tensor t, long c, String what) {
        if (t != null && (t.dim() != 1 || t.size(0) != c)) {
            throw new IllegalArgumentException(what + " should contain " + c + " elements not " + t.numel());
        }
    }

    /** {@code F.group_norm}: statistics over each group of {@code C / groups} channels and all spatial positions. */
    static Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, double eps) {
        Tensor[] ac = Autocast.inputs("group_norm", x, weight, bias); // float32 under autocast, as PyTorch
        x = ac[0];
        weight = ac[1];
        bias = ac[2];
        if (x.dim() < 2) throw new IllegalArgumentException("group_norm: expected at least 2-d input, got " + x.shape());
        long n = x.size(0), c = x.size(1);
        if (groups <= 0 || c % groups != 0) {
            throw new IllegalArgumentException("Expected number of channels in input to be divisible by num_groups, but got input of shape "
                    + x.shape() + " and num_groups=" + groups);
        }
        checkVector(weight, c, "weight");
        checkVector(bias, c, "bias");
        long[] shape = x.shape().toArray();
        Tensor g = x.reshape(n, groups, -1);
        Tensor centered = g.sub(g.mean(-1, true));
        Tensor y = centered.mul(centered.square().mean(-1, true).add(eps).rsqrt()).reshape(shape);
        long[] cs = channelShape(x);
        if (weight != null) y = y.mul(weight.view(cs));
        return bias == null ? y : y.add(bias.view(cs));
    }

    /**
     * {@code F.instance_norm}: per-sample, per-channel statistics over the spatial dims; running statistics (when
     * given) take the batch's average of them; with {@code useInputStats} false the running ones normalise.
     */
    static Tensor instanceNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean useInputStats,
            double momentum, double eps) {
        if (x.dim() < 3) throw new IllegalArgumentException("instance_norm: expected at least 3-d input, got " + x.shape());
        long n = x.size(0), c = x.size(1);
        long[] shape = x.shape().toArray();
        if (!useInputStats && runningMean != null && runningVar != null) {
            return batchNorm(x, runningMean, runningVar, weight, bias, false, momentum, eps);
        }
        long[] folded = new long[x.dim()];
        folded[0] = 1;
        folded[1] = n * c;
        for (int i = 2; i < x.dim(); i++) folded[i] = shape[i];
        Tensor rm = null, rv = null;
        if (runningMean != null && runningVar != null) {
            rm = runningMean.unsqueeze(0).expand(n, c).clone().view(n * c);
            rv = runningVar.unsqueeze(0).expand(n, c).clone().view(n * c);
        }
        Tensor y = batchNorm(x.reshape(folded), rm, rv, null, null, true, momentum, eps).reshape(shape);
        if (rm != null) {
            try (GradMode g = GradMode.set(false)) {
                runningMean.copy_(rm.view(n, c).mean(0));
                runningVar.copy_(rv.view(n, c).mean(0));
            }
        }
        long[] cs = channelShape(x);
        if (weight != null) y = y.mul(weight.view(cs));
        return bias == null ? y : y.add(bias.view(cs));
    }
}
