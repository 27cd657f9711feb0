package dev.jtensor.nn;

import dev.jtensor.Generator;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.GradMode;
import java.util.List;

/**
 * The functional forms of the layers and losses, as {@code torch.nn.functional}: stateless, each
 * returns a new tensor and records on the tape when an input requires grad. Losses default to
 * {@link Reduction#MEAN}.
 */
public final class F {
    private F() {}

    // ---------------- layers ----------------

    /**
     * {@code x @ weight^T + bias}; x {@code [..., in]}, weight {@code [out, in]}, bias {@code [out]} or null.
     * A 2-d input with a bias is one {@code addmm} ({@code AddmmBackward0}), as PyTorch.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (x.dim() == 2 && bias != null) return bias.addmm(x, weight.t());
        Tensor y = x.matmul(weight.t());
        return bias == null ? y : y.add(bias);
    }

    /** {@code max(x, 0)}. */
    public static Tensor relu(Tensor x) { return x.relu(); }

    /** {@code 1 / (1 + exp(-x))}. */
    public static Tensor sigmoid(Tensor x) { return x.sigmoid(); }

    /** {@code tanh(x)}. */
    public static Tensor tanh(Tensor x) { return x.tanh(); }

    /** Exact GELU, {@code x * Phi(x) = x/2 * (1 + erf(x / sqrt 2))} ({@code GeluBackward0}). */
    public static Tensor gelu(Tensor x) { return x.gelu(); }

    /** GELU with PyTorch's {@code approximate='tanh'}: {@code x/2 * (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    public static Tensor geluTanh(Tensor x) { return x.gelu("tanh"); }

    /** {@code exp(x) / sum(exp(x))} along {@code dim}. */
    public static Tensor softmax(Tensor x, int dim) { return x.softmax(dim); }

    /** {@code x - logsumexp(x)} along {@code dim}. */
    public static Tensor logSoftmax(Tensor x, int dim) { return x.logSoftmax(dim); }

    /**
     * Zeroes each element with probability {@code p} and scales the rest by {@code 1/(1-p)} when
     * {@code training}; the identity otherwise. The mask is drawn from this thread's default generator.
     */
    public static Tensor dropout(Tensor x, double p, boolean training) {
        return Activations.dropout(x, p, training, Generator.defaultGenerator());
    }

    /**
     * Normalises over the last {@code normalizedShape.length} dims: {@code (x - mean) / sqrt(var + eps) * weight + bias}
     * (biased variance); weight and bias may be null.
     */
    public static Tensor layerNorm(Tensor x, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return Activations.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    /** Rows of {@code weight} picked by the int64 {@code indices}: shape {@code indices.shape + [dim]}. */
    public static Tensor embedding(Tensor indices, Tensor weight) { return Activations.embedding(indices, weight); }

    // ---------------- losses ----------------

    /** Mean squared error {@code mean((input - target)^2)}. */
    public static Tensor mseLoss(Tensor input, Tensor target) { return Losses.mse(input, target, Reduction.MEAN); }

    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) { return Losses.mse(input, target, reduction); }

    /** Mean absolute error {@code mean(|input - target|)}. */
    public static Tensor l1Loss(Tensor input, Tensor target) { return Losses.l1(input, target, Reduction.MEAN); }

    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) { return Losses.l1(input, target, reduction); }

    /** Cross entropy of logits {@code [N, C, ...]} against int64 class indices {@code [N, ...]}: {@code nll(logSoftmax(input, 1))}. */
    public static Tensor crossEntropy(Tensor input, Tensor target) { return crossEntropy(input, target, Reduction.MEAN); }

    public static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction) {
        return ClassLosses.crossEntropy(input, target, null, reduction, -100, 0);
    }

    /**
     * {@code F.cross_entropy(input, target, weight, ignore_index=, reduction=, label_smoothing=)}: input
     * {@code [N, C, d1, ...]} (or {@code [N, C]}, {@code [C]}) logits; target int64 class indices of the input's
     * shape without dim 1, or class probabilities of the input's shape (floating); weight {@code [C]} or null.
     * The mean with weights divides by the summed weights of the counted targets, as PyTorch.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction,
                                      double labelSmoothing) {
        return ClassLosses.crossEntropy(input, target, weight, reduction, ignoreIndex, labelSmoothing);
    }

    /** {@code F.cross_entropy(input, target, label_smoothing=)} with mean reduction. */
    public static Tensor crossEntropy(Tensor input, Tensor target, double labelSmoothing) {
        return ClassLosses.crossEntropy(input, target, null, Reduction.MEAN, -100, labelSmoothing);
    }

    /** Negative log likelihood of log-probabilities {@code [N, C]} at int64 class indices; index -100 is ignored. */
    public static Tensor nllLoss(Tensor input, Tensor target) { return Losses.nll(input, target, Reduction.MEAN, -100); }

    public static Tensor nllLoss(Tensor input, Tensor target, Reduction reduction) { return Losses.nll(input, target, reduction, -100); }

    public static Tensor nllLoss(Tensor input, Tensor target, Reduction reduction, long ignoreIndex) {
        return Losses.nll(input, target, reduction, ignoreIndex);
    }

    /** {@code F.nll_loss(input, target, weight, ignore_index=, reduction=)} for {@code [N, C, d1, ...]} inputs; weight may be null. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        return ClassLosses.nll(input, target, weight, reduction, ignoreIndex);
    }

    /** Binary cross entropy of probabilities in [0, 1] against targets in [0, 1]. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) { return Losses.bce(input, target, Reduction.MEAN); }

    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Reduction reduction) { return Losses.bce(input, target, reduction); }

    /** Binary cross entropy of logits (numerically stable sigmoid + BCE). */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return Losses.bceWithLogits(input, target, Reduction.MEAN);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction) {
        return Losses.bceWithLogits(input, target, reduction);
    }

    /**
     * {@code F.binary_cross_entropy_with_logits(input, target, weight, reduction=, pos_weight=)}: weight
     * (broadcast to the input) and posWeight (the weight of positive examples, broadcast along the last
     * dims: {@code [C]} for multi-label) may each be null.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Reduction reduction,
                                                      Tensor posWeight) {
        return Losses.bceWithLogits(input, target, weight, posWeight, reduction);
    }

    /** {@code F.binary_cross_entropy(input, target, weight, reduction=)}; weight (broadcast to the input) may be null. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        return Losses.bce(input, target, weight, reduction);
    }
}
