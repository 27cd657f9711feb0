package dev.jtensor.nn;

import static dev.jtensor.autograd.BackwardRule.grads;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.GradMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The loss functions behind {@link F}: each computes its forward outside the tape and records one node
 * under PyTorch's name ({@code MseLossBackward0}, {@code NllLossBackward0}, ...), whose backward is
 * PyTorch's formula written in tensor ops (differentiable again).
 */
final class Losses {
    private Losses() {}

    static void checkSameShape(String op, Tensor input, Tensor target) {
        if (!input.shape().equals(target.shape())) {
            throw new IllegalArgumentException(op + ": target size " + target.shape() + " must be the same as input size "
                    + input.shape());
        }
    }

    /** Reduces per-element losses. */
    static Tensor reduce(Tensor perElement, Reduction r) {
        return switch (r) {
            case NONE -> perElement;
            case MEAN -> perElement.mean();
            case SUM -> perElement.sum();
        };
    }

    /** The gradient of the reduced loss with respect to each element: {@code g} broadcast, divided by N for mean. */
    static Tensor spread(Tensor g, Reduction r, long n) {
        return switch (r) {
            case NONE -> g;
            case MEAN -> g.div((double) n);
            case SUM -> g;
        };
    }

    /** {@code mean((x - t)^2)}; backward {@code (x - t) * (2/N * g)} as PyTorch's mse_loss_backward. */
    static Tensor mse(Tensor x, Tensor t, Reduction r) {
        checkSameShape("mse_loss", x, t);
        Tensor out;
        try (GradMode m = GradMode.set(false)) {
            out = reduce(x.sub(t).pow(2.0), r);
        }
        long n = x.numel();
        return Autograd.record("MseLossBackward0", out, List.of(x, t), List.of(x, t), (g, s) -> {
            Tensor scale = r == Reduction.MEAN ? g.mul(2.0 / n) : g.mul(2.0);
            Tensor gx = s.get(0).sub(s.get(1)).mul(scale);
            return grads(s.needsInputGrad(0) ? gx : null, s.needsInputGrad(1) ? gx.neg() : null);
        });
    }

    /** {@code mean(|x - t|)}; backward {@code sign(x - t) * g (/ N)}. */
    static Tensor l1(Tensor x, Tensor t, Reduction r) {
        checkSameShape("l1_loss", x, t);
        Tensor out;
        try (GradMode m = GradMode.set(false)) {
            out = reduce(x.sub(t).abs(), r);
        }
        long n = x.numel();
        return Autograd.record("L1LossBackward0", out, List.of(x, t), List.of(x, t), (g, s) -> {
            Tensor gx = s.get(0).sub(s.get(1)).sign().mul(spread(g, r, n));
            return grads(s.needsInputGrad(0) ? gx : null, s.needsInputGrad(1) ? gx.neg() : null);
        });
    }

