package dev.jtensor.internal.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.ValuesIndices;
import dev.jtensor.nn.F;
import dev.jtensor.testing.GoldenSeq;
import dev.jtensor.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** tril/triu, sort/argsort/topk, multinomial, repeatInterleave and oneHot against PyTorch (golden/seq/ops.npz). */
class SequenceOpsTest {
    private static final GoldenSeq G = GoldenSeq.of("ops.npz");

    @Test
    void trilAndTriuMatchPyTorchForEveryDiagonalAndBatch() {
        Tensor x = G.get("tri.x");
        for (int d : new int[] {-1, 0, 2}) {
            G.assertClose("tril." + d, x.tril(d), 0, 0);
            G.assertClose("triu." + d, Jt.triu(x, d), 0, 0);
        }
        Tensor causal = Jt.ones(new long[] {3, 4}, DType.BOOL).tril();
        assertEquals(DType.BOOL, causal.dtype());
        assertArrayEquals(new long[] {1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0}, causal.toLongArray());
        assertEquals("TrilBackward0", x.requiresGrad_().tril().gradFn().name());
        assertThrows(IllegalArgumentException.class, () -> Jt.ones(3).tril());
    }

    @Test
    void trilTriuGradients() {
        Tensor x = Jt.randn(new long[] {3, 4}, DType.FLOAT64, new Generator(1));
        GradCheck.check(in -> in.get(0).tril(1), x);
        GradCheck.check(in -> in.get(0).triu(-1), x);
    }

    @Test
    void sortIsStableWithNaNLastAndMatchesPyTorch() {
        Tensor x = G.get("sort.x");
        for (boolean desc : new boolean[] {false, true}) {
            for (int dim : new int[] {0, 1}) {
                ValuesIndices r = x.sort(dim, desc);
                String k = "sort.d" + dim + "." + (desc ? "True" : "False");
                G.assertClose(k + ".values", r.values(), 0, 0);
                G.assertEqualLongs(k + ".indices", r.indices());
                G.assertEqualLongs(k + ".indices", x.argsort(dim, desc));
            }
        }
    }

    @Test
    void topkMatchesPyTorchAndBackpropagatesToTheChosenElements() {
        Tensor x = G.get("topk.x");
        for (boolean largest : new boolean[] {true, false}) {
            ValuesIndices r = x.topk(3, -1, largest, true);
            String k = "topk." + (largest ? "True" : "False");
            G.assertClose(k + ".values", r.values(), 0, 0);
            G.assertEqualLongs(k + ".indices", r.indices());
        }
        ValuesIndices r = Jt.topk(x, 2, 1, true, true);
        G.assertClose("topk.dim1.values", r.values(), 0, 0);
        G.assertEqualLongs("topk.dim1.indices", r.indices());
        Tensor x64 = Jt.randn(new long[] {2, 5}, DType.FLOAT64, new Generator(3));
        GradCheck.check(in -> in.get(0).topk(2).values(), x64);
        GradCheck.check(in -> in.get(0).sort(1, true).values(), x64);
        assertThrows(IllegalArgumentException.class, () -> x.topk(9));
    }

