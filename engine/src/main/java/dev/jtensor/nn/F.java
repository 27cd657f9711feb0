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

    /** Cross entropy of logits {@code [N, C]} against int64 class indices {@code [N]}: {@code nll(logSoftmax(input, 1))}. */
    public static Tensor crossEntropy(Tensor input, Tensor target) { return crossEntropy(input, target, Reduction.MEAN); }

    public static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction) {
        return Losses.nll(input.logSoftmax(input.dim() == 1 ? 0 : 1), target, reduction, -100);
    }

    /** Negative log likelihood of log-probabilities {@code [N, C]} at int64 class indices; index -100 is ignored. */
    public static Tensor nllLoss(Tensor input, Tensor target) { return Losses.nll(input, target, Reduction.MEAN, -100); }

    public static Tensor nllLoss(Tensor input, Tensor target, Reduction reduction) { return Losses.nll(input, target, reduction, -100); }

    public static Tensor nllLoss(Tensor input, Tensor target, Reduction reduction, long ignoreIndex) {
        return Losses.nll(input, target, reduction, ignoreIndex);
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

    // ---------------- sequence models (issue 23) ----------------

    /**
     * int64 one-hot codes: {@code out[..., c] = (indices[...] == c)}, shape {@code indices.shape + [numClasses]},
     * as {@code F.one_hot}; {@code numClasses = -1} takes {@code max(indices) + 1} (a host read, as the bounds checks).
     *
     * @throws IllegalArgumentException for non-int64 indices, a negative index or one {@code >= numClasses}
     */
    public static Tensor oneHot(Tensor indices, long numClasses) {
        if (indices.dtype() != dev.jtensor.DType.INT64) {
            throw new IllegalArgumentException("one_hot is only applicable to index tensor (int64), got " + indices.dtype());
        }
        if (indices.numel() == 0 && numClasses < 0) throw new IllegalArgumentException("Can not infer total number of classes from empty tensor.");
        if (indices.numel() > 0) {
            long min = (long) indices.min().item(), max = (long) indices.max().item();
            if (min < 0) throw new IllegalArgumentException("one_hot: class values must be non-negative, got " + min);
            if (numClasses < 0) numClasses = max + 1;
            if (max >= numClasses) {
                throw new IllegalArgumentException("one_hot: class values must be smaller than num_classes (" + numClasses + "), got " + max);
            }
        }
        Tensor classes = dev.jtensor.Jt.arange(numClasses).to(indices.device());
        return indices.unsqueeze(-1).eq(classes).to(dev.jtensor.DType.INT64);
    }

    /** {@link #oneHot(Tensor, long)} with the number of classes inferred. */
    public static Tensor oneHot(Tensor indices) { return oneHot(indices, -1); }

    /**
     * Attention {@code softmax(q k^T * scale + mask) v} over the last two dims, as PyTorch 2's
     * {@code F.scaled_dot_product_attention(query, key, value, attn_mask, dropout_p, is_causal, scale, enable_gqa)}:
     * query {@code [..., L, E]}, key {@code [..., S, E]}, value {@code [..., S, Ev]} (batch dims broadcast), result
     * {@code [..., L, Ev]}. {@code attnMask} (null for none) is bool (true = attend) or additive of the inputs' dtype,
     * broadcastable to {@code [..., L, S]}; {@code isCausal} masks {@code j > i} (not with attnMask); {@code scale}
     * null means {@code 1/sqrt(E)}; {@code dropoutP} drops attention weights (always, as PyTorch: pass 0 in eval);
     * {@code enableGqa} repeats k/v heads (dim -3) to q's count.
     */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP,
                                                   boolean isCausal, Double scale, boolean enableGqa) {
        return Attention.scaledDotProduct(query, key, value, attnMask, dropoutP, isCausal, scale, enableGqa);
    }

    /** {@link #scaledDotProductAttention(Tensor, Tensor, Tensor, Tensor, double, boolean, Double, boolean)} without dropout, scale 1/sqrt(E). */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask, boolean isCausal) {
        return Attention.scaledDotProduct(query, key, value, attnMask, 0, isCausal, null, false);
    }

    /**
     * {@code x / sqrt(mean(x^2) + eps) * weight} over the last {@code normalizedShape.length} dims, as PyTorch 2.4's
     * {@code F.rms_norm}; weight may be null; {@code eps} null means the machine epsilon of x's dtype.
     */
    public static Tensor rmsNorm(Tensor x, long[] normalizedShape, Tensor weight, Double eps) {
        int k = normalizedShape.length;
        if (k == 0 || k > x.dim()) throw new IllegalArgumentException("rms_norm: normalized_shape " + java.util.Arrays.toString(normalizedShape) + " does not fit input " + x.shape());
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) {
            dims[i] = x.dim() - k + i;
            if (x.size(dims[i]) != normalizedShape[i]) {
                throw new IllegalArgumentException("rms_norm: normalized_shape " + java.util.Arrays.toString(normalizedShape) + " does not fit input " + x.shape());
            }
        }
        double e = eps != null ? eps : x.dtype() == dev.jtensor.DType.FLOAT64 ? Math.ulp(1.0) : Math.ulp(1.0f);
        Tensor y = x.mul(x.square().mean(dims, true).add(e).rsqrt());
        return weight == null ? y : y.mul(weight);
    }
}
