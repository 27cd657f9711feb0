package dev.jtensor.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.testing.GoldenSeq;
import dev.jtensor.testing.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RNN/LSTM/GRU and the cells with PyTorch's weights give PyTorch's outputs, states and gradients (golden/seq/rnn.npz). */
class RecurrentTest {
    private static final GoldenSeq G = GoldenSeq.of("rnn.npz");
    private static final double TOL = 1e-5;

    private static void checkRun(String name, RNNBase m, RNNBase.Result r, Tensor x) {
        G.assertClose(name + ".out", r.output(), TOL, TOL);
        G.assertClose(name + ".hn", r.hN(), TOL, TOL);
        r.output().mul(G.get(name + ".gw")).sum().add(r.hN().sum()).backward();
        G.assertClose(name + ".dx", x.grad(), 1e-4, TOL);
        G.assertClose(name + ".d_weight_ih_l0", m.namedParameters().get("weight_ih_l0").grad(), 1e-4, TOL);
        G.assertClose(name + ".d_weight_hh_l0", m.namedParameters().get("weight_hh_l0").grad(), 1e-4, TOL);
    }

    @Test
    void bidirectionalTwoLayerLstmWithInitialStates() {
        LSTM lstm = new LSTM(5, 6, 2, true, true, 0.0, true);
        assertEquals(List.copyOf(G.stateDict("lstm").keySet()), List.copyOf(lstm.stateDict().keySet()));
        lstm.loadStateDict(G.stateDict("lstm"));
        Tensor x = G.get("x").requiresGrad_();
        RNNBase.Result r = lstm.forward(x, G.get("lstm.h0"), G.get("lstm.c0"));
        G.assertClose("lstm.cn", r.cN(), TOL, TOL);
        checkRun("lstm", lstm, r, x);
    }

    @Test
    void twoLayerGruSequenceFirstFromZeroState() {
        GRU gru = new GRU(5, 6, 2, true, false, 0.0, false);
        gru.loadStateDict(G.stateDict("gru"));
        Tensor x = G.get("x").transpose(0, 1).contiguous().requiresGrad_();
        RNNBase.Result r = gru.forward(x, null);
        assertNull(r.cN());
        checkRun("gru", gru, r, x);
    }

    @Test
    void elmanNetworksReluWithoutBiasAndTanh() {
        RNN relu = new RNN(5, 6, 1, "relu", false, true, 0.0, true);
        relu.loadStateDict(G.stateDict("rnn_relu"));
        Tensor x = G.get("x").requiresGrad_();
        checkRun("rnn_relu", relu, relu.forward(x, null), x);
        RNN tanh = new RNN(5, 6, 1, "tanh", true, true, 0.0, false);
        tanh.loadStateDict(G.stateDict("rnn_tanh"));
        Tensor x2 = G.get("x").requiresGrad_();
        checkRun("rnn_tanh", tanh, tanh.forward(x2, G.get("rnn_tanh.h0")), x2);
        assertThrows(IllegalArgumentException.class, () -> new RNN(5, 6, 1, "gelu", true, false, 0, false));
    }

    @Test
    void initialisationDrawsPyTorchsNumbers() {
        Jt.manualSeed(20);
        G.assertClose("init.lstm_3_4.weight_ih_l0", new LSTM(3, 4).namedParameters().get("weight_ih_l0"), 1e-6, 1e-7);
    }

    @Test
    void cellsStepLikePyTorch() {
        LSTMCell lc = new LSTMCell(5, 6);
        lc.loadStateDict(G.stateDict("lstmcell"));
        GRUCell gc = new GRUCell(5, 6);
        gc.loadStateDict(G.stateDict("grucell"));
        Tensor x = G.get("x");
        Tensor h = G.get("cell.h0"), c = G.get("cell.c0"), hg = G.get("cell.h0");
        Tensor[] hs = new Tensor[4], gs = new Tensor[4];
        for (int t = 0; t < 4; t++) {
            LSTMCell.State s = lc.forward(x.select(1, t), h, c);
            h = s.h();
            c = s.c();
            hs[t] = h;
            hg = gc.forward(x.select(1, t), hg);
            gs[t] = hg;
        }
        G.assertClose("lstmcell.h", Jt.stack(List.of(hs), 1), TOL, TOL);
        G.assertClose("grucell.h", Jt.stack(List.of(gs), 1), TOL, TOL);
        GoldenSeq.assertClose(lc.forward(x.get(0, 0), null, null).h(), lc.forward(x.get(0).narrow(0, 0, 1)).get(0), 1e-6, 1e-6, "unbatched cell");
    }

    @Test
    void unbatchedInputAndShapeErrors() {
        LSTM lstm = new LSTM(5, 6, 2, true, false, 0.0, true);
        Tensor x = Jt.randn(4, 3, 5);
        RNNBase.Result batched = lstm.forward(x, null, null);
        RNNBase.Result single = lstm.forward(x.select(1, 1), null, null);
        GoldenSeq.assertClose(batched.output().select(1, 1), single.output(), 1e-6, 1e-6, "unbatched output");
        GoldenSeq.assertClose(batched.hN().select(1, 1), single.hN(), 1e-6, 1e-6, "unbatched h_n");
        assertThrows(IllegalArgumentException.class, () -> lstm.forward(Jt.randn(4, 3, 4)));
        assertThrows(IllegalArgumentException.class, () -> lstm.forward(x, Jt.zeros(2, 3, 6), Jt.zeros(4, 3, 6)));
        assertThrows(IllegalArgumentException.class, () -> lstm.forward(x, Jt.zeros(4, 3, 6), null));
    }

    @Test
    void dropoutActsBetweenLayersInTrainingOnly() {
        Jt.manualSeed(1);
        GRU gru = new GRU(3, 4, 2, true, false, 0.5, false);
        Tensor x = Jt.randn(5, 2, 3);
        Tensor a = gru.forward(x), b = gru.forward(x);
        assertTrue(!a.allclose(b), "training: dropout draws differ");
        gru.eval();
        assertTrue(gru.forward(x).equal(gru.forward(x)));
    }

    @Test
    void gradCheckOfEveryCellKindInFloat64() {
        Generator g = new Generator(9);
        for (String kind : new String[] {"lstm", "gru", "rnn"}) {
            RNNBase m = switch (kind) {
                case "lstm" -> new LSTM(2, 3, 1, true, false, 0, true);
                case "gru" -> new GRU(2, 3);
                default -> new RNN(2, 3);
            };
            List<Tensor> w = m.layerWeights(0, false);
            Tensor x = Jt.randn(new long[] {3, 1, 2}, DType.FLOAT64, g);
            Tensor[] in = {x, w.get(0).to(DType.FLOAT64), w.get(1).to(DType.FLOAT64), w.get(3).to(DType.FLOAT64)};
            GradCheck.checkFirstOrder(t -> {
                RNNBase.Mode mode = m instanceof LSTM ? RNNBase.Mode.LSTM : m instanceof GRU ? RNNBase.Mode.GRU : RNNBase.Mode.RNN_TANH;
                Tensor h = Jt.zeros(new long[] {1, 3}, DType.FLOAT64), c = Jt.zeros(new long[] {1, 3}, DType.FLOAT64);
                Tensor out = null;
                for (int s = 0; s < 3; s++) {
                    Tensor[] hc = RNNBase.cell(mode, F.linear(t.get(0).get(s), t.get(1), null), h, c, t.get(2), t.get(3));
                    h = hc[0];
                    c = hc[1];
                    out = out == null ? h : out.add(h.mul(s + 1));
                }
                return out;
            }, in);
        }
    }
}
