package dev.jtensor;

import dev.jtensor.internal.ops.BatchNorm;
import dev.jtensor.internal.ops.BatchNormKernels;
import dev.jtensor.internal.ops.Convolution;
import dev.jtensor.internal.ops.Einsum;
import dev.jtensor.internal.ops.Im2Col;
import dev.jtensor.internal.ops.LayerNorms;
import dev.jtensor.internal.ops.Linalg;
import dev.jtensor.internal.ops.MaxPool;
import dev.jtensor.internal.ops.RecurrentCells;
import dev.jtensor.internal.ops.ScaledDotProductAttention;
import dev.jtensor.internal.ops.Sorting;
import dev.jtensor.internal.ops.Structural;

/**
 * Linear algebra statics of the {@code torch.} namespace (part of {@link Jt}); see the methods of the
 * same names on {@link Tensor}. The forms with a last {@code out} argument write into it (same dtype,
 * exactly the result's shape; not differentiable) and return it.
 */
abstract class JtLinalg extends JtIndexing {
    JtLinalg() {}

    /** {@code torch.dot(a, b)}. */
    public static Tensor dot(Tensor a, Tensor b) { return Linalg.dot(a, b); }

    /** {@code torch.mv(a, vec)}. */
    public static Tensor mv(Tensor a, Tensor vec) { return Linalg.mv(a, vec); }

    /** {@code torch.mm(a, b)}. */
    public static Tensor mm(Tensor a, Tensor b) { return Linalg.mm(a, b); }

    /** {@code torch.mm(a, b, out=out)}. */
    public static Tensor mm(Tensor a, Tensor b, Tensor out) { return Linalg.mm(a, b, out); }

    /** {@code torch.matmul(a, b)} ({@code a @ b}). */
    public static Tensor matmul(Tensor a, Tensor b) { return Linalg.matmul(a, b); }

    /** {@code torch.matmul(a, b, out=out)}. */
    public static Tensor matmul(Tensor a, Tensor b, Tensor out) { return Linalg.matmul(a, b, out); }

    /** {@code torch.bmm(a, b)}. */
    public static Tensor bmm(Tensor a, Tensor b) { return Linalg.bmm(a, b); }

    /** {@code torch.outer(a, b)}. */
    public static Tensor outer(Tensor a, Tensor b) { return Linalg.outer(a, b); }

