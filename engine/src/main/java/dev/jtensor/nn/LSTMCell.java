package dev.jtensor.nn;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;

/**
 * One LSTM step, as {@code nn.LSTMCell(input_size, hidden_size, bias)}: parameters {@code weight_ih [4H, in]},
 * {@code weight_hh [4H, H]}, {@code bias_ih}, {@code bias_hh}, drawn from {@code U(-1/sqrt(H), 1/sqrt(H))}; gates
 * as {@link LSTM}. Inputs {@code [N, in]} or unbatched {@code [in]}.
 */
public final class LSTMCell extends Module {
    /** The next hidden and cell states. */
    public record State(Tensor h, Tensor c) {}

    private final Tensor weightIh, weightHh, biasIh, biasHh;
    private final long hiddenSize;

    public LSTMCell(long inputSize, long hiddenSize) { this(inputSize, hiddenSize, true); }

    public LSTMCell(long inputSize, long hiddenSize, boolean bias) {
        this.hiddenSize = hiddenSize;
        weightIh = registerParameter("weight_ih", Jt.zeros(4 * hiddenSize, inputSize));
        weightHh = registerParameter("weight_hh", Jt.zeros(4 * hiddenSize, hiddenSize));
        biasIh = bias ? registerParameter("bias_ih", Jt.zeros(4 * hiddenSize)) : null;
        biasHh = bias ? registerParameter("bias_hh", Jt.zeros(4 * hiddenSize)) : null;
        double stdv = 1.0 / Math.sqrt(hiddenSize);
        for (Tensor p : parameters()) Init.uniform_(p, -stdv, stdv);
    }

    /** The next hidden state from zero states. */
    @Override
    public Tensor forward(Tensor input) { return forward(input, null, null).h(); }

    /** {@code cell(input, (h, c))}; h and c null for zeros. */
    public State forward(Tensor input, Tensor h, Tensor c) {
        boolean unbatched = input.dim() == 1;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        long[] shape = {x.size(0), hiddenSize};
        Tensor h0 = h == null ? Jt.zeros(shape, x.dtype(), x.device()) : unbatched ? h.unsqueeze(0) : h;
        Tensor c0 = c == null ? Jt.zeros(shape, x.dtype(), x.device()) : unbatched ? c.unsqueeze(0) : c;
        java.util.List<Tensor> hc = Jt.fusedLstmCell(x.matmul(weightIh.t()), h0.matmul(weightHh.t()), c0, biasIh, biasHh);
        return unbatched ? new State(hc.get(0).squeeze(0), hc.get(1).squeeze(0)) : new State(hc.get(0), hc.get(1));
    }
}
