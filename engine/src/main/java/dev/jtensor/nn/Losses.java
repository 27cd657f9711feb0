package dev.jtensor.nn;

import static dev.jtensor.autograd.BackwardRule.grads;

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

    /** {@link ClassLosses#nll} without class weights. */
    static Tensor nll(Tensor logp, Tensor target, Reduction r, long ignoreIndex) {
        return ClassLosses.nll(logp, target, null, r, ignoreIndex);
    }

    /**
     * {@code -w (y log p + (1 - y) log(1 - p))}, logs clamped at -100 ({@code weight} may be null, broadcast
     * to the input). Backward (BinaryCrossEntropyBackward0): p gets {@code w g (p - y) / max(p (1 - p), 1e-12)},
     * y gets {@code -w g logit(p)} (PyTorch's binary_cross_entropy_target_backward); over N for mean.
     */
    static Tensor bce(Tensor p, Tensor y, Tensor weight, Reduction r) {
        checkSameShape("binary_cross_entropy", p, y);
        Tensor out;
        try (GradMode m = GradMode.set(false)) {
            Tensor logP = p.log().clamp(-100, Double.POSITIVE_INFINITY);
            Tensor log1mP = p.neg().add(1.0).log().clamp(-100, Double.POSITIVE_INFINITY);
            out = reduce(weighted(y.sub(1.0).mul(log1mP).sub(y.mul(logP)), weight), r);
        }
        long n = p.numel();
        return Autograd.record("BinaryCrossEntropyBackward0", out, List.of(p, y), List.of(p, y), (g, s) -> {
            Tensor pp = s.get(0), yy = s.get(1), gw = weighted(spread(g, r, n), weight);
            Tensor denom = pp.neg().add(1.0).mul(pp).clamp(1e-12, Double.POSITIVE_INFINITY);
            return grads(s.needsInputGrad(0) ? pp.sub(yy).div(denom).mul(gw) : null,
                    s.needsInputGrad(1) ? pp.div(pp.neg().add(1.0)).log().neg().mul(gw) : null);
        });
    }

    static Tensor bce(Tensor p, Tensor y, Reduction r) { return bce(p, y, null, r); }

    /**
     * {@code w [(1 - y) x + (1 + (pw - 1) y) (log(exp(-m) + exp(-x - m)) + m)]} with {@code m = max(-x, 0)}
     * ({@code weight} and {@code posWeight} may be null; posWeight broadcasts along the last dim, as PyTorch).
     * Backward (BinaryCrossEntropyWithLogitsBackward0): x gets {@code w g ((pw y + 1 - y) sigmoid(x) - pw y)},
     * y gets {@code w g (logsigmoid(-x) - pw logsigmoid(x))} (without posWeight: {@code -w g x}); over N for mean.
     */
    static Tensor bceWithLogits(Tensor x, Tensor y, Tensor weight, Tensor posWeight, Reduction r) {
        checkSameShape("binary_cross_entropy_with_logits", x, y);
        Tensor out;
        try (GradMode m = GradMode.set(false)) {
            Tensor maxVal = x.neg().clamp(0, Double.POSITIVE_INFINITY);
            Tensor softplus = maxVal.neg().exp().add(x.neg().sub(maxVal).exp()).log().add(maxVal); // log(1 + exp(-x))
            Tensor logWeight = posWeight == null ? null : posWeight.sub(1.0).mul(y).add(1.0);
            Tensor loss = y.neg().add(1.0).mul(x).add(logWeight == null ? softplus : logWeight.mul(softplus));
            out = reduce(weighted(loss, weight), r);
        }
        long n = x.numel();
        return Autograd.record("BinaryCrossEntropyWithLogitsBackward0", out, List.of(x, y), List.of(x, y), (g, s) -> {
            Tensor xx = s.get(0), yy = s.get(1), gw = weighted(spread(g, r, n), weight);
            Tensor gx, gy = null;
            if (posWeight == null) {
                gx = xx.sigmoid().sub(yy).mul(gw);
                if (s.needsInputGrad(1)) gy = xx.neg().mul(gw);
            } else {
                Tensor t = posWeight.mul(yy);
                gx = t.add(1.0).sub(yy).mul(xx.sigmoid()).sub(t).mul(gw);
                if (s.needsInputGrad(1)) gy = logSigmoid(xx.neg()).sub(logSigmoid(xx).mul(posWeight)).mul(gw);
            }
            return grads(s.needsInputGrad(0) ? gx : null, gy);
        });
    }

    static Tensor bceWithLogits(Tensor x, Tensor y, Reduction r) { return bceWithLogits(x, y, null, null, r); }

    /** {@code log(sigmoid(x)) = -softplus(-x)}, stable for large |x|. */
    private static Tensor logSigmoid(Tensor x) {
        Tensor m = x.neg().clamp(0, Double.POSITIVE_INFINITY);
        return m.neg().exp().add(x.neg().sub(m).exp()).log().add(m).neg();
    }

    private static Tensor weighted(Tensor t, Tensor weight) { return weight == null ? t : t.mul(weight); }

    static List<Tensor> list(Tensor... ts) {
        List<Tensor> out = new ArrayList<>(ts.length);
        for (Tensor t : ts) out.add(t);
        return out;
    }
}
