package dev.jtensor.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.testing.GoldenSeq;
import dev.jtensor.testing.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RMSNorm, rotary position embeddings and the KV cache (golden/seq/norms.npz: PyTorch 2.4's and LLaMA's formulas). */
class NormsAndPositionsTest {
    private static final GoldenSeq G = GoldenSeq.of("norms.npz");

    @Test
    void rmsNormMatchesTheReferenceAndDifferentiates() {
        Tensor x = G.get("rms.x"), w = G.get("rms.w");
        RMSNorm norm = new RMSNorm(new long[] {8}, 1e-6, true);
        assertEquals(List.of("weight"), List.copyOf(norm.stateDict().keySet()));
        norm.loadStateDict(java.util.Map.of("weight", w));
        G.assertClose("rms.out", norm.forward(x.to(DType.FLOAT32)), 1e-5, 1e-6);
        G.assertClose("rms.out", F.rmsNorm(x, new long[] {8}, w, 1e-6), 1e-12, 1e-12);
        G.assertClose("rms.out_eps_none_f32", new RMSNorm(8).forward(x.to(DType.FLOAT32)), 1e-6, 1e-6);
        GradCheck.check(in -> F.rmsNorm(in.get(0), new long[] {8}, in.get(1), 1e-6), x.narrow(1, 0, 1), w);
        assertThrows(IllegalArgumentException.class, () -> F.rmsNorm(x, new long[] {7}, null, null));
    }

    @Test
    void rotaryEmbeddingMatchesTheReferenceAndDependsOnRelativePositionOnly() {
        RotaryEmbedding rope = new RotaryEmbedding(8);
        G.assertClose("rope.out", rope.apply(G.get("rope.q"), 3), 1e-12, 1e-12);
        G.assertClose("rope.out", rope.apply(G.get("rope.q").to(DType.FLOAT32), 3), 1e-5, 1e-6);
        Generator g = new Generator(1);
        Tensor q = Jt.randn(new long[] {1, 8}, DType.FLOAT64, g), k = Jt.randn(new long[] {1, 8}, DType.FLOAT64, g);
        double at2and5 = rope.apply(q, 5).mul(rope.apply(k, 2)).sum().item();
        double at10and13 = rope.apply(q, 13).mul(rope.apply(k, 10)).sum().item();
        assertEquals(at2and5, at10and13, 1e-12, "q_m . k_n depends on m - n only");
        assertEquals(q.norm().item(), rope.apply(q, 7).norm().item(), 1e-12, "a rotation keeps the norm");
        GradCheck.check(in -> rope.apply(in.get(0), 2), Jt.randn(new long[] {3, 8}, DType.FLOAT64, g));
        assertThrows(IllegalArgumentException.class, () -> new RotaryEmbedding(7));
    }

    @Test
    void kvCacheAppendsAndReturnsEveryPosition() {
        KVCache cache = new KVCache(5);
        Tensor k1 = Jt.randn(2, 3, 2, 4), v1 = Jt.randn(2, 3, 2, 6), k2 = Jt.randn(2, 3, 1, 4), v2 = Jt.randn(2, 3, 1, 6);
        cache.update(k1, v1);
        Tensor[] kv = cache.update(k2, v2);
        assertEquals(3, cache.length());
        assertArrayEquals(new long[] {2, 3, 3, 6}, kv[1].shape().toArray());
        assertEquals(true, kv[0].equal(Jt.cat(List.of(k1, k2), 2)));
        assertEquals(true, kv[1].equal(Jt.cat(List.of(v1, v2), 2)));
        assertThrows(IllegalStateException.class, () -> cache.update(Jt.randn(2, 3, 3, 4), Jt.randn(2, 3, 3, 6)));
        cache.reset();
        assertEquals(0, cache.length());
        assertEquals(true, cache.update(k2, v2)[0].equal(k2));
    }
}
