package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.ValuesIndices;
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

    /** Cross entropy of logits {@code [N, C, ...]} against int64 class indices {@code [N, ...]}: {@code nll(logSoftmax(input, 1))}. */
    public static Tensor crossEntropy(Tensor input, Tensor target) { return crossEntropy(input, target, Reduction.MEAN); }

    public static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction) {
        return ClassLosses.crossEntropy(Autocast.input("cross_entropy", input), target, null, reduction, -100, 0);
    }

    /**
     * {@code F.cross_entropy(input, target, weight, ignore_index=, reduction=, label_smoothing=)}: input
     * {@code [N, C, d1, ...]} (or {@code [N, C]}, {@code [C]}) logits; target int64 class indices of the input's
     * shape without dim 1, or class probabilities of the input's shape (floating); weight {@code [C]} or null.
     * The mean with weights divides by the summed weights of the counted targets, as PyTorch.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction,
                                      double labelSmoothing) {
        return ClassLosses.crossEntropy(Autocast.input("cross_entropy", input), target, weight, reduction, ignoreIndex, labelSmoothing);
    }

    /** {@code F.cross_entropy(input, target, label_smoothing=)} with mean reduction. */
    public static Tensor crossEntropy(Tensor input, Tensor target, double labelSmoothing) {
        return ClassLosses.crossEntropy(Autocast.input("cross_entropy", input), target, null, Reduction.MEAN, -100, labelSmoothing);
    }

    /** Negative log likelihood of log-probabilities {@code [N, C]} at int64 class indices; index -100 is ignored. */
    public static Tensor nllLoss(Tensor input, Tensor target) { return Losses.nll(Autocast.input("nll_loss", input), target, Reduction.MEAN, -100); }

    public static Tensor nllLoss(Tensor input, Tensor target, Reduction reduction) { return Losses.nll(Autocast.input("nll_loss", input), target, reduction, -100); }

    public static Tensor nllLoss(Tensor input, Tensor target, Reduction reduction, long ignoreIndex) {
        return Losses.nll(Autocast.input("nll_loss", input), target, reduction, ignoreIndex);
    }

    /** {@code F.nll_loss(input, target, weight, ignore_index=, reduction=)} for {@code [N, C, d1, ...]} inputs; weight may be null. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        return ClassLosses.nll(input, target, weight, reduction, ignoreIndex);
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

    // ---------------- convolution, pooling, normalisation (CNN layers) ----------------

    /** 2-d convolution, stride 1, no padding: {@code x [N, C, H, W]} (or {@code [C, H, W]}), weight {@code [O, C / groups, kH, kW]}. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias) { return conv2d(x, weight, bias, 1, 0); }

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(x, weight, bias, new int[] {stride}, new int[] {padding}, new int[] {1}, 1);
    }

    /** As {@code F.conv2d(x, weight, bias, stride, padding, dilation, groups)}; each int[] holds one value or (h, w). */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        int[] p = Convolutions.pair("padding", padding);
        return Convolutions.conv2d(x, weight, bias, Convolutions.pair("stride", stride), new long[] {p[0], p[0], p[1], p[1]},
                Convolutions.pair("dilation", dilation), groups, "zeros");
    }

    /** With {@code padding} "same" or "valid". */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        int[] s = Convolutions.pair("stride", stride), d = Convolutions.pair("dilation", dilation);
        int[] k = weight.dim() == 4 ? new int[] {(int) weight.size(2), (int) weight.size(3)} : new int[] {1, 1};
        return Convolutions.conv2d(x, weight, bias, s, Convolutions.namedPadding(padding, k, s, d), d, groups, "zeros");
    }

    /** 1-d convolution: {@code x [N, C, L]} (or {@code [C, L]}), weight {@code [O, C / groups, k]}. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias) { return conv1d(x, weight, bias, 1, 0, 1, 1); }

    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return Convolutions.conv1d(x, weight, bias, stride, new long[] {padding, padding}, dilation, groups, "zeros");
    }

    /** With {@code padding} "same" or "valid". */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, String padding, int dilation, int groups) {
        int k = weight.dim() == 3 ? (int) weight.size(2) : 1;
        long[] p = Convolutions.namedPadding(padding, new int[] {1, k}, new int[] {1, stride}, new int[] {1, dilation});
        return Convolutions.conv1d(x, weight, bias, stride, new long[] {p[2], p[3]}, dilation, groups, "zeros");
    }

    /** Transposed 2-d convolution; weight {@code [Cin, O / groups, kH, kW]}. */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias) {
        return convTranspose2d(x, weight, bias, new int[] {1}, new int[] {0}, new int[] {0}, 1, new int[] {1});
    }

    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding, int groups,
            int[] dilation) {
        return Convolutions.convTranspose2d(x, weight, bias, Convolutions.pair("stride", stride), Convolutions.pair("padding", padding),
                Convolutions.pair("output_padding", outputPadding), groups, Convolutions.pair("dilation", dilation));
    }

    /** Transposed 1-d convolution; weight {@code [Cin, O / groups, k]}. */
    public static Tensor convTranspose1d(Tensor x, Tensor weight, Tensor bias) { return convTranspose1d(x, weight, bias, 1, 0, 0, 1, 1); }

    public static Tensor convTranspose1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int outputPadding, int groups,
            int dilation) {
        return Convolutions.convTranspose1d(x, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /** 2-d max pooling with stride = kernel. */
    public static Tensor maxPool2d(Tensor x, int kernelSize) { return maxPool2d(x, new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, false); }

    /** As {@code F.max_pool2d}; {@code stride} null means the kernel size. */
    public static Tensor maxPool2d(Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return maxPool2dWithIndices(x, kernelSize, stride, padding, dilation, ceilMode).values();
    }

    /** {@code F.max_pool2d(..., return_indices=True)}: values and int64 flat indices into each {@code H x W} plane. */
    public static ValuesIndices maxPool2dWithIndices(Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        int[] k = Convolutions.pair("kernel_size", kernelSize);
        Tensor[] r = Pooling.maxPool2d(x, k, stride == null || stride.length == 0 ? k : Convolutions.pair("stride", stride),
                Convolutions.pair("padding", padding), Convolutions.pair("dilation", dilation), ceilMode);
        return new ValuesIndices(r[0], r[1]);
    }

    /** 1-d max pooling with stride = kernel. */
    public static Tensor maxPool1d(Tensor x, int kernelSize) { return maxPool1d(x, kernelSize, kernelSize, 0, 1, false); }

    public static Tensor maxPool1d(Tensor x, int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        return maxPool1dWithIndices(x, kernelSize, stride, padding, dilation, ceilMode).values();
    }

    /** {@code F.max_pool1d(..., return_indices=True)}: {@code x [N, C, L]} or {@code [C, L]}. */
    public static ValuesIndices maxPool1dWithIndices(Tensor x, int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        checkRank(x, 2, 3, "max_pool1d");
        ValuesIndices r = maxPool2dWithIndices(x.unsqueeze(-2), new int[] {1, kernelSize}, new int[] {1, stride}, new int[] {0, padding},
                new int[] {1, dilation}, ceilMode);
        return new ValuesIndices(r.values().squeeze(-2), r.indices().squeeze(-2));
    }

    /** 2-d average pooling with stride = kernel. */
    public static Tensor avgPool2d(Tensor x, int kernelSize) { return avgPool2d(x, new int[] {kernelSize}, null, new int[] {0}, false, true, null); }

    /** As {@code F.avg_pool2d}; {@code stride} null means the kernel size, {@code divisorOverride} may be null. */
    public static Tensor avgPool2d(Tensor x, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad,
            Integer divisorOverride) {
        int[] k = Convolutions.pair("kernel_size", kernelSize);
        return Pooling.avgPool2d(x, k, stride == null || stride.length == 0 ? k : Convolutions.pair("stride", stride),
                Convolutions.pair("padding", padding), ceilMode, countIncludePad, divisorOverride);
    }

    /** 1-d average pooling with stride = kernel. */
    public static Tensor avgPool1d(Tensor x, int kernelSize) { return avgPool1d(x, kernelSize, kernelSize, 0, false, true); }

    public static Tensor avgPool1d(Tensor x, int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        checkRank(x, 2, 3, "avg_pool1d");
        return Pooling.avgPool2d(x.unsqueeze(-2), new int[] {1, kernelSize}, new int[] {1, stride}, new int[] {0, padding}, ceilMode,
                countIncludePad, null).squeeze(-2);
    }

    /** Adaptive average pooling of the last dim to {@code outputSize}. */
    public static Tensor adaptiveAvgPool1d(Tensor x, long outputSize) {
        checkRank(x, 2, 3, "adaptive_avg_pool1d");
        return Pooling.adaptiveAvgPool2d(x.unsqueeze(-2), 1, outputSize).squeeze(-2);
    }

    /** Adaptive average pooling of the last two dims to {@code (outH, outW)}. */
    public static Tensor adaptiveAvgPool2d(Tensor x, long outH, long outW) { return Pooling.adaptiveAvgPool2d(x, outH, outW); }

    public static Tensor adaptiveMaxPool2d(Tensor x, long outH, long outW) { return Pooling.adaptiveMaxPool2d(x, outH, outW)[0]; }

    /** {@code F.adaptive_max_pool2d(..., return_indices=True)}. */
    public static ValuesIndices adaptiveMaxPool2dWithIndices(Tensor x, long outH, long outW) {
        Tensor[] r = Pooling.adaptiveMaxPool2d(x, outH, outW);
        return new ValuesIndices(r[0], r[1]);
    }

    /**
     * The partial inverse of max pooling: {@code x} placed at {@code indices} in zeros of the unpooled size,
     * {@code (H - 1) stride - 2 padding + kernel} unless {@code outputSize} (h, w) is given.
     */
    public static Tensor maxUnpool2d(Tensor x, Tensor indices, int[] kernelSize, int[] stride, int[] padding, long[] outputSize) {
        int[] k = Convolutions.pair("kernel_size", kernelSize);
        int[] s = stride == null || stride.length == 0 ? k : Convolutions.pair("stride", stride), p = Convolutions.pair("padding", padding);
        if (x.dim() < 3) throw new IllegalArgumentException("max_unpool2d: expected 3-d or 4-d input, got " + x.shape());
        long h = x.size(x.dim() - 2), w = x.size(x.dim() - 1);
        long oh = outputSize != null ? outputSize[outputSize.length - 2] : (h - 1) * s[0] - 2L * p[0] + k[0];
        long ow = outputSize != null ? outputSize[outputSize.length - 1] : (w - 1) * s[1] - 2L * p[1] + k[1];
        return Pooling.maxUnpool2d(x, indices, oh, ow);
    }

    /**
     * {@code F.batch_norm}: normalises per channel (dim 1) by the batch's statistics when {@code training} (updating
     * {@code runningMean}/{@code runningVar} in place when given), else by the running ones; any of the four tensors
     * may be null.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training,
            double momentum, double eps) {
        return Normalization.batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /** {@code F.group_norm}: statistics per sample over each group of channels. */
    public static Tensor groupNorm(Tensor x, int numGroups, Tensor weight, Tensor bias, double eps) {
        return Normalization.groupNorm(x, numGroups, weight, bias, eps);
    }

    /** {@code F.instance_norm}: statistics per sample and channel. */
    public static Tensor instanceNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean useInputStats,
            double momentum, double eps) {
        return Normalization.instanceNorm(x, runningMean, runningVar, weight, bias, useInputStats, momentum, eps);
    }

    /**
     * {@code F.local_response_norm}: {@code x / (k + alpha / size * sum of x^2 over size neighbouring channels)^beta},
     * the window centred as PyTorch's (size / 2 channels before, (size - 1) / 2 after, zeros past the ends).
     */
    public static Tensor localResponseNorm(Tensor x, int size, double alpha, double beta, double k) {
        if (x.dim() < 3) {
            throw new IllegalArgumentException("Expected 3D or higher dimensionality input (got " + x.dim() + " dimensions)");
        }
        long n = x.size(0), c = x.size(1);
        Tensor sq = x.square().reshape(n, 1, c, -1);
        Tensor div = avgPool2d(pad(sq, 0, 0, size / 2, (size - 1) / 2), new int[] {size, 1}, new int[] {1}, new int[] {0}, false, true, null);
        return x.div(div.reshape(x.shape().toArray()).mul(alpha).add(k).pow(beta));
    }

    /** Zeroes whole channels with probability {@code p} when {@code training} ({@code F.dropout2d}). */
    public static Tensor dropout2d(Tensor x, double p, boolean training) {
        return Resampling.dropoutChannels(x, p, training, Generator.defaultGenerator());
    }

    /** Zero padding; {@code pad} holds (left, right) pairs from the last dim backwards. */
    public static Tensor pad(Tensor x, long... pad) { return Padding.pad(x, pad, "constant", 0); }

    /** {@code F.pad(x, pad, mode, value)}: mode constant, reflect, replicate or circular. */
    public static Tensor pad(Tensor x, long[] pad, String mode, double value) { return Padding.pad(x, pad, mode, value); }

    /** Resizes the spatial dims to {@code size} (one value per spatial dim, or one for all): nearest, linear or bilinear. */
    public static Tensor interpolate(Tensor x, long[] size, String mode, Boolean alignCorners) {
        return Resampling.interpolate(x, size, null, mode, alignCorners);
    }

    /** Resizes the spatial dims by {@code scaleFactor} (output size floor(in * factor)). */
    public static Tensor interpolate(Tensor x, double[] scaleFactor, String mode, Boolean alignCorners) {
        return Resampling.interpolate(x, null, scaleFactor, mode, alignCorners);
    }

    /** {@code F.unfold}: sliding blocks {@code [N, C * kH * kW, L]} of {@code [N, C, H, W]}. */
    public static Tensor unfold(Tensor x, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        return Convolutions.unfold(x, Convolutions.pair("kernel_size", kernelSize), Convolutions.pair("dilation", dilation),
                Convolutions.pair("padding", padding), Convolutions.pair("stride", stride));
    }

    /** {@code F.fold}: sums sliding blocks {@code [N, C * kH * kW, L]} into {@code [N, C, outputSize]}. */
    public static Tensor fold(Tensor cols, int[] outputSize, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        return Convolutions.fold(cols, Convolutions.pair("output_size", outputSize), Convolutions.pair("kernel_size", kernelSize),
                Convolutions.pair("dilation", dilation), Convolutions.pair("padding", padding), Convolutions.pair("stride", stride));
    }

    /** {@code [*, C r^2, H, W]} to {@code [*, C, H r, W r]}. */
    public static Tensor pixelShuffle(Tensor x, int upscaleFactor) { return Resampling.pixelShuffle(x, upscaleFactor); }

    /** {@code [*, C, H r, W r]} to {@code [*, C r^2, H, W]}. */
    public static Tensor pixelUnshuffle(Tensor x, int downscaleFactor) { return Resampling.pixelUnshuffle(x, downscaleFactor); }

    private static void checkRank(Tensor x, int lo, int hi, String op) {
        if (x.dim() < lo || x.dim() > hi) {
            throw new IllegalArgumentException(op + ": Expected " + lo + "D (unbatched) or " + hi + "D (batched) input, but got input of size: "
                    + x.shape());
        }
    }

    // ---------------- sequence models (issue 23) ----------------

    /**
     * int64 one-hot codes: {@code out[..., c] = (indices[...] == c)}, shape {@code indices.shape + [numClasses]},
     * as {@code F.one_hot}; {@code numClasses = -1} takes {@code max(indices) + 1} (a host read, as the bounds checks).
     *
     * @throws IllegalArgumentException for non-int64 indices, a negative index or one {@code >= numClasses}
     */
    public static Tensor oneHot(Tensor indices, long numClasses) {
        if (indices.dtype() != DType.INT64) {
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
        Tensor classes = Jt.arange(numClasses).to(indices.device());
        return indices.unsqueeze(-1).eq(classes).to(DType.INT64);
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
        double e = eps != null ? eps : x.dtype() == DType.FLOAT64 ? Math.ulp(1.0) : Math.ulp(1.0f);
        Tensor y = x.mul(x.square().mean(dims, true).add(e).rsqrt());
        return weight == null ? y : y.mul(weight);
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
