package dev.jtensor.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.testing.GoldenSeq;
import dev.jtensor.testing.GradCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MultiheadAttention and the transformer layers with PyTorch's weights give PyTorch's outputs and gradients
 * (golden/seq/transformer.npz; PyTorch ran in train mode with dropout 0, off its fused inference path).
 */
class TransformerTest {
    private static final GoldenSeq G = GoldenSeq.of("transformer.npz");
    private static final double TOL = 2e-5;

    private static Tensor causal(long n) {
        return Jt.full(new long[] {n, n}, Double.NEGATIVE_INFINITY).triu(1);
    }

    @Test
    void multiheadSelfAttentionWithPaddingAndCausalMasks() {
        Map<String, Tensor> state = G.stateDict("mha1");
        MultiheadAttention mha = new MultiheadAttention(16, 4, true);
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"), List.copyOf(mha.stateDict().keySet()));
        mha.loadStateDict(Map.of("in_proj_weight", state.get("in_proj_weight"), "in_proj_bias", state.get("in_proj_bias"),
                "out_proj.weight", state.get("out_proj.weight"), "out_proj.bias", state.get("out_proj.bias")));
        Tensor x = G.get("mha1.x").requiresGrad_();
        MultiheadAttention.Result r = mha.forward(x, x, x, G.get("mha1.kpm"), true, causal(5), true);
        G.assertClose("mha1.out", r.output(), TOL, TOL);
        G.assertClose("mha1.weights", r.weights(), TOL, TOL);
        r.output().mul(G.get("mha1.gw")).sum().backward();
        G.assertClose("mha1.dx", x.grad(), 1e-4, 1e-5);
        G.assertClose("mha1.d_in_proj_weight", mha.inProjWeight().grad(), 1e-4, 1e-5);
        G.assertClose("mha1.d_out_proj_weight", mha.outProj().weight().grad(), 1e-4, 1e-5);
    }

    @Test
    void multiheadAttentionWithKdimVdimSequenceFirstAndPerHeadWeights() {
        MultiheadAttention mha = new MultiheadAttention(12, 3, 0.0, true, 10, 6, false);
        mha.loadStateDict(G.stateDict("mha2"));
        MultiheadAttention.Result r = mha.forward(G.get("mha2.q"), G.get("mha2.k"), G.get("mha2.v"), null, true, G.get("mha2.am"), false);
        G.assertClose("mha2.out", r.output(), TOL, TOL);
        G.assertClose("mha2.weights", r.weights(), TOL, TOL);
        MultiheadAttention noBias = new MultiheadAttention(8, 2, 0.0, false, 8, 8, true);
        noBias.loadStateDict(G.stateDict("mha3"));
        Tensor x = G.get("mha3.x");
        MultiheadAttention.Result r3 = noBias.forward(x, x, x, null, false, null, true);
        G.assertClose("mha3.out", r3.output(), TOL, TOL);
        assertNull(r3.weights());
        G.assertClose("mha3.out", noBias.forward(x), TOL, TOL);
        // unbatched input gives the batch's first row
        GoldenSeq.assertClose(r3.output().get(1), noBias.forward(x.get(1)), 1e-6, 1e-6, "unbatched");
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(10, 3));
        assertThrows(IllegalArgumentException.class, () -> noBias.forward(Jt.randn(2, 3, 7)));
    }

    @Test
    void encoderLayersPostAndPreNormReluAndGelu() {
        Tensor src = G.get("enc.src"), kpm = G.get("enc.kpm");
        for (String act : new String[] {"relu", "gelu"}) {
            for (boolean normFirst : new boolean[] {false, true}) {
                String tag = "enc_" + act + "_" + (normFirst ? "pre" : "post");
                TransformerEncoderLayer layer = new TransformerEncoderLayer(16, 4, 32, 0.0, act, 1e-5, true, normFirst);
                layer.loadStateDict(G.stateDict("enc")); // PyTorch drew the same weights for every variant (seed 3)
                Tensor x = src.clone().requiresGrad_();
                Tensor out = layer.forward(x, causal(5), kpm);
                G.assertClose(tag + ".out", out, TOL, TOL);
                out.mul(G.get("enc.gw")).sum().backward();
                G.assertClose(tag + ".dx", x.grad(), 1e-4, 1e-5);
                G.assertClose(tag + ".d_linear1_weight", layer.namedParameters().get("linear1.weight").grad(), 1e-4, 1e-5);
            }
        }
    }

    @Test
    void encoderStackAndDecoderLayers() {
        TransformerEncoder enc = new TransformerEncoder(() -> new TransformerEncoderLayer(16, 4, 32, 0.0, "relu", 1e-5, true, false), 2,
                new LayerNorm(16));
        enc.loadStateDict(G.stateDict("stack"));
        G.assertClose("stack.out", enc.forward(G.get("enc.src"), causal(5), null), TOL, TOL);
        for (boolean normFirst : new boolean[] {false, true}) {
            String tag = "dec_" + (normFirst ? "pre" : "post");
            TransformerDecoderLayer dec = new TransformerDecoderLayer(16, 4, 32, 0.0, "relu", 1e-5, true, normFirst);
            dec.loadStateDict(G.stateDict(tag));
            Tensor out = dec.forward(G.get("dec.tgt"), G.get("dec.mem"), causal(4), null, null, G.get("enc.kpm"));
            G.assertClose(tag + ".out", out, TOL, TOL);
        }
    }

    /** Finite differences in float64 (a float64 layer) with a causal mask and key padding, each activation and norm order. */
    @Test
    void encoderLayerGradCheckInFloat64() {
        Jt.manualSeed(22);
        Tensor src = Jt.randn(new long[] {2, 4, 8}, DType.FLOAT64);
        Tensor pad = Jt.tensor(new boolean[][] {{false, false, false, false}, {false, false, false, true}});
        for (String act : new String[] {"relu", "gelu"}) {
            for (boolean normFirst : new boolean[] {false, true}) {
                TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2, 12, 0.0, act, 1e-5, true, normFirst, DType.FLOAT64);
                GradCheck.check(in -> layer.forward(in.get(0), causal(4), pad), src);
            }
        }
    }

    @Test
    void encoderCopiesTheFirstLayersWeightsAsPyTorchsDeepCopy() {
        Jt.manualSeed(0);
        TransformerEncoder enc = new TransformerEncoder(() -> new TransformerEncoderLayer(8, 2, 16, 0.0, "gelu", 1e-5, true, true), 3, null);
        Map<String, Tensor> s = enc.stateDict();
        assertEquals(true, s.get("layers.0.linear1.weight").equal(s.get("layers.2.linear1.weight")));
        assertEquals(DType.FLOAT32, enc.forward(Jt.randn(2, 3, 8)).dtype());
        assertThrows(IllegalArgumentException.class, () -> new TransformerEncoderLayer(8, 2, 16, 0.0, "tanh", 1e-5, true, true));
    }
}