    /** {@code torch.addmm(input, mat1, mat2)}. */
    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2) { return Linalg.addmm(input, mat1, mat2, 1, 1); }

    /** {@code torch.addmm(input, mat1, mat2, beta=beta, alpha=alpha)}. */
    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2, double beta, double alpha) {
        return Linalg.addmm(input, mat1, mat2, beta, alpha);
    }

    /** {@code torch.baddbmm(input, batch1, batch2, beta=beta, alpha=alpha)}. */
    public static Tensor baddbmm(Tensor input, Tensor batch1, Tensor batch2, double beta, double alpha) {
        return Linalg.baddbmm(input, batch1, batch2, beta, alpha);
    }

    // ---------------- sequence-model ops (issue 23) ----------------

    /** {@code torch.tril(x, diagonal)}. */
    public static Tensor tril(Tensor x, long diagonal) { return Structural.tril(x, diagonal); }

    /** {@code torch.tril(x)}: the lower triangle with the diagonal. */
    public static Tensor tril(Tensor x) { return Structural.tril(x, 0); }

    /** {@code torch.triu(x)}: the upper triangle with the diagonal. */
    public static Tensor triu(Tensor x) { return Structural.triu(x, 0); }

    /** {@code torch.triu(x, diagonal)}. */
    public static Tensor triu(Tensor x, long diagonal) { return Structural.triu(x, diagonal); }

    /** {@code torch.sort(x, dim, descending, stable=True)}. */
    public static ValuesIndices sort(Tensor x, int dim, boolean descending) { return Sorting.sort(x, dim, descending); }

    /** {@code torch.argsort(x, dim, descending, stable=True)}. */
    public static Tensor argsort(Tensor x, int dim, boolean descending) { return Sorting.argsort(x, dim, descending); }

    /** {@code torch.topk(x, k, dim, largest, sorted)} (results always sorted). */
    public static ValuesIndices topk(Tensor x, long k, int dim, boolean largest, boolean sorted) {
        return Sorting.topk(x, k, dim, largest);
    }

    /** {@code torch.multinomial(probs, numSamples, replacement, generator=g)}. */
    public static Tensor multinomial(Tensor probs, long numSamples, boolean replacement, Generator g) {
        return Sorting.multinomial(probs, numSamples, replacement, g);
    }

    /** {@code torch.multinomial(probs, numSamples, replacement)} from the default generator. */
    public static Tensor multinomial(Tensor probs, long numSamples, boolean replacement) {
        return Sorting.multinomial(probs, numSamples, replacement, Generator.defaultGenerator());
    }

    /**
     * {@code torch.einsum(equation, operands)}: explicit or implicit output, repeated labels (traces,
     * diagonals), {@code ...} broadcasting, any number of operands; a composite of sums, permutes and
     * batched matmuls (differentiable, every device).
     */
    public static Tensor einsum(String equation, Tensor... operands) {
        return Einsum.einsum(equation, java.util.List.of(operands));
    }

    /** {@code torch.repeat_interleave(x, repeats, dim)}. */
    public static Tensor repeatInterleave(Tensor x, long repeats, int dim) { return Structural.repeatInterleave(x, repeats, dim); }

    /** {@code torch.repeat_interleave(x, repeats_tensor, dim)}. */
    public static Tensor repeatInterleave(Tensor x, Tensor repeats, int dim) { return Structural.repeatInterleave(x, repeats, dim); }

    /** {@code torch.repeat_interleave(x, repeats)}: every element repeated, flattened. */
    public static Tensor repeatInterleave(Tensor x, long repeats) { return Structural.repeatInterleave(x, repeats, null); }

    /** {@code torch.repeat_interleave(counts)}: {@code i} repeated {@code counts[i]} times. */
    public static Tensor repeatInterleave(Tensor counts) { return Structural.repeatInterleave(counts); }

    /**
     * {@code softmax(query key^T * scale + mask) value} without dropout (query {@code [..., L, E]}, key {@code [..., S, E]},
     * value {@code [..., S, Ev]}; {@code attnMask} null, bool (true = attend) or additive; {@code isCausal} masks keys
     * after each query's position; {@code scale} null for {@code 1/sqrt(E)}), as PyTorch 2's
     * {@code F.scaled_dot_product_attention} with {@code dropout_p=0}: the backend's fused kernel where it has one
     * (float32 on the CPU: tiled with an online softmax, no {@code [L, S]} matrix, threaded over batch x heads; forward
     * and backward), else the composite. {@code nn.F.scaledDotProductAttention} adds dropout and grouped-query heads.
     */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask, boolean isCausal, Double scale) {
        return ScaledDotProductAttention.attention(query, key, value, attnMask, isCausal, scale);
    }

    /**
     * {@code torch.layer_norm(x, normalized_shape, weight, bias, eps)}: {@code (x - mean) / sqrt(var + eps) * weight + bias}
     * over the last {@code normalizedShape.length} dims (biased variance; weight and bias of that shape or null). One
     * backend kernel and one autograd node where the backend has them (the CPU: float32 and float64), else composed of
     * elementwise ops.
     */
    public static Tensor layerNorm(Tensor x, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return LayerNorms.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    /**
     * The pointwise part of an LSTM step, PyTorch's {@code torch._thnn_fused_lstm_cell(input_gates, hidden_gates, cx,
     * input_bias, hidden_bias)} without its workspace: gates {@code a = inputGates + hiddenGates (+ inputBias)
     * (+ hiddenBias)} ({@code [N, 4H]}, order i, f, g, o; biases {@code [4H]} or null) give
     * {@code cy = sigmoid(f) cx + sigmoid(i) tanh(g)} and {@code hy = sigmoid(o) tanh(cy)}. Returns {@code [hy, cy]}
     * (views of one {@code [2, N, H]} result). One fused kernel and one autograd node where the backend has it (the CPU:
     * every floating type; CUDA: float32, float64), else composed of elementwise ops.
     */
    public static java.util.List<Tensor> fusedLstmCell(Tensor inputGates, Tensor hiddenGates, Tensor cx, Tensor inputBias, Tensor hiddenBias) {
        return RecurrentCells.lstm(inputGates, hiddenGates, cx, inputBias, hiddenBias);
    }

    /**
     * The pointwise part of a GRU step, PyTorch's {@code torch._thnn_fused_gru_cell(input_gates, hidden_gates, hx,
     * input_bias, hidden_bias)} without its workspace: with {@code [N, 3H]} gates r, z, n each plus its bias,
     * {@code r = sigmoid(ir + hr)}, {@code z = sigmoid(iz + hz)}, {@code n = tanh(in + r hn)}; returns
     * {@code hy = n + z (hx - n)}. Fused as {@link #fusedLstmCell}.
     */
    public static Tensor fusedGruCell(Tensor inputGates, Tensor hiddenGates, Tensor hx, Tensor inputBias, Tensor hiddenBias) {
        return RecurrentCells.gru(inputGates, hiddenGates, hx, inputBias, hiddenBias);
    }

    /**
     * The sliding windows of {@code x [N, C, H, W]} as {@code [N, C, kH * kW, OH, OW]}: element {@code (n, c, i * kW + j, y, x)}
     * is {@code x[n, c, y * stride[0] - padding[0] + i * dilation[0], x * stride[1] - padding[1] + j * dilation[1]]}, zero in
     * the padding; OH, OW floor-rounded as {@code F.unfold}, whose {@code [N, C * kH * kW, OH * OW]} matrix this is by a
     * free reshape (PyTorch's {@code aten::im2col}). Backend kernels where there are some (the CPU: float32 and
     * float64, native C threaded over batch x channels), else composed of views; differentiable ({@link #col2im}).
     */
    public static Tensor im2col(Tensor x, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        return Im2Col.im2col(x, kernelSize, dilation, padding, stride);
    }

    /**
     * The adjoint of {@link #im2col}: columns {@code [N, C, kH * kW, OH, OW]} summed into {@code [N, C, outputSize[0],
     * outputSize[1]]} at the positions im2col reads (padding taps dropped), for the grid the columns carry (it must fit
     * the padded output); {@code F.fold} after a reshape ({@code aten::col2im}). Differentiable ({@link #im2col}).
     */
    public static Tensor col2im(Tensor cols, long[] outputSize, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        return Im2Col.col2im(cols, outputSize, kernelSize, dilation, padding, stride);
    }

    /**
     * {@code torch.nn.functional.max_pool2d(x, kernelSize, stride, padding, dilation, ceilMode, return_indices=True)} of
     * {@code x [N, C, H, W]}: the maxima and their int64 flat positions in each {@code H x W} plane (first maximum in
     * window order, NaN winning). Backend kernels where there are some (the CPU: float32 and float64), else composed;
     * differentiable in the values.
     */
    public static ValuesIndices maxPool2dWithIndices(Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return MaxPool.maxPool2d(x, kernelSize, stride, padding, dilation, ceilMode);
    }

    /**
     * {@code torch.batch_norm_stats(x, eps)}: per channel (dim 1) of {@code x [N, C, ...]} over every other dim, its mean
     * and {@code invstd = 1 / sqrt(biased variance + eps)}, as the list {@code [mean, invstd]} of {@code [C]} tensors. Backend
     * kernels where there are some and no gradient is needed (the CPU: float32, float64, summed in double), else tensor ops.
     */
    public static java.util.List<Tensor> batchNormStats(Tensor x, double eps) { return BatchNormKernels.stats(x, eps); }

    /**
     * {@code torch.batch_norm_elemt(x, weight, bias, mean, invstd)}: {@code (x - mean) * invstd * weight + bias} per channel
     * (dim 1; weight and bias may be null), computed as {@code x * scale + shift}; batch norm's inference step. Backend
     * kernels where there are some and no gradient is needed, else tensor ops (differentiable).
     */
    public static Tensor batchNormElemt(Tensor x, Tensor weight, Tensor bias, Tensor mean, Tensor invstd) {
        return BatchNormKernels.elemt(x, weight, bias, mean, invstd);
    }

    /**
     * {@link #batchNormElemt(Tensor, Tensor, Tensor, Tensor, Tensor)} fused with the steps after it in a residual block:
     * {@code + residual} (same shape as {@code x}; null for none), then relu when {@code relu}. One pass of the backend's
     * kernel where it has one and nothing needs a gradient, else the separate ops; the same values either way.
     */
    public static Tensor batchNormElemt(Tensor x, Tensor weight, Tensor bias, Tensor mean, Tensor invstd, Tensor residual, boolean relu) {
        return BatchNormKernels.elemtAct(x, weight, bias, mean, invstd, residual, relu);
    }

    /**
     * {@code torch.conv2d(input, weight, bias, stride, padding, dilation, groups)} with zero padding ({@code padding} per
     * side: h, w): {@code input [N, C, H, W]}, {@code weight [O, C / groups, kH, kW]}, {@code bias [O]} or null. One op:
     * im2col + GEMM over chunks of the batch through a bounded column buffer (1x1 stride-1 straight to GEMM); its
     * backward ({@code ConvolutionBackward0}) recomputes the columns, so only the input and the weight are saved.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Convolution.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    /**
     * {@code torch.batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps)} over dim 1 of
     * {@code input [N, C, ...]} (weight, bias, running statistics {@code [C]} or null): batch statistics when
     * {@code training} or without running statistics (running ones then updated in place with factor {@code momentum}),
     * else the running ones. The backend's kernels where it has them (statistics in one pass, one fused affine, a
     * backward from the saved input and statistics), else tensor ops.
     */
    public static Tensor batchNorm(Tensor input, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, boolean training,
            double momentum, double eps) {
        return BatchNorm.batchNorm(input, weight, bias, runningMean, runningVar, training, momentum, eps);
    }

    /**
     * {@code relu(batchNorm(input, ...) + residual)} ({@code residual} null: {@code relu(batchNorm(input, ...))}): the steps
     * after a residual block's convolutions, with the values of the separate ops, as one pass where the backend has the
     * kernels (eval and training; in training one autograd node that masks the gradient inside the statistics pass).
     */
    public static Tensor batchNormAddRelu(Tensor input, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, boolean training,
            double momentum, double eps, Tensor residual) {
        return BatchNorm.batchNormAddRelu(input, weight, bias, runningMean, runningVar, training, momentum, eps, residual);
    }
}
