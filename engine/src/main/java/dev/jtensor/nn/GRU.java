package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * A multi-layer gated recurrent unit network, as {@code nn.GRU(input_size, hidden_size, num_layers, bias,
 * batch_first, dropout, bidirectional)}; see {@link RNNBase}. Gates r, z, n as PyTorch:
 * {@code n = tanh(W_in x + b_in + r (W_hn h + b_hn))}, {@code h' = (1 - z) n + z h}.
 */
public final class GRU extends RNNBase {
    /** One layer, bias, sequence-first, no dropout, one direction. */
    public GRU(long inputSize, long hiddenSize) { this(inputSize, hiddenSize, 1, true, false, 0.0, false); }

    public GRU(long inputSize, long hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
        super(Mode.GRU, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    /** {@code gru(input, h0)}: output and h_n; h0 null for zeros. */
    public Result forward(Tensor input, Tensor h0) { return super.forward(input, h0, null); }
}
