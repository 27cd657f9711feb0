package dev.jtensor.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.testing.GoldenSeq;
import dev.jtensor.testing.GradCheck;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** F.scaledDotProductAttention against PyTorch's reference formula (golden/seq/attention.npz), values and gradients. */
class ScaledDotProductAttentionTest {
    private static final GoldenSeq G = GoldenSeq.of("attention.npz");

    static Tensor run(String name, Tensor q, Tensor k, Tensor v, DType t) {
        Tensor mask = G.has(name + ".mask") ? G.get(name + ".mask") : null;
        if (mask != null && mask.dtype() != DType.BOOL) mask = mask.to(t);
        boolean causal = name.startsWith("causal") || name.equals("odd");
        Double scale = name.equals("scale") ? 0.3 : null;
        return F.scaledDotProductAttention(q, k, v, mask, 0, causal, scale, name.equals("gqa"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "causal", "causal_rect", "bool_mask", "float_mask", "scale", "gqa", "three_d", "odd"})
    void matchesPyTorchValuesAndGradients(String name) {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor q = G.get(name + ".q").to(t).requiresGrad_(), k = G.get(name + ".k").to(t).requiresGrad_();
            Tensor v = G.get(name + ".v").to(t).requiresGrad_();
            Tensor out = run(name, q, k, v, t);
            double tol = t == DType.FLOAT32 ? 2e-5 : 1e-12;
            G.assertClose(name + ".out", out, tol, tol);
            List<Tensor> grads = Autograd.grad(List.of(out), List.of(q, k, v), List.of(G.get(name + ".w").to(t)), false, false);
            G.assertClose(name + ".dq", grads.get(0), tol, tol);
            G.assertClose(name + ".dk", grads.get(1), tol, tol);
            G.assertClose(name + ".dv", grads.get(2), tol, tol);
        }
    }

    @Test
    void gradCheckWithMasksAndBroadcastBatchDims() {
        Generator g = new Generator(3);
        Tensor q = Jt.randn(new long[] {2, 1, 3, 4}, DType.FLOAT64, g), k = Jt.randn(new long[] {1, 2, 5, 4}, DType.FLOAT64, g);
        Tensor v = Jt.randn(new long[] {1, 2, 5, 3}, DType.FLOAT64, g), bias = Jt.randn(new long[] {3, 5}, DType.FLOAT64, g);
        Tensor bool = Jt.rand(new long[] {2, 1, 3, 5}, DType.FLOAT64, g).gt(0.3).logicalOr(Jt.eye(3, 5, DType.BOOL));
        GradCheck.check(in -> F.scaledDotProductAttention(in.get(0), in.get(1), in.get(2), bool, false), q, k, v);
        GradCheck.check(in -> F.scaledDotProductAttention(in.get(0), in.get(1), in.get(2), in.get(3), 0, false, 0.7, false), q, k, v, bias);
        GradCheck.check(in -> F.scaledDotProductAttention(in.get(0), in.get(1), in.get(2), null, true), q, k, v);
    }

    @Test
    void rejectsBadShapesAndMaskWithCausal() {
        Tensor q = Jt.randn(2, 3, 4), k = Jt.randn(2, 5, 4), v = Jt.randn(2, 5, 6);
        assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, Jt.randn(2, 5, 3), v, null, false));
        assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, k, Jt.randn(2, 4, 6), null, false));
        assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, k, v, Jt.ones(new long[] {3, 5}, DType.BOOL), true));
        assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, k.to(DType.FLOAT64), v, null, false));
        Tensor out = F.scaledDotProductAttention(q, k, v, Jt.zeros(new long[] {3, 5}, DType.BOOL), false);
        assertTrue(out.isnan().all().item() != 0, "a fully masked row is NaN, as PyTorch's reference");
    }
}
