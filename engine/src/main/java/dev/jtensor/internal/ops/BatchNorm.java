package dev.jtensor.internal.ops;

import static dev.jtensor.internal.ops.Dispatch.operand;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.GradMode;
import dev.jtensor.autograd.Saved;
import dev.jtensor.backend.Backend;
import dev.jtensor.internal.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code torch.batch_norm} (issue 22) with PyTorch's statistics: biased variance to normalise, the unbiased one in
 * the running variance, running statistics updated in place. Where the backend has the batch-norm kernels (the CPU:
 * float32, float64) training mode is one op, {@code NativeBatchNormBackward0}: the per-channel mean and
 * {@code invstd} in one kernel call, the normalisation as one fused {@code x * scale + shift} pass, and a backward
 * from the saved input, mean and invstd (PyTorch's formula), so no centred or normalised copy of the input is kept
 * for backward. Eval mode (running statistics) is the fused affine alone. Elsewhere (other dtypes and devices),
 * the same formulas in tensor ops.
 */
public final class BatchNorm {
    private BatchNorm() {}

    /**
     * {@code x [N, C, ...]}; {@code weight}, {@code bias}, {@code runningMean}, {@code runningVar} {@code [C]} or null.
     * With {@code training} (or without running statistics) normalises by the batch's statistics and, when running
     * statistics are given and {@code training}, updates them with factor {@code momentum}.
     */
    public static Tensor batchNorm(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, boolean training,
            double momentum, double eps) {
        return run(x, weight, bias, runningMean, runningVar, training, momentum, eps, null, false);
    }

    /**
     * {@code relu(batchNorm(x, ...) + residual)} ({@code residual} null: {@code relu(batchNorm(x, ...))}), the steps after
     * a residual block's convolutions, with the values of the separate ops. Where the backend has the kernels: in eval
     * mode one fused pass; in training mode one op ({@code NativeBatchNormAddReluBackward0}) whose forward normalises,
     * adds and clamps in one pass and whose backward masks the gradient inside the statistics pass. Elsewhere batch
     * norm, add and relu (in place on the fresh sum).
     */
    public static Tensor batchNormAddRelu(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, boolean training,
            double momentum, double eps, Tensor residual) {
        if (residual != null && !residual.shape().equals(x.shape())) {
            throw new IllegalArgumentException("batch_norm: residual " + residual.shape() + " must have the input's shape " + x.shape());
        }
        return run(x, weight, bias, runningMean, runningVar, training, momentum, eps, residual, true);
    }

    private static Tensor run(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, boolean training, double momentum,
            double eps, Tensor residual, boolean act) {
        if (x.dim() < 2) throw new IllegalArgumentException("batch_norm: expected at least 2-d input, got " + x.shape());
        long c = x.size(1);
        checkVector(runningMean, c, "running_mean");
        checkVector(runningVar, c, "running_var");
        checkVector(weight, c, "weight");
        checkVector(bias, c, "bias");
        if (!training && runningMean != null && runningVar != null) {
            Tensor invstd = runningVar.add(eps).rsqrt();
            return act ? BatchNormKernels.elemtAct(x, weight, bias, runningMean, invstd, residual, true)
                    : BatchNormKernels.elemt(x, weight, bias, runningMean, invstd);
        }
        long perChannel = x.numel() / Math.max(c, 1);
        if (training && perChannel <= 1) {
            throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size " + x.shape());
        }
        DType t = x.dtype();
        boolean fused = x.numel() > 0 && Backend.of(x.device()).hasWindowKernels(t) && sameType(weight, t) && sameType(bias, t)
                && sameType(residual, t);
        Tensor[] meanVar = new Tensor[2];
        Tensor y = fused ? fused(x, weight, bias, eps, meanVar, residual, act) : composite(x, weight, bias, eps, meanVar);
        if (training && runningMean != null && runningVar != null) {
            try (GradMode g = GradMode.set(false)) {
                runningMean.mul_(1 - momentum).add_(meanVar[0].to(runningMean.dtype()), momentum);
                Tensor unbiased = meanVar[1].mul((double) perChannel / Math.max(perChannel - 1, 1));
                runningVar.mul_(1 - momentum).add_(unbiased.to(runningVar.dtype()), momentum);
            }
        }
        if (!act || fused) return y;
        if (residual != null) y = y.add(residual);
        return y.relu_();
    }

    private static boolean sameType(Tensor t, DType type) { return t == null || t.dtype() == type; }

    /**
     * The kernels' path: {@code meanVar} receives the batch mean and biased variance ({@code [C]}, no history). With
     * {@code act}, {@code relu(bn(x) + residual)} ({@code residual} may be null) in the same pass, one autograd node
     * whose backward masks the gradient by the output inside the kernels' first pass.
     */
    private static Tensor fused(Tensor x, Tensor weight, Tensor bias, double eps, Tensor[] meanVar, Tensor residual, boolean act) {
        Tensor xd = x.detach().contiguous();
        List<Tensor> stats = BatchNormKernels.stats(xd, eps);
        Tensor mean = stats.get(0), invstd = stats.get(1);
        meanVar[0] = mean;
        meanVar[1] = invstd.square().reciprocal().sub(eps);
        Tensor wd = weight == null ? null : weight.detach(), bd = bias == null ? null : bias.detach();
        Tensor y = act ? BatchNormKernels.elemtAct(xd, wd, bd, mean, invstd, residual == null ? null : residual.detach(), true)
                : BatchNormKernels.elemt(xd, wd, bd, mean, invstd);
        List<Tensor> inputs = new ArrayList<>(Arrays.asList(x, weight, bias));
        if (act) inputs.add(residual);
        if (!Autograd.needsGrad(inputs)) return y;
        List<Tensor> saved = new ArrayList<>(List.of(x));
        if (act) saved.add(y);
        if (weight != null) saved.add(weight);
        return Autograd.record(act ? "NativeBatchNormAddReluBackward0" : "NativeBatchNormBackward0", y, inputs, saved,
                (g, s) -> backward(g, s, weight != null, act, mean, invstd, eps));
    }

    /**
     * PyTorch's batch-norm backward with {@code xhat = (x - mean) invstd}, per channel over the {@code M} values:
     * {@code gb = sum g}, {@code gw = sum g xhat}, {@code gx = w invstd (g - gb / M - xhat gw / M)}.
     */
    private static List<Tensor> backward(Tensor g, Saved s, boolean affine, boolean act, Tensor mean, Tensor invstd, double eps) {
        Tensor x = s.get(0), out = act ? s.get(1) : null, w = affine ? s.get(act ? 2 : 1) : null;
        if (Autograd.needsGrad(g, x) || (w != null && Autograd.needsGrad(w))) { // create_graph
            Tensor gm = act ? g.mul(out.detach().gt(0.0).to(g.dtype())) : g;
            List<Tensor> grads = new ArrayList<>(differentiableBackward(gm, x, w, s, eps));
            if (act) grads.add(s.needsInputGrad(3) ? gm : null);
            return grads;
        }
        Tensor xd = x.detach().contiguous(), gd = g.detach().contiguous(), wd = w == null ? null : w.detach();
        long n = xd.size(0), c = xd.size(1), inner = xd.numel() / (n * c), count = n * inner;
        long[] cs = channelShape(xd);
        Tensor od = act ? out.detach().contiguous() : null, masked = act ? Tensors.empty(gd.dtype(), gd.shape().toArray(), gd.device()) : null;
        Tensor[] sums = kernelSums(xd, gd, od, masked, mean, n, c, inner);
        Tensor sumG, dotp;
        if (sums != null) {
            sumG = sums[0];
            dotp = sums[1];
            if (act) gd = masked;
        } else {
            if (act) gd = gd.mul(od.gt(0.0).to(gd.dtype())); // relu's backward: g where the output is positive
            int[] dims = reduceDims(xd.dim());
            sumG = gd.sum(dims, false);
            try (Tensor xmu = xd.sub(mean.view(cs)); Tensor prod = xmu.mul(gd)) {
                dotp = prod.sum(dims, false);
            }
        }
        Tensor gx = null;
        if (s.needsInputGrad(0)) { // gx = ((g - sumG / M) - (x - mean) k) w invstd, k = dotp invstd^2 / M
            Tensor scale = wd == null ? invstd : wd.mul(invstd), k = dotp.mul(invstd).mul(invstd).div(count), gmean = sumG.div(count);
            gx = kernelInputGradient(xd, gd, mean, k, gmean, scale, n, c, inner);
            if (gx == null) gx = gd.sub(gmean.view(cs)).sub(xd.sub(mean.view(cs)).mul(k.view(cs))).mul(scale.view(cs));
        }
        Tensor gw = affine && s.needsInputGrad(1) ? dotp.mul(invstd) : null;
        Tensor gb = s.needsInputGrad(2) ? sumG : null;
        if (!act) return Arrays.asList(gx, gw, gb);
        return Arrays.asList(gx, gw, gb, s.needsInputGrad(3) ? gd : null);
    }

    /**
     * {@code [sum g, sum g (x - mean)]} per channel by the backend's kernel, or null where it has none; with {@code out}
     * (a relu's output) {@code g} masked by it first, the masked gradient written to {@code masked}.
     */
    private static Tensor[] kernelSums(Tensor x, Tensor g, Tensor out, Tensor masked, Tensor mean, long n, long c, long inner) {
        DType t = x.dtype();
        if (g.dtype() != t || mean.dtype() != t || (out != null && out.dtype() != t)) return null;
        Tensor sumG = Tensors.empty(t, new long[] {c}, x.device()), dotp = Tensors.empty(t, new long[] {c}, x.device());
        Tensor mc = mean.contiguous();
        boolean[] done = new boolean[1];
        Tensor[] written = out == null ? new Tensor[] {sumG, dotp} : new Tensor[] {sumG, dotp, masked};
        Tensor[] read = out == null ? new Tensor[] {x, g, mc} : new Tensor[] {x, g, mc, out};
        Dispatch.run("batch_norm_backward_reduce", written, read, (b, w, r) -> done[0] = b.batchNormBackwardReduce(n, c, inner,
                operand(w[0], sumG), operand(w[1], dotp), out == null ? null : operand(w[2], masked), operand(r[0], x), operand(r[1], g),
                out == null ? null : operand(r[3], out), operand(r[2], mc)));
        if (done[0]) return new Tensor[] {sumG, dotp};
        sumG.close();
        dotp.close();
        return null;
    }

    /** {@code ((g - gmean) - (x - mean) k) scale} by the backend's kernel, or null where it has none. */
    private static Tensor kernelInputGradient(Tensor x, Tensor g, Tensor mean, Tensor k, Tensor gmean, Tensor scale, long n, long c, long inner) {
        DType t = x.dtype();
        for (Tensor v : new Tensor[] {g, mean, k, gmean, scale}) if (v.dtype() != t) return null;
        Tensor gx = Tensors.empty(t, x.shape().toArray(), x.device());
        Tensor[] in = {x, g, mean.contiguous(), k.contiguous(), gmean.contiguous(), scale.contiguous()};
        boolean[] done = new boolean[1];
        Dispatch.run("batch_norm_backward_elemt", new Tensor[] {gx}, in, (b, w, r) -> done[0] = b.batchNormBackwardElemt(n, c, inner,
                operand(w[0], gx), operand(r[0], in[0]), operand(r[1], in[1]), operand(r[2], in[2]), operand(r[3], in[3]), operand(r[4], in[4]),
                operand(r[5], in[5])));
        if (done[0]) return gx;
        gx.close();
        return null;
    }


    /** Double backward: the same gradients as differentiable functions of x, the weight and g (statistics recomputed). */
    private static List<Tensor> differentiableBackward(Tensor g, Tensor x, Tensor w, Saved s, double eps) {
        int[] dims = reduceDims(x.dim());
        long[] cs = channelShape(x);
        long count = x.numel() / x.size(1);
        Tensor xmu = x.sub(x.mean(dims, true));
        Tensor invstd = xmu.square().mean(dims, true).add(eps).rsqrt();
        Tensor xhat = xmu.mul(invstd);
        Tensor gb = g.sum(dims, false), gw = g.mul(xhat).sum(dims, false);
        Tensor scale = w == null ? invstd : invstd.mul(w.view(cs));
        Tensor gx = s.needsInputGrad(0) ? g.sub(gb.view(cs).div(count)).sub(xhat.mul(gw.view(cs).div(count))).mul(scale) : null;
        return Arrays.asList(gx, w != null && s.needsInputGrad(1) ? gw : null, s.needsInputGrad(2) ? gb : null);
    }

    /** The formulas in differentiable tensor ops (any dtype and device); {@code meanVar} as in {@link #fused}. */
    private static Tensor composite(Tensor x, Tensor weight, Tensor bias, double eps, Tensor[] meanVar) {
        long c = x.size(1);
        int[] dims = reduceDims(x.dim());
        long[] cs = channelShape(x);
        Tensor mean = x.mean(dims, true);
        Tensor centered = x.sub(mean);
        Tensor var = centered.square().mean(dims, true);
        meanVar[0] = mean.detach().reshape(c);
        meanVar[1] = var.detach().reshape(c);
        Tensor y = centered.mul(var.add(eps).rsqrt());
        if (weight != null) y = y.mul(weight.view(cs));
        return bias == null ? y : y.add(bias.view(cs));
    }

    private static int[] reduceDims(int rank) {
        int[] dims = new int[rank - 1];
        for (int i = 2; i < rank; i++) dims[i - 1] = i;
        return dims;
    }

    /** {@code [1, C, 1, ...]} for broadcasting a per-channel vector against {@code x [N, C, ...]}. */
    private static long[] channelShape(Tensor x) {
        long[] s = new long[x.dim()];
        Arrays.fill(s, 1);
        s[1] = x.size(1);
        return s;
    }

    private static void checkVector(Tensor t, long c, String what) {
        if (t != null && (t.dim() != 1 || t.size(0) != c)) {
            throw new IllegalArgumentException(what + " should contain " + c + " elements not " + t.numel());
        }
    }
}
