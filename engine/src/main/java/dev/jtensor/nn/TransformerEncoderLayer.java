package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Tensor;

/**
 * One transformer encoder block, as {@code nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout,
 * activation, layer_norm_eps, batch_first, norm_first)}: self-attention then a two-layer feed-forward network,
 * each with a residual connection and layer norm, after the sum ({@code normFirst} false, the default) or
 * before the block ({@code normFirst} true, "pre-norm"). Sub-module names, hence state-dict keys, are PyTorch's:
 * {@code self_attn.*}, {@code linear1}, {@code linear2}, {@code norm1}, {@code norm2}.
 */
public final class TransformerEncoderLayer extends Module {
    private final MultiheadAttention selfAttn;
    private final Linear linear1, linear2;
    private final Dropout dropout, dropout1, dropout2;
    private final LayerNorm norm1, norm2;
    private final boolean normFirst;
    private final String activation;

    /** PyTorch's defaults: feed-forward 2048, dropout 0.1, relu, eps 1e-5, sequence-first, post-norm. */
    public TransformerEncoderLayer(long dModel, long nhead) { this(dModel, nhead, 2048, 0.1, "relu", 1e-5, false, false); }

    /**
     * @param activation {@code "relu"} or {@code "gelu"} (exact)
     * @throws IllegalArgumentException for another activation
     */
    public TransformerEncoderLayer(long dModel, long nhead, long dimFeedforward, double dropout, String activation, double layerNormEps,
                                   boolean batchFirst, boolean normFirst) {
        this(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, DType.FLOAT32);
    }

    /** With parameters of {@code dtype} (a floating type), as PyTorch's {@code dtype=} factory argument. */
    public TransformerEncoderLayer(long dModel, long nhead, long dimFeedforward, double dropout, String activation, double layerNormEps,
                                   boolean batchFirst, boolean normFirst, DType dtype) {
        this.activation = FeedForward.checkActivation(activation);
        this.selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, dModel, dModel, batchFirst, dtype));
        this.linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward, true, dtype));
        this.dropout = registerModule("dropout", new Dropout(dropout));
        this.linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel, true, dtype));
        this.normFirst = normFirst;
        this.norm1 = registerModule("norm1", new LayerNorm(new long[] {dModel}, layerNormEps, true, dtype));
        this.norm2 = registerModule("norm2", new LayerNorm(new long[] {dModel}, layerNormEps, true, dtype));
        this.dropout1 = registerModule("dropout1", new Dropout(dropout));
        this.dropout2 = registerModule("dropout2", new Dropout(dropout));
    }

    @Override
    public Tensor forward(Tensor src) { return forward(src, null, null); }

    /**
     * {@code layer(src, src_mask, src_key_padding_mask)}; masks as {@link MultiheadAttention}'s (bool true = masked,
     * or additive floats), either may be null.
     */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        Tensor x = src;
        if (normFirst) {
            x = x.add(selfAttentionBlock(norm1.forward(x), srcMask, srcKeyPaddingMask));
            return x.add(feedForwardBlock(norm2.forward(x)));
        }
        x = norm1.forward(x.add(selfAttentionBlock(x, srcMask, srcKeyPaddingMask)));
        return norm2.forward(x.add(feedForwardBlock(x)));
    }

    private Tensor selfAttentionBlock(Tensor x, Tensor mask, Tensor keyPaddingMask) {
        return dropout1.forward(selfAttn.forward(x, x, x, keyPaddingMask, false, mask, true).output());
    }

    private Tensor feedForwardBlock(Tensor x) {
        return dropout2.forward(linear2.forward(dropout.forward(FeedForward.activate(activation, linear1.forward(x)))));
    }

    public MultiheadAttention selfAttn() { return selfAttn; }
}
