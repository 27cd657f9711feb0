package dev.jtensor.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.internal.ops.RecurrentCells;
import dev.jtensor.testing.GoldenSeq;
import dev.jtensor.testing.GradCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fused LSTM/GRU cell ops ({@link Jt#fusedLstmCell}, {@link Jt#fusedGruCell}, PyTorch's {@code _thnn_fused_*_cell}):
 * values and gradients equal the composite of elementwise ops (their oracle) for float32, float64 and bfloat16, with and
 * without biases, on non-contiguous operands, in the C kernels' sizes and the Java loops' (small tensors live on the heap);
 * finite differences in float64 for the whole cell (input, hx, cx, both weights, both biases; every subset requiring
 * grad); one autograd node per step; shape and dtype errors. The module goldens are in {@link RecurrentTest} and CharLstmTest.
 */
class FusedRnnCellTest {
    private static Tensor randn(long seed, DType t, long... shape) { return Jt.randn(shape, t, new Generator(seed)); }

    /** {output values..., gradients of every input} of {@code f} on leaves copied from {@code in}, under output weights from seed 99. */
    private static List<Tensor> run(java.util.function.Function<List<Tensor>, List<Tensor>> f, Tensor... in) {
        List<Tensor> leaves = new ArrayList<>();
        for (Tensor t : in) leaves.add(t == null ? null : t.detach().clone().requiresGrad_(true));
        List<Tensor> outs = f.apply(leaves);
        List<Tensor> weights = new ArrayList<>(), present = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) weights.add(randn(99 + i, outs.get(i).dtype(), outs.get(i).shape().toArray()));
        for (Tensor l : leaves) if (l != null) present.add(l);
        List<Tensor> result = new ArrayList<>();
        for (Tensor o : outs) result.add(o.detach());
        result.addAll(Autograd.grad(outs, present, weights, false, false));
        return result;
    }

    private static void compare(List<Tensor> expected, List<Tensor> actual, double tol, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            GoldenSeq.assertClose(expected.get(i).to(DType.FLOAT64), actual.get(i).to(DType.FLOAT64), tol, tol, what + " result " + i);
        }
    }

    @Test
    void fusedCellsEqualTheCompositeForEveryDtypeSizeAndLayout() {
        long[][] sizes = {{1, 1}, {3, 5}, {8, 64}, {0, 4}};
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = t == DType.FLOAT32 ? 2e-6 : 1e-13;
            for (long[] s : sizes) {
                long n = s[0], h = s[1];
                for (boolean bias : new boolean[] {true, false}) {
                    for (boolean transposed : new boolean[] {false, true}) {
                        String what = t + " n=" + n + " h=" + h + " bias=" + bias + " transposed=" + transposed;
                        Tensor ig = transposed ? randn(1, t, 4 * h, n).t() : randn(1, t, n, 4 * h), hg = randn(2, t, n, 4 * h);
                        Tensor c = randn(3, t, n, h), bi = bias ? randn(4, t, 4 * h) : null, bh = bias ? randn(5, t, 4 * h) : null;
                        compare(run(l -> RecurrentCells.compositeLstm(l.get(0), l.get(1), l.get(2), l.get(3), l.get(4)), ig, hg, c, bi, bh),
                                run(l -> Jt.fusedLstmCell(l.get(0), l.get(1), l.get(2), l.get(3), l.get(4)), ig, hg, c, bi, bh), tol, "lstm " + what);
                        Tensor gi = transposed ? randn(6, t, 3 * h, n).t() : randn(6, t, n, 3 * h), gh = randn(7, t, n, 3 * h);
                        Tensor hx = randn(8, t, n, h), gbi = bias ? randn(9, t, 3 * h) : null, gbh = bias ? randn(10, t, 3 * h) : null;
                        compare(run(l -> List.of(RecurrentCells.compositeGru(l.get(0), l.get(1), l.get(2), l.get(3), l.get(4))), gi, gh, hx, gbi, gbh),
                                run(l -> List.of(Jt.fusedGruCell(l.get(0), l.get(1), l.get(2), l.get(3), l.get(4))), gi, gh, hx, gbi, gbh), tol, "gru " + what);
                    }
                }
            }
        }
    }

    @Test
    void bfloat16ComputesInFloat32AndRoundsOnStore() {
        Tensor ig = randn(1, DType.FLOAT32, 4, 24), hg = randn(2, DType.FLOAT32, 4, 24), c = randn(3, DType.FLOAT32, 4, 6);
        Tensor b = randn(4, DType.FLOAT32, 24);
        Tensor[] half = {ig.to(DType.BFLOAT16), hg.to(DType.BFLOAT16), c.to(DType.BFLOAT16), b.to(DType.BFLOAT16)};
        List<Tensor> ref = Jt.fusedLstmCell(half[0].to(DType.FLOAT32), half[1].to(DType.FLOAT32), half[2].to(DType.FLOAT32), half[3].to(DType.FLOAT32), null);
        List<Tensor> out = Jt.fusedLstmCell(half[0], half[1], half[2], half[3], null);
        assertEquals(DType.BFLOAT16, out.get(0).dtype());
        for (int i = 0; i < 2; i++) GoldenSeq.assertClose(ref.get(i).to(DType.BFLOAT16).to(DType.FLOAT64), out.get(i).to(DType.FLOAT64), 0, 0, "bf16 " + i);
        Tensor gRef = Jt.fusedGruCell(half[0].narrow(1, 0, 18).to(DType.FLOAT32), half[1].narrow(1, 0, 18).to(DType.FLOAT32), half[2].to(DType.FLOAT32),
                null, null);
        Tensor g = Jt.fusedGruCell(half[0].narrow(1, 0, 18), half[1].narrow(1, 0, 18), half[2], null, null);
        GoldenSeq.assertClose(gRef.to(DType.BFLOAT16).to(DType.FLOAT64), g.to(DType.FLOAT64), 0, 0, "bf16 gru");
    }

    @Test
    void gradCheckOfTheWholeCellInFloat64EverySubset() {
        long in = 3, h = 4, n = 2;
        Tensor x = randn(11, DType.FLOAT64, n, in), hx = randn(12, DType.FLOAT64, n, h), cx = randn(13, DType.FLOAT64, n, h);
        Tensor wih = randn(14, DType.FLOAT64, 4 * h, in), whh = randn(15, DType.FLOAT64, 4 * h, h);
        Tensor bih = randn(16, DType.FLOAT64, 4 * h), bhh = randn(17, DType.FLOAT64, 4 * h);
        GradCheck.check(t -> {
            List<Tensor> s = Jt.fusedLstmCell(t.get(0).matmul(t.get(3).t()), t.get(1).matmul(t.get(4).t()), t.get(2), t.get(5), t.get(6));
            return s.get(0).add(s.get(1).mul(1.5));
        }, x, hx, cx, wih, whh, bih, bhh);
        Tensor gwih = wih.narrow(0, 0, 3 * h), gwhh = whh.narrow(0, 0, 3 * h), gbih = bih.narrow(0, 0, 3 * h), gbhh = bhh.narrow(0, 0, 3 * h);
        GradCheck.check(t -> Jt.fusedGruCell(t.get(0).matmul(t.get(2).t()), t.get(1).matmul(t.get(3).t()), t.get(1), t.get(4), t.get(5)),
                x, hx, gwih, gwhh, gbih, gbhh);
    }

    @Test
    void oneAutogradNodePerStep() {
        LSTMCell lc = new LSTMCell(3, 4);
        GRUCell gc = new GRUCell(3, 4);
        Tensor x = Jt.randn(2, 3);
        LSTMCell.State s = lc.forward(x, null, null);
        assertEquals("SelectBackward0", s.h().gradFn().name());
        assertEquals("ThnnFusedLstmCellBackward0", s.h().gradFn().nextFunctions().get(0).name());
        assertTrue(s.c().gradFn().nextFunctions().get(0) == s.h().gradFn().nextFunctions().get(0), "h and c come from one node");
        assertEquals("ThnnFusedGruCellBackward0", gc.forward(x, null).gradFn().name());
        try (var off = Jt.noGrad()) {
            assertNull(lc.forward(x, null, null).h().gradFn());
        }
    }

    @Test
    void shapeAndDtypeErrorsNameTheOperands() {
        Tensor g = Jt.randn(2, 8), c = Jt.randn(2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Jt.fusedLstmCell(g, g, Jt.randn(2, 3), null, null));
        assertTrue(e.getMessage().contains("[2, 8]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Jt.fusedLstmCell(g, Jt.randn(2, 4), c, null, null));
        assertThrows(IllegalArgumentException.class, () -> Jt.fusedLstmCell(g, g, c, Jt.randn(4), null));
        e = assertThrows(IllegalArgumentException.class, () -> Jt.fusedGruCell(Jt.randn(2, 6), Jt.randn(2, 6), c.to(DType.FLOAT64), null, null));
        assertTrue(e.getMessage().contains("float64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Jt.fusedGruCell(Jt.ones(2, 6).to(DType.INT64), Jt.ones(2, 6).to(DType.INT64),
                Jt.ones(2, 2).to(DType.INT64), null, null));
    }
}