    /**
     * {@code -logp[i, t_i]} per row, reduced (mean over rows whose target is not {@code ignoreIndex});
     * input {@code [N, C]} log-probabilities or {@code [C]}, target int64 {@code [N]} or 0-d.
     * Backward: {@code -g} (over the count for mean) at each {@code [i, t_i]}, zero elsewhere.
     */
    static Tensor nll(Tensor logp, Tensor target, Reduction r, long ignoreIndex) {
        if (logp.dim() < 1 || logp.dim() > 2) {
            throw new IllegalArgumentException("nll_loss: expected input of 1 or 2 dims (got " + logp.shape() + ")");
        }
        if (target.dtype() != DType.INT64) {
            throw new IllegalArgumentException("nll_loss: expected target of dtype INT64 (class indices), got " + target.dtype());
        }
        long rows = logp.dim() == 2 ? logp.size(0) : 1, classes = logp.size(-1);
        if (target.numel() != rows || target.dim() != logp.dim() - 1) {
            throw new IllegalArgumentException("nll_loss: expected target of shape [" + (logp.dim() == 2 ? rows : "") + "] for input "
                    + logp.shape() + " (got " + target.shape() + ")");
        }
        long[] t = target.toLongArray();
        double[] weightOfRow = new double[t.length];
        long counted = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i] == ignoreIndex) continue;
            if (t[i] < 0 || t[i] >= classes) {
                throw new IndexOutOfBoundsException("nll_loss: target " + t[i] + " is out of bounds for " + classes + " classes");
            }
            weightOfRow[i] = -1;
            counted++;
        }
        double[] perRow = pickedLosses(logp, t, weightOfRow);
        DType dtype = logp.dtype();
        double total = 0;
        for (double v : perRow) total += v;
        Tensor out = switch (r) {
            case NONE -> Jt.tensor(perRow, dtype).reshape(logp.dim() == 2 ? new long[] {rows} : new long[0]);
            case SUM -> Jt.full(new long[0], total, dtype);
            case MEAN -> Jt.full(new long[0], total / counted, dtype);
        };
        out = out.to(logp.device()); // the picked values were summed on the host; the loss lives with its input
        long denom = counted;
        long[] shape = logp.shape().toArray();
        return Autograd.record("NllLossBackward0", out, List.of(logp), List.of(), (g, s) -> {
            Tensor gr = switch (r) {
                case NONE -> g.unsqueeze(-1);
                case SUM -> g;
                case MEAN -> g.div((double) denom);
            };
            return List.of(oneHotScaled(t, weightOfRow, shape, classes, dtype).to(g.device()).mul(gr));
        });
    }

    /**
     * {@code weightOfRow[i] * logp[i, t_i]} per row (0 where the weight is 0), picked with one gather and
     * read on the host: N values instead of a one-hot product and two sums over {@code [N, C]}. Sums of
     * these are taken in double and rounded once to logp's dtype.
     */
    private static double[] pickedLosses(Tensor logp, long[] t, double[] weightOfRow) {
        long[] safe = t.clone(); // ignored rows (weight 0) may hold ignore_index: pick class 0 there, weighted 0
        for (int i = 0; i < safe.length; i++) if (weightOfRow[i] == 0) safe[i] = 0;
        Tensor picked;
        try (GradMode m = GradMode.set(false)) {
            Tensor idx = Jt.tensor(safe).to(logp.device());
            picked = logp.dim() == 2 ? logp.gather(1, idx.unsqueeze(1)) : logp.gather(0, idx);
        }
        double[] v = picked.toDoubleArray();
        double[] perRow = new double[t.length];
        for (int i = 0; i < t.length; i++) if (weightOfRow[i] != 0) perRow[i] = weightOfRow[i] * v[i];
        return perRow;
    }

    /** A tensor of {@code shape} holding {@code weightOfRow[i]} at {@code [i, t_i]} and zeros elsewhere. */
    private static Tensor oneHotScaled(long[] t, double[] weightOfRow, long[] shape, long classes, DType dtype) {
        double[] data = new double[Math.toIntExact(t.length * classes)];
        for (int i = 0; i < t.length; i++) if (weightOfRow[i] != 0) data[(int) (i * classes + t[i])] = weightOfRow[i];
        return Jt.tensor(data, dtype).reshape(shape);
    }

    /** {@code -(y log p + (1 - y) log(1 - p))}, logs clamped at -100; backward {@code g (p - y) / max(p (1 - p), 1e-12)}. */
    static Tensor bce(Tensor p, Tensor y, Reduction r) {
        checkSameShape("binary_cross_entropy", p, y);
        Tensor out;
        try (GradMode m = GradMode.set(false)) {
            Tensor logP = p.log().clamp(-100, Double.POSITIVE_INFINITY);
            Tensor log1mP = p.neg().add(1.0).log().clamp(-100, Double.POSITIVE_INFINITY);
            out = reduce(y.sub(1.0).mul(log1mP).sub(y.mul(logP)), r);
        }
        long n = p.numel();
        return Autograd.record("BinaryCrossEntropyBackward0", out, List.of(p), List.of(p, y), (g, s) -> {
            Tensor pp = s.get(0), yy = s.get(1);
            Tensor denom = pp.neg().add(1.0).mul(pp).clamp(1e-12, Double.POSITIVE_INFINITY);
            return List.of(pp.sub(yy).div(denom).mul(spread(g, r, n)));
        });
    }

    /** {@code (1 - y) x + max(-x, 0) + log(exp(-max) + exp(-x - max))}; backward {@code (sigmoid(x) - y) g}. */
    static Tensor bceWithLogits(Tensor x, Tensor y, Reduction r) {
        checkSameShape("binary_cross_entropy_with_logits", x, y);
        Tensor out;
        try (GradMode m = GradMode.set(false)) {
            Tensor maxVal = x.neg().clamp(0, Double.POSITIVE_INFINITY);
            Tensor lse = maxVal.neg().exp().add(x.neg().sub(maxVal).exp()).log();
            out = reduce(y.neg().add(1.0).mul(x).add(maxVal).add(lse), r);
        }
        long n = x.numel();
        return Autograd.record("BinaryCrossEntropyWithLogitsBackward0", out, List.of(x), List.of(x, y), (g, s) ->
                List.of(s.get(0).sigmoid().sub(s.get(1)).mul(spread(g, r, n))));
    }

    static List<Tensor> list(Tensor... ts) {
        List<Tensor> out = new ArrayList<>(ts.length);
        for (Tensor t : ts) out.add(t);
        return out;
    }
}
