package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;

/**
 * Multi-head attention, as {@code nn.MultiheadAttention(embedDim, numHeads, dropout, bias, kdim, vdim, batchFirst)}:
 * {@code out_proj(concat_h softmax(q_h k_h^T / sqrt(d) + mask) v_h)} with {@code q = query W_q^T + b_q} etc.
 *
 * <p>State-dict keys are PyTorch's: {@code in_proj_weight [3E, E]} and {@code in_proj_bias [3E]} when key and
 * value have the embedding size, else {@code q_proj_weight}, {@code k_proj_weight [E, kdim]},
 * {@code v_proj_weight [E, vdim]} (and {@code in_proj_bias}); then {@code out_proj.weight}, {@code out_proj.bias}.
 * Initialised as PyTorch (out_proj drawn as a Linear, then xavier-uniform projections, zero biases) from the
 * default generator.
 *
 * <p>Masks follow {@code nn.MultiheadAttention}, not SDPA: a bool {@code attnMask} or {@code keyPaddingMask} is
 * true where attention is <em>not</em> allowed; float masks are added to the scores. {@code attnMask} is
 * {@code [L, S]} or {@code [N * numHeads, L, S]}; {@code keyPaddingMask} is {@code [N, S]}.
 */
public final class MultiheadAttention extends Module {
    /** The attention output ({@code [N, L, E]} batch-first, else {@code [L, N, E]}) and the weights (null unless asked). */
    public record Result(Tensor output, Tensor weights) {}

    private final long embedDim, numHeads, headDim, kdim, vdim;
    private final double dropout;
    private final boolean batchFirst;
    private final Tensor inProjWeight, qProjWeight, kProjWeight, vProjWeight, inProjBias;
    private final Linear outProj;

    /** {@code nn.MultiheadAttention(embedDim, numHeads)}: no dropout, biases, sequence-first. */
    public MultiheadAttention(long embedDim, long numHeads) { this(embedDim, numHeads, 0.0, true, embedDim, embedDim, false); }

    /** With {@code batchFirst} chosen. */
    public MultiheadAttention(long embedDim, long numHeads, boolean batchFirst) {
        this(embedDim, numHeads, 0.0, true, embedDim, embedDim, batchFirst);
    }

    public MultiheadAttention(long embedDim, long numHeads, double dropout, boolean bias, long kdim, long vdim, boolean batchFirst) {
        this(embedDim, numHeads, dropout, bias, kdim, vdim, batchFirst, DType.FLOAT32);
    }

    /** With parameters of {@code dtype} (a floating type), as PyTorch's {@code dtype=} factory argument. */
    public MultiheadAttention(long embedDim, long numHeads, double dropout, boolean bias, long kdim, long vdim, boolean batchFirst,
                              DType dtype) {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("embed_dim (" + embedDim + ") must be divisible by num_heads (" + numHeads + "), both positive");
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.headDim = embedDim / numHeads;
        this.kdim = kdim;
        this.vdim = vdim;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        boolean packed = kdim == embedDim && vdim == embedDim;
        inProjWeight = packed ? registerParameter("in_proj_weight", Jt.zeros(new long[] {3 * embedDim, embedDim}, dtype)) : null;
        qProjWeight = packed ? null : registerParameter("q_proj_weight", Jt.zeros(new long[] {embedDim, embedDim}, dtype));
        kProjWeight = packed ? null : registerParameter("k_proj_weight", Jt.zeros(new long[] {embedDim, kdim}, dtype));
        vProjWeight = packed ? null : registerParameter("v_proj_weight", Jt.zeros(new long[] {embedDim, vdim}, dtype));
        inProjBias = bias ? registerParameter("in_proj_bias", Jt.zeros(new long[] {3 * embedDim}, dtype)) : null;
        outProj = registerModule("out_proj", new Linear(embedDim, embedDim, bias, dtype));
        if (packed) {
            Init.xavierUniform_(inProjWeight, 1.0);
        } else {
            Init.xavierUniform_(qProjWeight, 1.0);
            Init.xavierUniform_(kProjWeight, 1.0);
            Init.xavierUniform_(vProjWeight, 1.0);
        }
        if (bias) {
            Init.zeros_(inProjBias);
            Init.zeros_(outProj.bias());
        }
    }

    /** Self-attention {@code attn(x, x, x)} without masks; the output only. */
    @Override
    public Tensor forward(Tensor x) { return forward(x, x, x, null, false, null, true).output(); }

