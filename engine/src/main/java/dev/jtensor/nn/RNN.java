package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * A multi-layer Elman network, as {@code nn.RNN(input_size, hidden_size, num_layers, nonlinearity, bias,
 * batch_first, dropout, bidirectional)}: {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)} with act tanh or relu;
 * see {@link RNNBase}.
 */
public final class RNN extends RNNBase {
    /** One layer, tanh, bias, sequence-first, no dropout, one direction. */
    public RNN(long inputSize, long hiddenSize) { this(inputSize, hiddenSize, 1, "tanh", true, false, 0.0, false); }

    /** @param nonlinearity {@code "tanh"} or {@code "relu"} */
    public RNN(long inputSize, long hiddenSize, int numLayers, String nonlinearity, boolean bias, boolean batchFirst, double dropout,
               boolean bidirectional) {
        super(mode(nonlinearity), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    private static Mode mode(String nonlinearity) {
        return switch (nonlinearity) {
            case "tanh" -> Mode.RNN_TANH;
            case "relu" -> Mode.RNN_RELU;
            default -> throw new IllegalArgumentException("Unknown nonlinearity '" + nonlinearity + "'. Select from 'tanh' or 'relu'.");
        };
    }

    /** {@code rnn(input, h0)}: output and h_n; h0 null for zeros. */
    public Result forward(Tensor input, Tensor h0) { return super.forward(input, h0, null); }
}
