package dev.jtensor.nn;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The multi-layer recurrent networks {@link RNN}, {@link LSTM} and {@link GRU}, as PyTorch's {@code nn.RNNBase}:
 * {@code numLayers} stacked layers, each optionally bidirectional (the reverse direction reads the sequence
 * backwards; both outputs are concatenated), dropout on the outputs of every layer but the last (training
 * only), inputs {@code [L, N, in]} or {@code [N, L, in]} with {@code batchFirst}, or unbatched {@code [L, in]}.
 *
 * <p>Parameters are PyTorch's, named {@code weight_ih_l{k}[_reverse]} {@code [gates * H, in]},
 * {@code weight_hh_l{k}[_reverse]} {@code [gates * H, H]}, {@code bias_ih_l{k}[_reverse]},
 * {@code bias_hh_l{k}[_reverse]}, in that order per layer and direction, so state dicts load both ways; all
 * drawn from {@code U(-1/sqrt(H), 1/sqrt(H))} in that order, as PyTorch. Each layer projects every time step's
 * input in one matmul, then steps through time with the hidden-to-hidden matmul and the gate arithmetic.
 */
public abstract class RNNBase extends Module {
    /** The output of every step ({@code [L, N, D * H]}, batch-first if so built), the last hidden state {@code [D * layers, N, H]}, and the LSTM's last cell state (else null). */
    public record Result(Tensor output, Tensor hN, Tensor cN) {}