    /**
     * {@code mha(query, key, value, key_padding_mask, need_weights, attn_mask, average_attn_weights)}. Inputs are
     * {@code [N, L, E]} with batchFirst, else {@code [L, N, E]}, or unbatched {@code [L, E]}. The weights, when
     * {@code needWeights}, are {@code [N, L, S]} averaged over heads, or {@code [N, numHeads, L, S]}.
     */
    public Result forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights, Tensor attnMask,
                          boolean averageAttnWeights) {
        boolean unbatched = query.dim() == 2;
        if (unbatched) {
            query = query.unsqueeze(0);
            key = key.unsqueeze(0);
            value = value.unsqueeze(0);
            if (keyPaddingMask != null) keyPaddingMask = keyPaddingMask.unsqueeze(0);
        } else if (!batchFirst) {
            query = query.transpose(0, 1);
            key = key.transpose(0, 1);
            value = value.transpose(0, 1);
        }
        checkShapes(query, key, value);
        long n = query.size(0), l = query.size(1), s = key.size(1);
        Tensor q = heads(F.linear(query, weight(0, qProjWeight), bias(0)), n, l);
        Tensor k = heads(F.linear(key, weight(1, kProjWeight), bias(1)), n, s);
        Tensor v = heads(F.linear(value, weight(2, vProjWeight), bias(2)), n, s);
        Tensor mask = additiveMask(attnMask, keyPaddingMask, n, l, s, q.dtype());
        double p = isTraining() ? dropout : 0.0;
        Tensor attn, weights = null;
        if (needWeights) {
            Tensor scores = q.mul(1 / Math.sqrt(headDim)).matmul(k.transpose(-2, -1));
            if (mask != null) scores = scores.add(mask);
            weights = scores.softmax(-1);
            attn = F.dropout(weights, p, p > 0).matmul(v);
            if (averageAttnWeights) weights = weights.mean(1);
        } else {
            attn = F.scaledDotProductAttention(q, k, v, mask, p, false, null, false);
        }
        Tensor out = outProj.forward(attn.transpose(1, 2).reshape(n, l, embedDim));
        if (unbatched) return new Result(out.squeeze(0), weights == null ? null : weights.squeeze(0));
        return new Result(batchFirst ? out : out.transpose(0, 1), weights);
    }

    private void checkShapes(Tensor q, Tensor k, Tensor v) {
        if (q.dim() != 3 || k.dim() != 3 || v.dim() != 3 || q.size(2) != embedDim || k.size(2) != kdim || v.size(2) != vdim
                || k.size(1) != v.size(1) || q.size(0) != k.size(0) || k.size(0) != v.size(0)) {
            throw new IllegalArgumentException("MultiheadAttention: expected query/key/value of embed/k/v dims " + embedDim + "/" + kdim + "/"
                    + vdim + " with matching batch and key/value lengths, got " + q.shape() + ", " + k.shape() + ", " + v.shape()
                    + (batchFirst ? " (batch first)" : " (as [N, L, E] after the sequence-first transpose)"));
        }
    }

    private Tensor weight(int i, Tensor separate) {
        return inProjWeight != null ? inProjWeight.narrow(0, i * embedDim, embedDim) : separate;
    }

    private Tensor bias(int i) { return inProjBias == null ? null : inProjBias.narrow(0, i * embedDim, embedDim); }

    /** {@code [N, T, E] -> [N, H, T, D]}. */
    private Tensor heads(Tensor x, long n, long t) { return x.view(n, t, numHeads, headDim).transpose(1, 2); }

    /** attn_mask and key_padding_mask merged into one additive mask broadcastable to {@code [N, H, L, S]} (null if neither). */
    private Tensor additiveMask(Tensor attnMask, Tensor keyPaddingMask, long n, long l, long s, DType dtype) {
        Tensor mask = null;
        if (attnMask != null) {
            if (attnMask.dim() == 3) {
                if (attnMask.size(0) != n * numHeads) {
                    throw new IllegalArgumentException("MultiheadAttention: 3-d attn_mask must be [N * num_heads, L, S] = [" + n * numHeads
                            + ", " + l + ", " + s + "], got " + attnMask.shape());
                }
                attnMask = attnMask.view(n, numHeads, l, s);
            } else if (attnMask.dim() != 2 || attnMask.size(0) != l || attnMask.size(1) != s) {
                throw new IllegalArgumentException("MultiheadAttention: 2-d attn_mask must be [L, S] = [" + l + ", " + s + "], got " + attnMask.shape());
            }
            mask = additive(attnMask, dtype);
        }
        if (keyPaddingMask != null) {
            if (keyPaddingMask.dim() != 2 || keyPaddingMask.size(0) != n || keyPaddingMask.size(1) != s) {
                throw new IllegalArgumentException("MultiheadAttention: key_padding_mask must be [N, S] = [" + n + ", " + s + "], got "
                        + keyPaddingMask.shape());
            }
            Tensor kpm = additive(keyPaddingMask, dtype).view(n, 1, 1, s);
            mask = mask == null ? kpm : mask.add(kpm);
        }
        return mask;
    }

    /** A bool mask (true = masked) as 0 / -inf of {@code dtype}; a float mask as is. */
    static Tensor additive(Tensor mask, DType dtype) {
        if (mask.dtype() != DType.BOOL) return mask.to(dtype);
        return Jt.zeros(mask.shape().toArray(), dtype, mask.device()).maskedFill(mask, Double.NEGATIVE_INFINITY);
    }

    public Tensor inProjWeight() { return inProjWeight; }

    public Tensor inProjBias() { return inProjBias; }

    public Linear outProj() { return outProj; }

    public boolean batchFirst() { return batchFirst; }

    @Override
    protected String extraRepr() { return ""; }
}
