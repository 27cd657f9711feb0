package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * A multi-layer long short-term memory network, as {@code nn.LSTM(input_size, hidden_size, num_layers, bias,
 * batch_first, dropout, bidirectional)}; see {@link RNNBase} for shapes and parameter names. Gates in PyTorch's
 * order i, f, g, o: {@code c' = sigmoid(f) c + sigmoid(i) tanh(g)}, {@code h' = sigmoid(o) tanh(c')}.
 */
public final class LSTM extends RNNBase {
    /** One layer, bias, sequence-first, no dropout, one direction. */
    public LSTM(long inputSize, long hiddenSize) { this(inputSize, hiddenSize, 1, true, false, 0.0, false); }

    public LSTM(long inputSize, long hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
        super(Mode.LSTM, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    /** {@code lstm(input, (h0, c0))}: output, {@code (h_n, c_n)}; h0 and c0 both null for zeros. */
    public Result forward(Tensor input, Tensor h0, Tensor c0) {
        if ((h0 == null) != (c0 == null)) throw new IllegalArgumentException("LSTM: give both h0 and c0, or neither");
        return super.forward(input, h0, c0);
    }
}
