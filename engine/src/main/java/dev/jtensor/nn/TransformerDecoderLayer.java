package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Tensor;

/**
 * One transformer decoder block, as {@code nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward, dropout,
 * activation, layer_norm_eps, batch_first, norm_first)}: masked self-attention, attention over the encoder's
 * {@code memory}, and a feed-forward network, each with a residual connection and layer norm (post-norm by
 * default, pre-norm with {@code normFirst}). State-dict keys as PyTorch's: {@code self_attn.*},
 * {@code multihead_attn.*}, {@code linear1}, {@code linear2}, {@code norm1..3}.
 */
public final class TransformerDecoderLayer extends Module {
    private final MultiheadAttention selfAttn, multiheadAttn;
    private final Linear linear1, linear2;
    private final Dropout dropout, dropout1, dropout2, dropout3;
    private final LayerNorm norm1, norm2, norm3;
    private final boolean normFirst;
    private final String activation;

    /** PyTorch's defaults: feed-forward 2048, dropout 0.1, relu, eps 1e-5, sequence-first, post-norm. */
    public TransformerDecoderLayer(long dModel, long nhead) { this(dModel, nhead, 2048, 0.1, "relu", 1e-5, false, false); }

    public TransformerDecoderLayer(long dModel, long nhead, long dimFeedforward, double dropout, String activation, double layerNormEps,
                                   boolean batchFirst, boolean normFirst) {
        this(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, DType.FLOAT32);
    }

    /** With parameters of {@code dtype} (a floating type), as PyTorch's {@code dtype=} factory argument. */
    public TransformerDecoderLayer(long dModel, long nhead, long dimFeedforward, double dropout, String activation, double layerNormEps,
                                   boolean batchFirst, boolean normFirst, DType dtype) {
        this.activation = FeedForward.checkActivation(activation);
        this.selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, dModel, dModel, batchFirst, dtype));
        this.multiheadAttn = registerModule("multihead_attn",
                new MultiheadAttention(dModel, nhead, dropout, true, dModel, dModel, batchFirst, dtype));
        this.linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward, true, dtype));
        this.dropout = registerModule("dropout", new Dropout(dropout));
        this.linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel, true, dtype));
        this.normFirst = normFirst;
        this.norm1 = registerModule("norm1", new LayerNorm(new long[] {dModel}, layerNormEps, true, dtype));
        this.norm2 = registerModule("norm2", new LayerNorm(new long[] {dModel}, layerNormEps, true, dtype));
        this.norm3 = registerModule("norm3", new LayerNorm(new long[] {dModel}, layerNormEps, true, dtype));
        this.dropout1 = registerModule("dropout1", new Dropout(dropout));
        this.dropout2 = registerModule("dropout2", new Dropout(dropout));
        this.dropout3 = registerModule("dropout3", new Dropout(dropout));
    }

    /** A decoder layer needs the encoder's memory: call {@link #forward(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor tgt) {
        throw new UnsupportedOperationException("TransformerDecoderLayer.forward needs (tgt, memory, ...)");
    }

    /** {@code layer(tgt, memory)} without masks. */
    public Tensor forward(Tensor tgt, Tensor memory) { return forward(tgt, memory, null, null, null, null); }

    /** {@code layer(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask)}; masks may be null. */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask) {
        Tensor x = tgt;
        if (normFirst) {
            x = x.add(selfBlock(norm1.forward(x), tgtMask, tgtKeyPaddingMask));
            x = x.add(memoryBlock(norm2.forward(x), memory, memoryMask, memoryKeyPaddingMask));
            return x.add(feedForwardBlock(norm3.forward(x)));
        }
        x = norm1.forward(x.add(selfBlock(x, tgtMask, tgtKeyPaddingMask)));
        x = norm2.forward(x.add(memoryBlock(x, memory, memoryMask, memoryKeyPaddingMask)));
        return norm3.forward(x.add(feedForwardBlock(x)));
    }

    private Tensor selfBlock(Tensor x, Tensor mask, Tensor keyPaddingMask) {
        return dropout1.forward(selfAttn.forward(x, x, x, keyPaddingMask, false, mask, true).output());
    }

    private Tensor memoryBlock(Tensor x, Tensor mem, Tensor mask, Tensor keyPaddingMask) {
        return dropout2.forward(multiheadAttn.forward(x, mem, mem, keyPaddingMask, false, mask, true).output());
    }

    private Tensor feedForwardBlock(Tensor x) {
        return dropout3.forward(linear2.forward(dropout.forward(FeedForward.activate(activation, linear1.forward(x)))));
    }
}
