package dev.jtensor.nn;

import dev.jtensor.Tensor;
import java.util.function.Supplier;

/**
 * A stack of encoder layers and an optional final norm, as {@code nn.TransformerEncoder(encoder_layer, num_layers, norm)}:
 * keys {@code layers.0.*}, ..., {@code norm.*}. PyTorch deep-copies one layer, so every layer starts with the same
 * weights; here {@code layer} makes each layer and the first one's weights are copied into the others, to the
 * same effect.
 */
public final class TransformerEncoder extends Module {
    private final ModuleList layers;
    private final LayerNorm norm;

    /** {@code numLayers} layers from {@code layer}, then {@code norm} (null for none). */
    public TransformerEncoder(Supplier<TransformerEncoderLayer> layer, int numLayers, LayerNorm norm) {
        this.layers = registerModule("layers", ModuleList.clones("TransformerEncoder", layer, numLayers));
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    @Override
    public Tensor forward(Tensor src) { return forward(src, null, null); }

    /** {@code encoder(src, mask, src_key_padding_mask)}: each layer with the same masks, then the norm. */
    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask) {
        Tensor x = src;
        for (Module m : layers.children()) x = ((TransformerEncoderLayer) m).forward(x, mask, srcKeyPaddingMask);
        return norm == null ? x : norm.forward(x);
    }
}
