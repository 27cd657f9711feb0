package dev.jtensor.internal.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.testing.GoldenSeq;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fused float32 attention kernel (C where the operands are native memory, the Java loop twin for heap-backed tiny
 * tensors) against the composite computed in float64 on the same values: outputs and the gradients of q, k and v.
 */
class ScaledDotProductAttentionFusedTest {
    private record Case(long[] q, long[] k, long ev, Tensor mask, boolean causal) {}

    private static void check(String what, Case c, long seed) {
        Generator g = new Generator(seed);
        long[] vShape = c.k().clone();
        vShape[vShape.length - 1] = c.ev();
        Tensor q = Jt.randn(c.q(), DType.FLOAT32, g), k = Jt.randn(c.k(), DType.FLOAT32, g), v = Jt.randn(vShape, DType.FLOAT32, g);
        Tensor w = Jt.randn(outShape(c.q(), c.ev()), DType.FLOAT32, g);
        Tensor[] in = {q.clone().requiresGrad_(), k.clone().requiresGrad_(), v.clone().requiresGrad_()};
        Tensor out = Jt.scaledDotProductAttention(in[0], in[1], in[2], c.mask(), c.causal(), null);
        assertTrue(out.gradFn().name().startsWith("ScaledDotProductFlash"), what + ": the fused path ran (" + out.gradFn().name() + ")");
        List<Tensor> grads = Autograd.grad(List.of(out), List.of(in), List.of(w), false, false);
        Tensor[] ref = {q.to(DType.FLOAT64).requiresGrad_(), k.to(DType.FLOAT64).requiresGrad_(), v.to(DType.FLOAT64).requiresGrad_()};
        Tensor mask64 = c.mask() == null || c.mask().dtype() == DType.BOOL ? c.mask() : c.mask().to(DType.FLOAT64);
        Tensor expected = ScaledDotProductAttention.composite(ref[0], ref[1], ref[2], mask64, c.causal(), 1 / Math.sqrt(c.q()[c.q().length - 1]));
        List<Tensor> expectedGrads = Autograd.grad(List.of(expected), List.of(ref), List.of(w.to(DType.FLOAT64)), false, false);
        GoldenSeq.assertClose(expected, out, 2e-5, 2e-5, what + ": output");
        for (int i = 0; i < 3; i++) GoldenSeq.assertClose(expectedGrads.get(i), grads.get(i), 1e-4, 5e-5, what + ": gradient " + "qkv".charAt(i));
    }

    private static long[] outShape(long[] q, long ev) {
        long[] s = q.clone();
        s[s.length - 1] = ev;
        return s;
    }

    @Test
    void nativeKernelMatchesTheCompositeOverSeveralKeyBlocks() {
        check("plain", new Case(new long[] {2, 3, 70, 16}, new long[] {2, 3, 130, 16}, 8, null, false), 1);
        check("causal", new Case(new long[] {2, 2, 100, 8}, new long[] {2, 2, 100, 8}, 8, null, true), 2);
        check("causal, L > S", new Case(new long[] {1, 2, 90, 8}, new long[] {1, 2, 66, 8}, 12, null, true), 3);
        Tensor bool = Jt.rand(new long[] {65, 80}, DType.FLOAT32, new Generator(4)).gt(0.4).logicalOr(Jt.eye(65, 80, DType.BOOL));
        check("bool mask [L, S]", new Case(new long[] {2, 2, 65, 8}, new long[] {2, 2, 80, 8}, 8, bool, false), 5);
        Tensor additive = Jt.randn(new long[] {2, 1, 33, 70}, DType.FLOAT32, new Generator(6));
        check("float mask [B, 1, L, S]", new Case(new long[] {2, 3, 33, 8}, new long[] {2, 3, 70, 8}, 8, additive, false), 7);
        check("3-d, odd sizes", new Case(new long[] {3, 17, 5}, new long[] {3, 33, 5}, 3, null, true), 8);
    }

    @Test
    void javaLoopTwinRunsForHeapBackedTinyTensors() {
        check("tiny (heap memory)", new Case(new long[] {1, 1, 3, 4}, new long[] {1, 1, 5, 4}, 2, null, false), 9);
        check("tiny causal", new Case(new long[] {1, 2, 4}, new long[] {1, 3, 4}, 4, null, true), 10);
    }

    @Test
    void fullyMaskedRowsAreNaNAndOtherPathsFallBackToTheComposite() {
        Tensor q = Jt.randn(1, 4, 8), k = Jt.randn(1, 6, 8);
        Tensor mask = Jt.ones(new long[] {4, 6}, DType.BOOL);
        mask.set("1", 0.0);
        Tensor out = Jt.scaledDotProductAttention(q, k, k, mask, false, null);
        assertTrue(out.get(0, 1).isnan().all().item() != 0);
        assertTrue(out.get(0, 0).isnan().any().item() == 0);
        Tensor q64 = q.to(DType.FLOAT64).requiresGrad_();
        Tensor composite = Jt.scaledDotProductAttention(q64, k.to(DType.FLOAT64), k.to(DType.FLOAT64), null, true, 0.5);
        assertTrue(!composite.gradFn().name().startsWith("ScaledDotProductFlash"), "float64 runs the composite");
    }
}
