package dev.jtensor.nn;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;

/**
 * One GRU step, as {@code nn.GRUCell(input_size, hidden_size, bias)}: parameters {@code weight_ih [3H, in]},
 * {@code weight_hh [3H, H]}, {@code bias_ih}, {@code bias_hh}; gates as {@link GRU}.
 */
public final class GRUCell extends Module {
    private final Tensor weightIh, weightHh, biasIh, biasHh;
    private final long hiddenSize;

    public GRUCell(long inputSize, long hiddenSize) { this(inputSize, hiddenSize, true); }

    public GRUCell(long inputSize, long hiddenSize, boolean bias) {
        this.hiddenSize = hiddenSize;
        weightIh = registerParameter("weight_ih", Jt.zeros(3 * hiddenSize, inputSize));
        weightHh = registerParameter("weight_hh", Jt.zeros(3 * hiddenSize, hiddenSize));
        biasIh = bias ? registerParameter("bias_ih", Jt.zeros(3 * hiddenSize)) : null;
        biasHh = bias ? registerParameter("bias_hh", Jt.zeros(3 * hiddenSize)) : null;
        double stdv = 1.0 / Math.sqrt(hiddenSize);
        for (Tensor p : parameters()) Init.uniform_(p, -stdv, stdv);
    }

    /** The next hidden state from a zero state. */
    @Override
    public Tensor forward(Tensor input) { return forward(input, null); }

    /** {@code cell(input, h)}: the next hidden state; h null for zeros. */
    public Tensor forward(Tensor input, Tensor h) {
        boolean unbatched = input.dim() == 1;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        Tensor h0 = h == null ? Jt.zeros(new long[] {x.size(0), hiddenSize}, x.dtype(), x.device()) : unbatched ? h.unsqueeze(0) : h;
        Tensor next = Jt.fusedGruCell(x.matmul(weightIh.t()), h0.matmul(weightHh.t()), h0, biasIh, biasHh);
        return unbatched ? next.squeeze(0) : next;
    }
}
