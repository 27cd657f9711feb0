package dev.jtensor.nn;

import dev.jtensor.Generator;
import dev.jtensor.Tensor;
import dev.jtensor.amp.Autocast;
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
        Tensor[] cast = Autocast.inputs("linear", x, weight, bias);
        x = cast[0];
        weight = cast[1];
        bias = cast[2];
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
        Tensor[] cast = Autocast.inputs("layer_norm", x, weight, bias);
        return Activations.layerNorm(cast[0], normalizedShape, cast[1], cast[2], eps);
    }

    /** Rows of {@code weight} picked by the int64 {@code indices}: shape {@code indices.shape + [dim]}. */
    public static Tensor embedding(Tensor indices, Tensor weight) { return Activations.embedding(indices, weight); }

    // ---------------- losses ----------------

    /** Mean squared error {@code mean((input - target)^2)}. */
    public static Tensor mseLoss(Tensor input, Tensor target) { return mseLoss(input, target, Reduction.MEAN); }

    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        Tensor[] cast = Autocast.inputs("mse_loss", input, target);
        return Losses.mse(cast[0], cast[1], reduction);
    }

    /** Mean absolute error {@code mean(|input - target|)}. */
    public static Tensor l1Loss(Tensor input, Tensor target) { return l1Loss(input, target, Reduction.MEAN); }

    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        Tensor[] cast = Autocast.inputs("l1_loss", input, target);
        return Losses.l1(cast[0], cast[1], reduction);
    }

    /** Cross entropy of logits {@code [N, C]} against int64 class indices {@code [N]}: {@code nll(logSoftmax(input, 1))}. */
    public static Tensor crossEntropy(Tensor input, Tensor target) { return crossEntropy(input, target, Reduction.MEAN); }

    public static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction) {
        Tensor x = Autocast.input("cross_entropy", input);
        return Losses.nll(x.logSoftmax(x.dim() == 1 ? 0 : 1), target, reduction, -100);
    }

    /** Negative log likelihood of log-probabilities {@code [N, C]} at int64 class indices; index -100 is ignored. */
    public static Tensor nllLoss(Tensor input, Tensor target) { return Losses.nll(Autocast.input("nll_loss", input), target, Reduction.MEAN, -100); }

    public static Tensor nllLoss(Tensor input, Tensor target, Reduction reduction) { return Losses.nll(Autocast.input("nll_loss", input), target, reduction, -100); }

    public static Tensor nllLoss(Tensor input, Tensor target, Reduction reduction, long ignoreIndex) {
        return Losses.nll(Autocast.input("nll_loss", input), target, reduction, ignoreIndex);
    }

    /** Binary cross entropy of probabilities in [0, 1] against targets in [0, 1]. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) { return binaryCrossEntropy(input, target, Reduction.MEAN); }

    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Reduction reduction) {
        Tensor[] cast = Autocast.inputs("binary_cross_entropy", input, target);
        return Losses.bce(cast[0], cast[1], reduction);
    }

    /** Binary cross entropy of logits (numerically stable sigmoid + BCE). */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, Reduction.MEAN);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction) {
        Tensor[] cast = Autocast.inputs("binary_cross_entropy_with_logits", input, target);
        return Losses.bceWithLogits(cast[0], cast[1], reduction);
    }
}