    @Test
    void multinomialDrawsPyTorchsNumbersForTheSameSeed() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            String tag = t == DType.FLOAT32 ? "f32" : "f64";
            Tensor p = G.get("multinomial.p").to(t);
            Jt.manualSeed(7);
            G.assertEqualLongs("multinomial." + tag + ".repl", p.multinomial(9, true));
            G.assertEqualLongs("multinomial." + tag + ".norepl", p.multinomial(4, false));
            G.assertEqualLongs("multinomial." + tag + ".one", p.multinomial(1, false));
            G.assertEqualLongs("multinomial." + tag + ".vec", p.get(1).multinomial(3, true));
        }
        Tensor p = G.get("multinomial.p");
        assertThrows(IllegalArgumentException.class, () -> p.multinomial(7, false));
        assertThrows(IllegalArgumentException.class, () -> Jt.tensor(new double[] {0.5, -0.1}).multinomial(1, true));
        assertThrows(IllegalArgumentException.class, () -> Jt.zeros(3).multinomial(1, true));
        // never picks a zero-weight category, without replacement never repeats
        long[] draws = p.multinomial(5, false, new Generator(11)).toLongArray();
        assertEquals(10, draws.length);
        assertTrue(java.util.Arrays.stream(draws, 0, 5).distinct().count() == 5 && java.util.Arrays.stream(draws, 0, 5).noneMatch(v -> v == 4));
    }

    @Test
    void repeatInterleaveMatchesPyTorch() {
        Tensor x = G.get("ri.x");
        G.assertClose("ri.2.d0", x.repeatInterleave(2, 0), 0, 0);
        G.assertClose("ri.3.d1", Jt.repeatInterleave(x, 3, 1), 0, 0);
        G.assertClose("ri.tensor.d1", x.repeatInterleave(Jt.tensor(new long[] {1, 0, 2}), 1), 0, 0);
        G.assertClose("ri.flat", x.repeatInterleave(2), 0, 0);
        G.assertEqualLongs("ri.counts", Jt.repeatInterleave(Jt.tensor(new long[] {2, 0, 3})));
        GradCheck.check(in -> in.get(0).repeatInterleave(2, 1), x.to(DType.FLOAT64));
        GradCheck.check(in -> in.get(0).repeatInterleave(Jt.tensor(new long[] {1, 0, 2}), 1), x.to(DType.FLOAT64));
    }

    @Test
    void oneHotMatchesPyTorch() {
        Tensor idx = G.get("onehot.idx");
        G.assertEqualLongs("onehot.5", F.oneHot(idx, 5));
        G.assertEqualLongs("onehot.auto", F.oneHot(idx));
        assertThrows(IllegalArgumentException.class, () -> F.oneHot(idx, 3));
        assertThrows(IllegalArgumentException.class, () -> F.oneHot(Jt.tensor(new long[] {-1})));
        assertThrows(IllegalArgumentException.class, () -> F.oneHot(Jt.ones(2)));
    }

    @Test
    void einsumMatchesPyTorchForTheCommonForms() {
        Tensor a = G.get("einsum.A"), b = G.get("einsum.B"), c = G.get("einsum.C"), d = G.get("einsum.D"), e = G.get("einsum.E");
        Tensor v1 = G.get("einsum.v1"), v2 = G.get("einsum.v2"), sq = G.get("einsum.sq");
        double rtol = 1e-5, atol = 1e-5;
        G.assertClose("einsum.ij,jk->ik", Jt.einsum("ij,jk->ik", a, b), rtol, atol);
        G.assertClose("einsum.bij,bjk->bik", Jt.einsum("bij,bjk->bik", c, d), rtol, atol);
        G.assertClose("einsum.i,i->", Jt.einsum("i,i->", v1, v2), rtol, atol);
        G.assertClose("einsum.i,j->ij", Jt.einsum("i,j->ij", v1, v2), rtol, atol);
        G.assertClose("einsum.ij->ji", Jt.einsum("ij->ji", a), 0, 0);
        G.assertClose("einsum.ii->", Jt.einsum("ii->", sq), rtol, atol);
        G.assertClose("einsum.ii->i", Jt.einsum("ii->i", sq), 0, 0);
        G.assertClose("einsum.ij->", Jt.einsum("ij->", a), rtol, atol);
        G.assertClose("einsum.ij->j", Jt.einsum("ij->j", a), rtol, atol);
        G.assertClose("einsum.bhqd,bhkd->bhqk", Jt.einsum("bhqd,bhkd->bhqk", e, e), rtol, atol);
        G.assertClose("einsum.bij,jk->bik", Jt.einsum("bij,jk->bik", c, b), rtol, atol);
        G.assertClose("einsum.ij,ij->i", Jt.einsum("ij,ij->i", a, a), rtol, atol);
        G.assertClose("einsum....ij,...jk->...ik", Jt.einsum("...ij,...jk->...ik", c, d), rtol, atol);
        G.assertClose("einsum.ik,jk", Jt.einsum("ik,jk", a, a), rtol, atol);
        assertThrows(IllegalArgumentException.class, () -> Jt.einsum("ij,jk->ik", a));
        assertThrows(IllegalArgumentException.class, () -> Jt.einsum("ijk->i", a));
        assertThrows(IllegalArgumentException.class, () -> Jt.einsum("ij->x", a));
    }

    @Test
    void einsumGradients() {
        Tensor a = Jt.randn(new long[] {2, 3}, DType.FLOAT64, new Generator(5));
        Tensor b = Jt.randn(new long[] {3, 4}, DType.FLOAT64, new Generator(6));
        Tensor s = Jt.randn(new long[] {3, 3}, DType.FLOAT64, new Generator(7));
        GradCheck.check(in -> Jt.einsum("ij,jk->ik", in.get(0), in.get(1)), a, b);
        GradCheck.check(in -> Jt.einsum("ij,jk->ki", in.get(0), in.get(1)), a, b);
        GradCheck.check(in -> Jt.einsum("ii->i", in.get(0)), s);
        GradCheck.check(in -> Jt.einsum("ij,kj->", in.get(0), in.get(1)), a, b.t().contiguous());
        GradCheck.check(in -> Jt.einsum("ij,jk,kl->il", in.get(0), in.get(1), in.get(2)), a, s, b);
    }

    @Test
    void einsumOfThreeOperandsChains() {
        Tensor a = Jt.randn(new long[] {2, 3}, DType.FLOAT64, new Generator(5));
        Tensor s = Jt.randn(new long[] {3, 3}, DType.FLOAT64, new Generator(7));
        Tensor b = Jt.randn(new long[] {3, 4}, DType.FLOAT64, new Generator(6));
        assertTrue(a.matmul(s).matmul(b).allclose(Jt.einsum("ij,jk,kl->il", a, s, b), 1e-12, 1e-12));
        assertArrayEquals(new long[] {2, 4}, Jt.einsum("ij,jk,kl", a, s, b).shape().toArray());
    }
}
