package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;

/**
 * The encoder-decoder transformer, as {@code nn.Transformer(d_model, nhead, num_encoder_layers, num_decoder_layers,
 * dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first)}: a {@link TransformerEncoder} with a
 * final norm over {@code src}, then a {@link TransformerDecoder} with a final norm over {@code tgt} attending to the
 * encoder's output. State-dict keys as PyTorch's ({@code encoder.layers.0.self_attn.in_proj_weight}, ...,
 * {@code encoder.norm.weight}, {@code decoder.layers.0.multihead_attn.*}, ..., {@code decoder.norm.bias}), so its
 * state dicts load. Every parameter of two or more dimensions starts Xavier-uniform, as PyTorch's
 * {@code _reset_parameters}.
 */
public final class Transformer extends Module {
    private final TransformerEncoder encoder;
    private final TransformerDecoder decoder;
    private final long dModel;
    private final boolean batchFirst;

    /** PyTorch's defaults: d_model 512, 8 heads, 6 + 6 layers, feed-forward 2048, dropout 0.1, relu, sequence-first, post-norm. */
    public Transformer() { this(512, 8, 6, 6, 2048, 0.1, "relu", 1e-5, false, false); }

    /**
     * @param activation {@code "relu"} or {@code "gelu"}
     * @throws IllegalArgumentException for another activation, no layers, or {@code dModel} not divisible by {@code nhead}
     */
    public Transformer(long dModel, long nhead, int numEncoderLayers, int numDecoderLayers, long dimFeedforward, double dropout,
                       String activation, double layerNormEps, boolean batchFirst, boolean normFirst) {
        this.dModel = dModel;
        this.batchFirst = batchFirst;
        this.encoder = registerModule("encoder", new TransformerEncoder(
                () -> new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst),
                numEncoderLayers, new LayerNorm(new long[] {dModel}, layerNormEps, true)));
        this.decoder = registerModule("decoder", new TransformerDecoder(
                () -> new TransformerDecoderLayer(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst),
                numDecoderLayers, new LayerNorm(new long[] {dModel}, layerNormEps, true)));
        for (Tensor p : parameters()) if (p.dim() > 1) Init.xavierUniform_(p, 1.0);
    }

    /** A transformer needs a target too: call {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor src) {
        throw new UnsupportedOperationException("Transformer.forward needs (src, tgt, ...)");
    }

    /** {@code transformer(src, tgt)} without masks. */
    public Tensor forward(Tensor src, Tensor tgt) { return forward(src, tgt, null, null, null, null, null, null); }

    /**
     * {@code transformer(src, tgt, src_mask, tgt_mask, memory_mask, src_key_padding_mask, tgt_key_padding_mask,
     * memory_key_padding_mask)}; masks as {@link MultiheadAttention}'s, any may be null.
     *
     * @throws IllegalArgumentException when src and tgt have different batch sizes or a feature size other than {@code dModel}
     */
    public Tensor forward(Tensor src, Tensor tgt, Tensor srcMask, Tensor tgtMask, Tensor memoryMask, Tensor srcKeyPaddingMask,
                          Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask) {
        int batchDim = batchFirst ? 0 : 1;
        if (src.dim() == 3 && tgt.dim() == 3 && src.size(batchDim) != tgt.size(batchDim)) {
            throw new IllegalArgumentException("the batch number of src and tgt must be equal (src " + src.shape() + ", tgt " + tgt.shape()
                    + (batchFirst ? ", batch first)" : ", sequence first)"));
        }
        if (src.size(-1) != dModel || tgt.size(-1) != dModel) {
            throw new IllegalArgumentException("the feature number of src and tgt must be equal to d_model " + dModel + " (src "
                    + src.shape() + ", tgt " + tgt.shape() + ")");
        }
        Tensor memory = encoder.forward(src, srcMask, srcKeyPaddingMask);
        return decoder.forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
    }

    /** {@code nn.Transformer.generate_square_subsequent_mask(sz)}: a float32 {@code [sz, sz]} mask, -inf above the diagonal, 0 elsewhere. */
    public static Tensor generateSquareSubsequentMask(long sz) {
        if (sz < 0) throw new IllegalArgumentException("mask size must be non-negative, got " + sz);
        return Jt.full(new long[] {sz, sz}, Double.NEGATIVE_INFINITY, DType.FLOAT32).triu(1);
    }

    public TransformerEncoder encoder() { return encoder; }

    public TransformerDecoder decoder() { return decoder; }
}
