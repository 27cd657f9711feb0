package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.GradMode;
import java.util.List;

/**
 * {@code nll_loss} and {@code cross_entropy} with PyTorch 1.13's options: K-dimensional inputs
 * {@code [N, C, d1, ..., dK]} (classes in dim 1; {@code [C]} alone for one sample), {@code weight} (a
 * {@code [C]} rescaling of each class), {@code ignore_index}, {@code reduction}, and for cross entropy
 * {@code label_smoothing} and class-probability targets. The weighted mean divides by the summed weights
 * of the counted targets, not by their number ({@code sum_i w[t_i] l_i / sum_i w[t_i]}), as PyTorch.
 */
final class ClassLosses {
    private ClassLosses() {}

    /**
     * The targets of one call on the input's device, shape-checked: {@code safeTargets} ({@code [M, 1]} int64, ignored
     * positions picking class 0), the weight of each position ({@code [M]}, 0 where ignored) and their sum (0-d), all
     * computed on the device: no target or weight value is read on the host.
     */
    private record Picks(Tensor safeTargets, Tensor weightOfPos, Tensor totalWeight, long[] targetShape, long classes) {}

    private static Picks picks(String op, Tensor input, Tensor target, Tensor weight, long ignoreIndex) {
        if (input.dim() < 1) throw new IllegalArgumentException(op + ": input must have at least 1 dim (got " + input.shape() + ")");
        if (target.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": expected target of dtype INT64 (class indices), got " + target.dtype());
        }
        long classes = input.size(input.dim() == 1 ? 0 : 1);
        long[] in = input.shape().toArray(), expected = new long[Math.max(0, in.length - 1)];
        for (int d = 0, k = 0; d < in.length; d++) if (d != 1 && in.length > 1) expected[k++] = in[d];
        if (!java.util.Arrays.equals(expected, target.shape().toArray())) {
            throw new IllegalArgumentException(op + ": expected target of shape " + java.util.Arrays.toString(expected)
                    + " for input " + input.shape() + " (got " + target.shape() + ")");
        }
        if (weight != null && (weight.dim() != 1 || weight.numel() != classes)) {
            throw new IllegalArgumentException(op + ": weight tensor should be defined either for all " + classes
                    + " classes or no classes but got weight tensor of shape: " + weight.shape());
        }
        try (GradMode m = GradMode.set(false)) {
            Tensor t = target.detach().to(input.device()).reshape(-1);
            Tensor ignored = t.eq(ignoreIndex);
            Tensor safe = t.maskedFill(ignored, 0);
            Tensor wp = weight == null ? ignored.logicalNot().to(input.dtype())
                    : weight.detach().to(input.device()).to(input.dtype()).gather(0, safe).maskedFill(ignored, 0);
            return new Picks(safe.unsqueeze(1), wp, wp.sum(), expected, classes);
        } catch (IndexOutOfBoundsException e) {
            throw targetOutOfBounds(op, classes, e);
        }
    }

    /** The kernel's bounds error as the loss's: {@code "nll_loss: target 7 is out of bounds for dimension 1 with size 5 (classes)"}. */
    private static IndexOutOfBoundsException targetOutOfBounds(String op, long classes, IndexOutOfBoundsException e) {
        var out = new IndexOutOfBoundsException(op + ": " + String.valueOf(e.getMessage()).replaceFirst("^index", "target")
                + " (" + classes + " classes)");
        out.initCause(e);
        return out;
    }

    /** input as {@code [M, C]}: classes moved last ({@code [N, d1.., C]}) and the rest flattened. */
    private static Tensor rows(Tensor x) {
        if (x.dim() == 1) return x.unsqueeze(0);
        if (x.dim() == 2) return x;
        return x.permute(toLast(x.dim())).reshape(-1, x.size(1));
    }

    private static int[] toLast(int rank) {
        int[] p = new int[rank];
        for (int d = 0, k = 0; d < rank; d++) if (d != 1) p[k++] = d;
        p[rank - 1] = 1;
        return p;
    }

    private static int[] fromLast(int rank) {
        int[] p = new int[rank];
        p[0] = 0;
        p[1] = rank - 1;
        for (int d = 2; d < rank; d++) p[d] = d - 1;
        return p;
    }

    /** {@code rows[i, idx[i]]} as {@code [M]}: the gather kernel checks each target against the classes. */
    private static Tensor pick(String op, Tensor rows, Tensor idx, long classes) {
        try {
            return rows.gather(1, idx).squeeze(1);
        } catch (IndexOutOfBoundsException e) {
            throw targetOutOfBounds(op, classes, e);
        }
    }

    /**
     * {@code -w[t_i] * logp[i, t_i]} per position, reduced. Backward (NllLossBackward0): {@code -w[t_i] g}
     * (over the summed weights for mean) at each {@code [i, t_i]}, zero elsewhere.
     */
    static Tensor nll(Tensor logp, Tensor target, Tensor weight, Reduction r, long ignoreIndex) {
        Picks p = picks("nll_loss", logp, target, weight, ignoreIndex);
        Tensor idx = p.safeTargets();
        Tensor negW = p.weightOfPos().neg();
        Tensor out;
        try (GradMode m = GradMode.set(false)) {
            Tensor perPos = pick("nll_loss", rows(logp), idx, p.classes()).mul(negW); // one gather, then the sum: all on the device
            out = switch (r) {
                case NONE -> perPos.reshape(p.targetShape());
                case SUM -> perPos.sum();
                case MEAN -> perPos.sum().div(p.totalWeight()); // 0/0 = NaN when every target is ignored, as PyTorch
            };
        }
        long[] moved = rows(logp).shape().toArray(), logpShape = logp.shape().toArray();
        int rank = logp.dim();
        return Autograd.record("NllLossBackward0", out, List.of(logp), List.of(), (g, s) -> {
            Tensor gr = switch (r) {
                case NONE -> g.reshape(-1, 1);
                case SUM -> g;
                case MEAN -> g.div(p.totalWeight());
            };
            Tensor dense = Jt.zeros(moved, g.dtype(), g.device()).scatter(1, idx, negW.to(g.dtype()).unsqueeze(1)).mul(gr);
            if (rank == 1) return List.of(dense.reshape(logpShape));
            if (rank == 2) return List.of(dense);
            long[] permuted = new long[rank];
            int[] order = toLast(rank);
            for (int d = 0; d < rank; d++) permuted[d] = logpShape[order[d]];
            return List.of(dense.reshape(permuted).permute(fromLast(rank)));
        });
    }

    /**
     * Cross entropy of logits: class indices ({@code nll(logSoftmax)}, plus PyTorch's smoothing term
     * {@code -sum_c w_c logp_c} over counted positions when {@code labelSmoothing > 0}) or, for a floating
     * target of the input's shape, class probabilities ({@code -sum_c w_c y_c logp_c}, smoothed to
     * {@code y (1 - ls) + ls / C}; the mean divides by the number of positions).
     */
    static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, Reduction r, long ignoreIndex, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("cross_entropy: label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
        }
        int classDim = input.dim() == 1 ? 0 : 1;
        Tensor logp = input.logSoftmax(classDim);
        if (target.dtype().isFloatingPoint()) return probabilityTargets(logp, target, weight, r, labelSmoothing, classDim);
        Tensor nll = nll(logp, target, weight, r, ignoreIndex);
        if (labelSmoothing == 0) return nll;
        Picks p = picks("cross_entropy", logp, target, weight, ignoreIndex);
        Tensor smooth = (weight == null ? logp : logp.mul(classView(weight, logp, classDim))).sum(classDim).neg();
        smooth = smooth.maskedFill(target.eq(ignoreIndex), 0);
        Tensor ret = switch (r) {
            case NONE -> smooth;
            case SUM -> smooth.sum();
            case MEAN -> smooth.sum().div(p.totalWeight());
        };
        return nll.mul(1 - labelSmoothing).add(ret.mul(labelSmoothing / p.classes()));
    }

    private static Tensor probabilityTargets(Tensor logp, Tensor target, Tensor weight, Reduction r, double ls, int classDim) {
        if (!target.shape().equals(logp.shape())) {
            throw new IllegalArgumentException("cross_entropy: class-probability target " + target.shape()
                    + " must have the shape of the input " + logp.shape());
        }
        long classes = logp.size(classDim);
        Tensor y = ls > 0 ? target.mul(1 - ls).add(ls / classes) : target;
        Tensor terms = logp.mul(y);
        if (weight != null) terms = terms.mul(classView(weight, logp, classDim));
        return switch (r) {
            case NONE -> terms.sum(classDim).neg();
            case SUM -> terms.sum().neg();
            case MEAN -> terms.sum().neg().div((double) (logp.numel() / classes));
        };
    }

    /** weight {@code [C]} viewed to broadcast along the class dim of x. */
    private static Tensor classView(Tensor weight, Tensor x, int classDim) {
        long[] shape = new long[x.dim()];
        java.util.Arrays.fill(shape, 1);
        shape[classDim] = weight.numel();
        return weight.to(x.dtype()).to(x.device()).reshape(shape);
    }
}
