package dev.jtensor.internal.ops;

import static dev.jtensor.internal.ops.Dispatch.operand;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.BackwardRule;
import dev.jtensor.backend.Backend;
import dev.jtensor.backend.Buffer;
import dev.jtensor.backend.Operand;
import dev.jtensor.internal.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pointwise part of one LSTM or GRU step, as PyTorch's {@code _thnn_fused_lstm_cell} and {@code _thnn_fused_gru_cell}:
 * from the gate pre-activations of the two matrix products ({@code igates = x W_ih^T}, {@code hgates = h W_hh^T}, each
 * {@code [N, G * H]} in PyTorch's gate order) and the optional biases {@code [G * H]}. The backend's fused kernel where
 * it has one for the dtype (the CPU: every floating type, {@code native/cpu/rnn.c} for float32/float64; CUDA: float32
 * and float64, {@code native/cuda/rnn.cu}), one autograd node per step ({@code ThnnFusedLstmCellBackward0},
 * {@code ThnnFusedGruCellBackward0}) whose backward is one kernel too; else the composite of elementwise ops, which is
 * also the fused path's test oracle. {@code -Djtensor.fusedRnn=false} turns the fused path off. The fused backward is
 * first order only (its kernel is not differentiable again); with {@code createGraph} use the composite.
 */
public final class RecurrentCells {
    private RecurrentCells() {}

    private static final boolean FUSED = !"false".equalsIgnoreCase(System.getProperty("jtensor.fusedRnn", "true"));

    /**
     * {@code (hy, cy)} of an LSTM step: gates {@code a = igates + hgates (+ biasIh) (+ biasHh)} split as i, f, g, o;
     * {@code cy = sigmoid(f) cx + sigmoid(i) tanh(g)}, {@code hy = sigmoid(o) tanh(cy)}; both {@code [N, H]}.
     *
     * @throws IllegalArgumentException for shapes other than {@code [N, 4H]}, {@code [N, 4H]}, {@code [N, H]}, {@code [4H]}, or mixed dtypes
     */
    public static List<Tensor> lstm(Tensor igates, Tensor hgates, Tensor cx, Tensor biasIh, Tensor biasHh) {
        check("_thnn_fused_lstm_cell", 4, igates, hgates, cx, biasIh, biasHh);
        if (FUSED && fusable(igates)) return fusedLstm(igates, hgates, cx, biasIh, biasHh);
        return compositeLstm(igates, hgates, cx, biasIh, biasHh);
    }

    /**
     * {@code hy} of a GRU step: {@code r = sigmoid(ir + hr)}, {@code z = sigmoid(iz + hz)}, {@code n = tanh(in + r hn)},
     * {@code hy = n + z (hx - n)}, where {@code ir ... in} are igates' chunks plus biasIh's and {@code hr ... hn}
     * hgates' plus biasHh's ({@code hn} keeps its bias inside the product with r, as PyTorch).
     *
     * @throws IllegalArgumentException for shapes other than {@code [N, 3H]}, {@code [N, 3H]}, {@code [N, H]}, {@code [3H]}, or mixed dtypes
     */
    public static Tensor gru(Tensor igates, Tensor hgates, Tensor hx, Tensor biasIh, Tensor biasHh) {
        check("_thnn_fused_gru_cell", 3, igates, hgates, hx, biasIh, biasHh);
        if (FUSED && fusable(igates)) return fusedGru(igates, hgates, hx, biasIh, biasHh);
        return compositeGru(igates, hgates, hx, biasIh, biasHh);
    }

    /** The LSTM step in elementwise ops (differentiable to any order). */
    public static List<Tensor> compositeLstm(Tensor igates, Tensor hgates, Tensor cx, Tensor biasIh, Tensor biasHh) {
        Tensor a = igates.add(hgates);
        if (biasIh != null) a = a.add(biasIh);
        if (biasHh != null) a = a.add(biasHh);
        List<Tensor> g = a.chunk(4, -1);
        Tensor cy = g.get(1).sigmoid().mul(cx).add(g.get(0).sigmoid().mul(g.get(2).tanh()));
        return List.of(g.get(3).sigmoid().mul(cy.tanh()), cy);
    }

    /** The GRU step in elementwise ops (differentiable to any order). */
    public static Tensor compositeGru(Tensor igates, Tensor hgates, Tensor hx, Tensor biasIh, Tensor biasHh) {
        List<Tensor> a = (biasIh == null ? igates : igates.add(biasIh)).chunk(3, -1);
        List<Tensor> b = (biasHh == null ? hgates : hgates.add(biasHh)).chunk(3, -1);
        Tensor r = a.get(0).add(b.get(0)).sigmoid(), z = a.get(1).add(b.get(1)).sigmoid();
        Tensor n = a.get(2).add(r.mul(b.get(2))).tanh();
        return n.add(z.mul(hx.sub(n)));
    }

    private static void check(String op, int gates, Tensor igates, Tensor hgates, Tensor state, Tensor biasIh, Tensor biasHh) {
        boolean ok = igates.dim() == 2 && state.dim() == 2 && igates.shape().equals(hgates.shape()) && igates.size(0) == state.size(0)
                && igates.size(1) == gates * state.size(1);
        for (Tensor b : new Tensor[] {biasIh, biasHh}) ok &= b == null || (b.dim() == 1 && b.size(0) == igates.size(1));
        if (!ok) {
            throw new IllegalArgumentException(op + ": expected input gates and hidden gates [N, " + gates + "H], state [N, H] and biases ["
                    + gates + "H], got " + igates.shape() + ", " + hgates.shape() + ", " + state.shape()
                    + (biasIh == null ? "" : ", " + biasIh.shape()) + (biasHh == null ? "" : ", " + biasHh.shape()));
        }
        DType t = igates.dtype();
        boolean same = t.isFloatingPoint() && hgates.dtype() == t && state.dtype() == t && (biasIh == null || biasIh.dtype() == t)
                && (biasHh == null || biasHh.dtype() == t);
        if (!same) {
            throw new IllegalArgumentException(op + ": expected every operand of one floating dtype, got " + t + ", " + hgates.dtype() + ", "
                    + state.dtype() + (biasIh == null ? "" : ", " + biasIh.dtype()) + (biasHh == null ? "" : ", " + biasHh.dtype()));
        }
    }

    private static boolean fusable(Tensor igates) {
        return igates.numel() > 0 && Backend.of(igates.device()).hasRnnCellKernels(igates.dtype());
    }

    private static List<Tensor> fusedLstm(Tensor igates, Tensor hgates, Tensor cx, Tensor biasIh, Tensor biasHh) {
        DType t = igates.dtype();
        long n = cx.size(0), h = cx.size(1);
        Tensor ig = flat(igates), hg = flat(hgates), c = flat(cx), bi = biasIh == null ? null : flat(biasIh), bh = biasHh == null ? null : flat(biasHh);
        Tensor packed = Tensors.empty(t, new long[] {2, n, h}, cx.device()), ws = Tensors.empty(t, new long[] {n, 4 * h}, cx.device());
        Reads in = new Reads(ig, hg, c, bi, bh);
        Dispatch.run("_thnn_fused_lstm_cell", new Tensor[] {packed, ws}, in.tensors(), (backend, w, r) ->
                backend.lstmCell(n, h, half(w[0], packed, 0), half(w[0], packed, 1), operand(w[1], ws), in.operand(r, 0), in.operand(r, 1),
                        in.operand(r, 3), in.operand(r, 4), in.operand(r, 2)));
        List<Tensor> inputs = Arrays.asList(igates, hgates, cx, biasIh, biasHh);
        if (Autograd.needsGrad(inputs)) {
            Autograd.record("ThnnFusedLstmCellBackward0", packed, inputs, List.of(c, packed, ws), (g, sv) -> {
                Tensor gc = flat(g), sc = sv.get(0), sp = sv.get(1), sw = sv.get(2);
                Tensor gradGates = Tensors.empty(t, new long[] {n, 4 * h}, g.device()), gradCx = Tensors.empty(t, new long[] {n, h}, g.device());
                Dispatch.run("_thnn_fused_lstm_cell_backward", new Tensor[] {gradGates, gradCx}, new Tensor[] {gc, sc, sp, sw}, (backend, w, r) ->
                        backend.lstmCellBackward(n, h, operand(w[0], gradGates), operand(w[1], gradCx), half(r[0], gc, 0), half(r[0], gc, 1),
                                operand(r[1], sc), half(r[2], sp, 1), operand(r[3], sw)));
                Tensor gradBias = sv.needsInputGrad(3) || sv.needsInputGrad(4) ? gradGates.sum(0) : null;
                return BackwardRule.grads(gradGates, gradGates, gradCx, gradBias, gradBias);
            });
        }
        return List.of(packed.select(0, 0), packed.select(0, 1));
    }

    private static Tensor fusedGru(Tensor igates, Tensor hgates, Tensor hx, Tensor biasIh, Tensor biasHh) {
        DType t = igates.dtype();
        long n = hx.size(0), h = hx.size(1);
        Tensor ig = flat(igates), hg = flat(hgates), x = flat(hx), bi = biasIh == null ? null : flat(biasIh), bh = biasHh == null ? null : flat(biasHh);
        Tensor hy = Tensors.empty(t, new long[] {n, h}, hx.device()), ws = Tensors.empty(t, new long[] {n, 5 * h}, hx.device());
        Reads in = new Reads(ig, hg, x, bi, bh);
        Dispatch.run("_thnn_fused_gru_cell", new Tensor[] {hy, ws}, in.tensors(), (backend, w, r) ->
                backend.gruCell(n, h, operand(w[0], hy), operand(w[1], ws), in.operand(r, 0), in.operand(r, 1), in.operand(r, 3),
                        in.operand(r, 4), in.operand(r, 2)));
        List<Tensor> inputs = Arrays.asList(igates, hgates, hx, biasIh, biasHh);
        if (!Autograd.needsGrad(inputs)) return hy;
        return Autograd.record("ThnnFusedGruCellBackward0", hy, inputs, List.of(ws), (g, sv) -> {
            Tensor gc = flat(g), sw = sv.get(0);
            Tensor gi = Tensors.empty(t, new long[] {n, 3 * h}, g.device()), gh = Tensors.empty(t, new long[] {n, 3 * h}, g.device());
            Tensor gx = Tensors.empty(t, new long[] {n, h}, g.device());
            Dispatch.run("_thnn_fused_gru_cell_backward", new Tensor[] {gi, gh, gx}, new Tensor[] {gc, sw}, (backend, w, r) ->
                    backend.gruCellBackward(n, h, operand(w[0], gi), operand(w[1], gh), operand(w[2], gx), operand(r[0], gc), operand(r[1], sw)));
            return BackwardRule.grads(gi, gh, gx, sv.needsInputGrad(3) ? gi.sum(0) : null, sv.needsInputGrad(4) ? gh.sum(0) : null);
        });
    }

    /** Contiguous, detached (the kernels read values; the node records the inputs themselves). */
    private static Tensor flat(Tensor t) { return t.detach().contiguous(); }

    /** The kernel's reads without the absent biases, and each one's buffer region by its fixed position (null when absent). */
    private record Reads(Tensor... fixed) {
        Tensor[] tensors() {
            List<Tensor> present = new ArrayList<>();
            for (Tensor t : fixed) if (t != null) present.add(t);
            return present.toArray(new Tensor[0]);
        }

        Operand operand(Buffer[] pinned, int position) {
            if (fixed[position] == null) return null;
            int at = 0;
            for (int i = 0; i < position; i++) if (fixed[i] != null) at++;
            return Dispatch.operand(pinned[at], fixed[position]);
        }
    }

    /** Half {@code k} (0 or 1) of contiguous {@code [2, N, H]} {@code t} as an operand over its storage's buffer. */
    private static Operand half(Buffer storage, Tensor t, int k) { return Dispatch.operand(storage, t.select(0, k)); }
}