    /** The cell of one kind: {@code RNN_TANH}, {@code RNN_RELU}, {@code LSTM} or {@code GRU}. */
    enum Mode {
        RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);
        final int gates;
        Mode(int gates) { this.gates = gates; }
    }

    private final Mode mode;
    private final long inputSize, hiddenSize;
    private final int numLayers, directions;
    private final boolean bias, batchFirst;
    private final double dropout;
    private final List<Tensor[]> weights = new ArrayList<>(); // per (layer, direction): w_ih, w_hh, b_ih, b_hh

    RNNBase(Mode mode, long inputSize, long hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
            throw new IllegalArgumentException("input_size, hidden_size and num_layers must be positive, got " + inputSize + ", " + hiddenSize
                    + ", " + numLayers);
        }
        if (dropout < 0 || dropout > 1) throw new IllegalArgumentException("dropout should be a number in range [0, 1], got " + dropout);
        this.mode = mode;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.directions = bidirectional ? 2 : 1;
        long gate = mode.gates * hiddenSize;
        for (int layer = 0; layer < numLayers; layer++) {
            long in = layer == 0 ? inputSize : hiddenSize * directions;
            for (int d = 0; d < directions; d++) {
                String sfx = "_l" + layer + (d == 1 ? "_reverse" : "");
                Tensor[] w = new Tensor[4];
                w[0] = registerParameter("weight_ih" + sfx, Jt.zeros(gate, in));
                w[1] = registerParameter("weight_hh" + sfx, Jt.zeros(gate, hiddenSize));
                if (bias) {
                    w[2] = registerParameter("bias_ih" + sfx, Jt.zeros(gate));
                    w[3] = registerParameter("bias_hh" + sfx, Jt.zeros(gate));
                }
                weights.add(w);
            }
        }
        double stdv = 1.0 / Math.sqrt(hiddenSize);
        for (Tensor p : parameters()) Init.uniform_(p, -stdv, stdv);
    }

    /** The output sequence of {@code forward(input, null)}. */
    @Override
    public Tensor forward(Tensor input) { return forward(input, null, null).output(); }

    /**
     * Runs the network over {@code input} from the initial hidden state {@code h0} ({@code [D * layers, N, H]}, or
     * {@code [D * layers, H]} unbatched; null for zeros) and, for the LSTM, cell state {@code c0} (same shape).
     */
    Result forward(Tensor input, Tensor h0, Tensor c0) {
        boolean unbatched = input.dim() == 2;
        if (input.dim() != 2 && input.dim() != 3 || input.size(-1) != inputSize) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected input [L, N, " + inputSize + "]"
                    + (batchFirst ? " (batch first: [N, L, " + inputSize + "])" : "") + " or unbatched [L, " + inputSize + "], got " + input.shape());
        }
        Tensor x = unbatched ? input.unsqueeze(1) : batchFirst ? input.transpose(0, 1) : input;
        long n = x.size(1);
        Tensor h = initial(h0, unbatched, n, "h0"), c = mode == Mode.LSTM ? initial(c0, unbatched, n, "c0") : null;
        List<Tensor> hN = new ArrayList<>(), cN = new ArrayList<>();
        for (int layer = 0; layer < numLayers; layer++) {
            List<Tensor> outs = new ArrayList<>();
            for (int d = 0; d < directions; d++) {
                int k = layer * directions + d;
                Tensor[] st = runDirection(x, weights.get(k), h.get(k), c == null ? null : c.get(k), d == 1);
                outs.add(st[0]);
                hN.add(st[1]);
                if (c != null) cN.add(st[2]);
            }
            x = directions == 1 ? outs.get(0) : Jt.cat(outs, 2);
            if (dropout > 0 && isTraining() && layer < numLayers - 1) x = F.dropout(x, dropout, true);
        }
        Tensor hn = Jt.stack(hN, 0), cn = c == null ? null : Jt.stack(cN, 0);
        if (unbatched) return new Result(x.squeeze(1), hn.squeeze(1), cn == null ? null : cn.squeeze(1));
        return new Result(batchFirst ? x.transpose(0, 1) : x, hn, cn);
    }

    private Tensor initial(Tensor s, boolean unbatched, long n, String name) {
        long[] shape = {(long) numLayers * directions, n, hiddenSize};
        if (s == null) return Jt.zeros(shape, weights.get(0)[0].dtype(), weights.get(0)[0].device());
        Tensor t = unbatched ? s.unsqueeze(1) : s;
        if (!java.util.Arrays.equals(t.shape().toArray(), shape)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected " + name + " of shape " + java.util.Arrays.toString(shape)
                    + (unbatched ? " without the batch dim" : "") + ", got " + s.shape());
        }
        return t;
    }

    /** One layer in one direction over {@code x [L, N, in]}: {outputs [L, N, H], last h, last c}. */
    private Tensor[] runDirection(Tensor x, Tensor[] w, Tensor h, Tensor c, boolean reverse) {
        long len = x.size(0);
        Tensor projected = F.linear(x, w[0], w[2]); // every step's input projection in one matmul
        Tensor[] steps = new Tensor[(int) len];
        for (long i = 0; i < len; i++) {
            long t = reverse ? len - 1 - i : i;
            Tensor[] hc = cell(mode, projected.select(0, t), h, c, w[1], w[3]);
            h = hc[0];
            c = hc[1];
            steps[(int) t] = h;
        }
        Tensor out = len == 0 ? Jt.zeros(new long[] {0, x.size(1), hiddenSize}, x.dtype(), x.device()) : Jt.stack(List.of(steps), 0);
        return new Tensor[] {out, h, c};
    }

    /**
     * One step of a cell from the input projection {@code gi = W_ih x + b_ih}: PyTorch's gate order and formulas
     * (LSTM i, f, g, o: {@code c' = f c + i g}, {@code h' = o tanh(c')}; GRU r, z, n:
     * {@code n = tanh(gi_n + r (W_hn h + b_hn))}, {@code h' = (1 - z) n + z h}; RNN {@code h' = act(gi + W_hh h + b_hh)}).
     * The LSTM and GRU gate arithmetic is one fused op ({@link Jt#fusedLstmCell}, {@link Jt#fusedGruCell}): one kernel
     * and one autograd node per step.
     */
    static Tensor[] cell(Mode mode, Tensor gi, Tensor h, Tensor c, Tensor wHh, Tensor bHh) {
        return switch (mode) {
            case RNN_TANH -> new Tensor[] {gi.add(F.linear(h, wHh, bHh)).tanh(), null};
            case RNN_RELU -> new Tensor[] {gi.add(F.linear(h, wHh, bHh)).relu(), null};
            case LSTM -> Jt.fusedLstmCell(gi, h.matmul(wHh.t()), c, null, bHh).toArray(new Tensor[0]);
            case GRU -> new Tensor[] {Jt.fusedGruCell(gi, h.matmul(wHh.t()), h, null, bHh), null};
        };
    }

    public long inputSize() { return inputSize; }

    public long hiddenSize() { return hiddenSize; }

    public int numLayers() { return numLayers; }

    public boolean bidirectional() { return directions == 2; }

    /** The parameters of one layer and direction: weight_ih, weight_hh, bias_ih, bias_hh (biases null without bias). */
    public List<Tensor> layerWeights(int layer, boolean reverse) {
        return Collections.unmodifiableList(java.util.Arrays.asList(weights.get(layer * directions + (reverse ? 1 : 0))));
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (numLayers != 1 ? ", num_layers=" + numLayers : "") + (!bias ? ", bias=False" : "")
                + (batchFirst ? ", batch_first=True" : "") + (dropout != 0 ? ", dropout=" + dropout : "") + (directions == 2 ? ", bidirectional=True" : "");
    }
}
