package dev.jtensor.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.testing.GoldenSeq;
import dev.jtensor.testing.GradCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TransformerDecoderLayer, TransformerDecoder and Transformer with PyTorch's weights loaded give PyTorch's outputs in
 * eval mode (dropout 0.1 configured, inactive) with causal, memory and key padding masks, and PyTorch's gradients in
 * train mode with dropout 0 (golden/seq/decoder.npz, made by engine/src/test/golden/make_seq2.py).
 */
class TransformerDecoderTest {
    private static final GoldenSeq G = GoldenSeq.of("decoder.npz");
    private static final double TOL = 2e-5;

    private static Tensor out(TransformerDecoderLayer layer, Tensor tgt, Tensor mem) {
        return layer.forward(tgt, mem, Transformer.generateSquareSubsequentMask(5), G.get("in.mmask"), G.get("in.tkpm"), G.get("in.mkpm"));
    }

    @Test
    void decoderLayerPostAndPreNormReluAndGeluInEvalMode() {
        for (String act : new String[] {"relu", "gelu"}) {
            for (boolean normFirst : new boolean[] {false, true}) {
                String tag = "dec_" + act + "_" + (normFirst ? "pre" : "post");
                TransformerDecoderLayer layer = new TransformerDecoderLayer(16, 4, 32, 0.1, act, 1e-5, true, normFirst);
                layer.loadStateDict(G.stateDict("dec")); // PyTorch drew the same weights for every variant (seed 10)
                layer.eval();
                try (var g = Jt.noGrad()) {
                    G.assertClose(tag + ".out", out(layer, G.get("in.tgt"), G.get("in.mem")), TOL, TOL);
                }
            }
        }
    }

    @Test
    void decoderLayerGradientsOfTargetMemoryAndWeights() {
        for (String act : new String[] {"relu", "gelu"}) {
            for (boolean normFirst : new boolean[] {false, true}) {
                String tag = "dec_" + act + "_" + (normFirst ? "pre" : "post");
                TransformerDecoderLayer layer = new TransformerDecoderLayer(16, 4, 32, 0.0, act, 1e-5, true, normFirst);
                layer.loadStateDict(G.stateDict("dec"));
                Tensor tgt = G.get("in.tgt").requiresGrad_(), mem = G.get("in.mem").requiresGrad_();
                Tensor y = out(layer, tgt, mem);
                G.assertClose(tag + ".train_out", y, TOL, TOL);
                y.mul(G.get("in.gw")).sum().backward();
                Map<String, Tensor> p = layer.namedParameters();
                G.assertClose(tag + ".dtgt", tgt.grad(), 1e-4, 1e-5);
                G.assertClose(tag + ".dmem", mem.grad(), 1e-4, 1e-5);
                G.assertClose(tag + ".d_linear1_weight", p.get("linear1.weight").grad(), 1e-4, 1e-5);
                G.assertClose(tag + ".d_self_in_proj_weight", p.get("self_attn.in_proj_weight").grad(), 1e-4, 1e-5);
                G.assertClose(tag + ".d_cross_in_proj_weight", p.get("multihead_attn.in_proj_weight").grad(), 1e-4, 1e-5);
            }
        }
    }

    /** Finite differences in float64 (a float64 layer) for tgt and memory, with every mask, each activation and norm order. */
    @Test
    void decoderLayerGradCheckInFloat64() {
        Jt.manualSeed(21);
        Tensor tgt = Jt.randn(new long[] {2, 3, 8}, DType.FLOAT64), mem = Jt.randn(new long[] {2, 4, 8}, DType.FLOAT64);
        Tensor memMask = Jt.tensor(new boolean[][] {{false, true, false, false}, {false, false, true, true}, {false, false, false, true}});
        Tensor memPad = Jt.tensor(new boolean[][] {{false, false, false, false}, {false, false, false, true}});
        for (String act : new String[] {"relu", "gelu"}) {
            for (boolean normFirst : new boolean[] {false, true}) {
                TransformerDecoderLayer layer = new TransformerDecoderLayer(8, 2, 12, 0.0, act, 1e-5, true, normFirst, DType.FLOAT64);
                assertEquals(DType.FLOAT64, layer.namedParameters().get("multihead_attn.in_proj_weight").dtype());
                GradCheck.check(in -> layer.forward(in.get(0), in.get(1), Transformer.generateSquareSubsequentMask(3), memMask, null, memPad),
                        tgt, mem);
            }
        }
    }

