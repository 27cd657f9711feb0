package dev.jtensor.internal.ops;

import static dev.jtensor.internal.ops.Dispatch.operand;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.Backend;
import dev.jtensor.internal.Tensors;
import java.util.List;

/**
 * PyTorch's {@code torch.batch_norm_stats} and {@code torch.batch_norm_elemt} (issue 22): per-channel statistics of
 * {@code x [N, C, ...]} and the normalising affine, by the backend's kernels where it has them and nothing needs a
 * gradient (the CPU: float32, float64; {@code native/cpu/conv.c} or its Java loops), else by tensor ops (the same
 * formulas, differentiable).
 */
public final class BatchNormKernels {
    private BatchNormKernels() {}

    /** Per channel (dim 1) over every other dim: {@code [mean, invstd]}, {@code invstd = 1 / sqrt(biased var + eps)}, each {@code [C]}. */
    public static List<Tensor> stats(Tensor x, double eps) {
        check(x, "batch_norm_stats");
        long n = x.size(0), c = x.size(1), inner = c == 0 || n == 0 ? 0 : x.numel() / (n * c);
        if (x.numel() > 0 && !Autograd.needsGrad(x) && Backend.of(x.device()).hasWindowKernels(x.dtype())) {
            DType t = x.dtype();
            Tensor xc = x.contiguous(), mean = Tensors.empty(t, new long[] {c}, x.device()), invstd = Tensors.empty(t, new long[] {c}, x.device());
            Dispatch.run("batch_norm_stats", new Tensor[] {mean, invstd}, new Tensor[] {xc}, (b, w, r) ->
                    b.batchNormStats(n, c, inner, eps, operand(w[0], mean), operand(w[1], invstd), operand(r[0], xc)));
            return List.of(mean, invstd);
        }
        int[] dims = new int[x.dim() - 1];
        for (int i = 1; i < dims.length; i++) dims[i] = i + 1;
        Tensor mean = x.mean(dims, true);
        Tensor invstd = x.sub(mean).square().mean(dims, false).add(eps).rsqrt();
        return List.of(mean.reshape(c), invstd);
    }

    /**
     * {@code (x - mean) * invstd * weight + bias} per channel, computed as {@code x * scale + shift} with
     * {@code scale = weight * invstd}, {@code shift = bias - mean * scale} (weight, bias may be null).
     */
    public static Tensor elemt(Tensor x, Tensor weight, Tensor bias, Tensor mean, Tensor invstd) {
        check(x, "batch_norm_elemt");
        Tensor scale = weight == null ? invstd : weight.mul(invstd);
        Tensor shift = mean.mul(scale).neg();
        if (bias != null) shift = shift.add(bias);
        long n = x.size(0), c = x.size(1);
        if (scale.dim() != 1 || scale.size(0) != c || shift.dim() != 1 || shift.size(0) != c) {
            throw new IllegalArgumentException("batch_norm_elemt: weight, bias, mean and invstd must be [" + c + "] for input " + x.shape()
                    + ", got scale " + scale.shape() + " and shift " + shift.shape());
        }
        DType t = x.dtype();
        if (x.numel() > 0 && scale.dtype() == t && shift.dtype() == t && !Autograd.needsGrad(List.of(x, scale, shift))
                && Backend.of(x.device()).hasWindowKernels(t)) {
            Tensor xc = x.contiguous(), sc = scale.contiguous(), sf = shift.contiguous(), out = Tensors.empty(t, x.shape().toArray(), x.device());
            long inner = x.numel() / (n * c);
            Dispatch.run("batch_norm_elemt", new Tensor[] {out}, new Tensor[] {xc, sc, sf}, (b, w, r) ->
                    b.batchNormElemt(n, c, inner, operand(w[0], out), operand(r[0], xc), operand(r[1], sc), operand(r[2], sf)));
            return out;
        }
        long[] cs = new long[x.dim()];
        java.util.Arrays.fill(cs, 1);
        cs[1] = c;
        return x.mul(scale.view(cs)).add(shift.view(cs));
    }

    /**
     * {@code relu(elemt(x, ...) + residual)} ({@code residual} may be null, relu only when {@code relu}): one pass of the
     * backend's fused kernel where it has one and nothing needs a gradient, else {@link #elemt}, add and relu; the same
     * roundings either way (each step rounded to the dtype).
     */
    public static Tensor elemtAct(Tensor x, Tensor weight, Tensor bias, Tensor mean, Tensor invstd, Tensor residual, boolean relu) {
        check(x, "batch_norm_elemt");
        if (residual != null && !residual.shape().equals(x.shape())) {
            throw new IllegalArgumentException("batch_norm_elemt: residual " + residual.shape() + " must have the input's shape " + x.shape());
        }
        DType t = x.dtype();
        long n = x.size(0), c = x.size(1);
        if (x.numel() > 0 && (residual == null || residual.dtype() == t) && weight != null && bias != null && weight.dtype() == t
                && bias.dtype() == t && mean.dtype() == t && invstd.dtype() == t && !Autograd.needsGrad(List.of(x, weight, bias, mean, invstd))
                && (residual == null || !Autograd.needsGrad(residual)) && Backend.of(x.device()).hasWindowKernels(t)) {
            Tensor scale = weight.mul(invstd), shift = bias.sub(mean.mul(scale));
            if (scale.dim() == 1 && scale.size(0) == c) {
                Tensor xc = x.contiguous(), sc = scale.contiguous(), sf = shift.contiguous(), rc = residual == null ? null : residual.contiguous();
                Tensor out = Tensors.empty(t, x.shape().toArray(), x.device());
                long inner = x.numel() / (n * c);
                boolean[] done = new boolean[1];
                Tensor[] read = rc == null ? new Tensor[] {xc, sc, sf} : new Tensor[] {xc, sc, sf, rc};
                Dispatch.run("batch_norm_elemt_act", new Tensor[] {out}, read, (b, w, r) -> done[0] = b.batchNormElemtAct(n, c, inner, relu,
                        operand(w[0], out), operand(r[0], xc), operand(r[1], sc), operand(r[2], sf), rc == null ? null : operand(r[3], rc)));
                if (done[0]) return out;
                out.close();
            }
        }
        Tensor y = elemt(x, weight, bias, mean, invstd);
        if (residual != null) y = y.add(residual);
        return relu ? y.relu() : y;
    }

    private static void check(Tensor x, String op) {
        if (x.dim() < 2 || !x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a floating input of at least 2 dims [N, C, ...], got " + x.dtype() + " " + x.shape());
        }
    }

}
