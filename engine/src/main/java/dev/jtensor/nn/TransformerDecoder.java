package dev.jtensor.nn;

import dev.jtensor.Tensor;
import java.util.List;
import java.util.function.Supplier;

/**
 * A stack of decoder layers and an optional final norm, as {@code nn.TransformerDecoder(decoder_layer, num_layers, norm)}:
 * keys {@code layers.0.*}, ..., {@code norm.*}. PyTorch deep-copies one layer, so every layer starts with the same
 * weights; here {@code layer} makes each layer and the first one's weights are copied into the others, to the
 * same effect (as {@link TransformerEncoder}).
 */
public final class TransformerDecoder extends Module {
    private final ModuleList layers;
    private final LayerNorm norm;

    /** {@code numLayers} layers from {@code layer}, then {@code norm} (null for none). */
    public TransformerDecoder(Supplier<TransformerDecoderLayer> layer, int numLayers, LayerNorm norm) {
        this.layers = registerModule("layers", ModuleList.clones("TransformerDecoder", layer, numLayers));
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    /** A decoder needs the encoder's memory: call {@link #forward(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor tgt) {
        throw new UnsupportedOperationException("TransformerDecoder.forward needs (tgt, memory, ...)");
    }

    /** {@code decoder(tgt, memory)} without masks. */
    public Tensor forward(Tensor tgt, Tensor memory) { return forward(tgt, memory, null, null, null, null); }

    /**
     * {@code decoder(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask)}: each layer with
     * the same masks (any may be null), then the norm.
     */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask) {
        Tensor x = tgt;
        for (Module m : layers.children()) {
            x = ((TransformerDecoderLayer) m).forward(x, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
        }
        return norm == null ? x : norm.forward(x);
    }

    /** The layers, in order. */
    public List<Module> layers() { return layers.children(); }
}