    @Test
    void sequenceFirstLayerAndDecoderStack() {
        TransformerDecoderLayer seq = new TransformerDecoderLayer(16, 4, 24, 0.1, "relu", 1e-5, false, false);
        seq.loadStateDict(G.stateDict("dec_seq"));
        seq.eval();
        TransformerDecoder stack = new TransformerDecoder(() -> new TransformerDecoderLayer(16, 4, 32, 0.1, "gelu", 1e-5, true, false), 2,
                new LayerNorm(16));
        stack.loadStateDict(G.stateDict("stack"));
        stack.eval();
        try (var g = Jt.noGrad()) {
            G.assertClose("dec_seq.out", seq.forward(G.get("in.tgt").transpose(0, 1), G.get("in.mem").transpose(0, 1)), TOL, TOL);
            Tensor y = stack.forward(G.get("in.tgt"), G.get("in.mem"), Transformer.generateSquareSubsequentMask(5), null, null, G.get("in.mkpm"));
            G.assertClose("stack.out", y, TOL, TOL);
        }
        assertThrows(UnsupportedOperationException.class, () -> stack.forward(G.get("in.tgt")));
        assertThrows(IllegalArgumentException.class, () -> new TransformerDecoder(() -> seq, 0, null));
    }

    @Test
    void transformerWithPyTorchsWeightsAndMasks() {
        Transformer tr = new Transformer(16, 4, 2, 2, 32, 0.1, "relu", 1e-5, true, false);
        assertEquals(G.stateDict("tr").keySet(), tr.stateDict().keySet(), "PyTorch's state-dict keys");
        tr.loadStateDict(G.stateDict("tr"));
        tr.eval();
        try (var g = Jt.noGrad()) {
            Tensor y = tr.forward(G.get("in.src"), G.get("in.tgt"), null, Transformer.generateSquareSubsequentMask(5), G.get("in.mmask"), null,
                    G.get("in.tkpm"), G.get("in.mkpm"));
            G.assertClose("tr.out", y, TOL, TOL);
        }
        assertThrows(IllegalArgumentException.class, () -> tr.forward(Jt.randn(3, 7, 16), Jt.randn(2, 5, 16)), "batch sizes differ");
        assertThrows(IllegalArgumentException.class, () -> tr.forward(Jt.randn(2, 7, 8), Jt.randn(2, 5, 8)), "features other than d_model");
        Tensor mask = Transformer.generateSquareSubsequentMask(3);
        assertEquals(0.0, mask.get(2).get(0).item());
        assertEquals(Double.NEGATIVE_INFINITY, mask.get(0).get(1).item());
    }

    @Test
    void freshTransformerIsXavierUniformAndDropoutActsOnlyInTraining() {
        Jt.manualSeed(3);
        Transformer tr = new Transformer(16, 4, 1, 1, 32, 0.5, "gelu", 1e-5, true, true);
        double bound = G.get("tr.xavier_bound").item();
        Tensor w = tr.stateDict().get("encoder.layers.0.self_attn.in_proj_weight");
        assertTrue(w.abs().max().item() <= bound, "xavier bound");
        assertEquals(bound / Math.sqrt(3), w.std().item(), 0.1 * bound, "uniform(-b, b) has std b/sqrt(3)");
        assertTrue(tr.stateDict().get("decoder.layers.0.linear1.bias").abs().max().item() > 0, "one-dimensional parameters keep their own init");
        Tensor src = Jt.randn(2, 6, 16), tgt = Jt.randn(2, 4, 16);
        Jt.manualSeed(9);
        Tensor a = tr.forward(src, tgt);
        Jt.manualSeed(9);
        Tensor b = tr.forward(src, tgt);
        assertTrue(a.equal(b), "the same seed drops the same units");
        tr.eval();
        Tensor c = tr.forward(src, tgt), d = tr.forward(src, tgt);
        assertTrue(c.equal(d), "eval mode is deterministic");
        assertFalse(a.allclose(c), "training mode drops units");
    }
}
