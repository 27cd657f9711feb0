package dev.jtensor.cuda;

import static dev.jtensor.cuda.CudaTestSupport.CUDA;
import static dev.jtensor.cuda.CudaTestSupport.assertClose;
import static dev.jtensor.cuda.CudaTestSupport.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.ValuesIndices;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.nn.F;
import dev.jtensor.nn.GradClipping;
import dev.jtensor.nn.LSTM;
import dev.jtensor.nn.MultiheadAttention;
import dev.jtensor.nn.RNNBase;
import dev.jtensor.nn.TransformerEncoderLayer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sequence-model ops and layers of issue 23 on a CUDA device against the CPU on the same inputs: results stay on
 * the device and equal the CPU's (the emulated device in CI; a GPU in the GPU check).
 */
class CudaSequenceTest {
    @BeforeEach
    void cuda() { CudaTestSupport.requireCuda(); }

    private static Tensor randn(long seed, long... shape) { return Jt.randn(shape, DType.FLOAT32, new Generator(seed)); }

    @Test
    void orderingAndStructuralOps() {
        Tensor x = randn(1, 3, 6), d = x.to(CUDA);
        ValuesIndices c = x.sort(1, true), g = d.sort(1, true);
        assertSame(c.values(), g.values(), "sort values");
        assertSame(c.indices(), g.indices(), "sort indices");
        assertSame(x.topk(2).indices(), d.topk(2).indices(), "topk");
        assertSame(x.tril(1), d.tril(1), "tril");
        assertSame(x.triu(-1), d.triu(-1), "triu");
        assertSame(x.repeatInterleave(2, 0), d.repeatInterleave(2, 0), "repeat_interleave");
        assertClose(Jt.einsum("ij,kj->ik", x, x), Jt.einsum("ij,kj->ik", d, d), 1e-5, 1e-6, "einsum");
        assertSame(F.oneHot(Jt.tensor(new long[] {2, 0})), F.oneHot(Jt.tensor(new long[] {2, 0}).to(CUDA)), "one_hot");
        Tensor p = x.softmax(1);
        assertSame(p.multinomial(3, false, new Generator(4)), p.to(CUDA).multinomial(3, false, new Generator(4)), "multinomial");
    }

    @Test
    void attentionForwardAndBackward() {
        Tensor q = randn(2, 2, 3, 5, 4), k = randn(3, 2, 3, 7, 4), v = randn(4, 2, 3, 7, 4);
        Tensor mask = Jt.rand(new long[] {5, 7}, DType.FLOAT32, new Generator(5)).gt(0.3).logicalOr(Jt.eye(5, 7, DType.BOOL));
        Tensor w = randn(6, 2, 3, 5, 4);
        List<Tensor> cpu = grads(q, k, v, mask, w), dev = grads(q.to(CUDA), k.to(CUDA), v.to(CUDA), mask.to(CUDA), w.to(CUDA));
        for (int i = 0; i < 4; i++) assertClose(cpu.get(i), dev.get(i), 1e-5, 1e-6, "attention output/gradient " + i);
    }

    private static List<Tensor> grads(Tensor q, Tensor k, Tensor v, Tensor mask, Tensor w) {
        Tensor[] in = {q.detach().requiresGrad_(), k.detach().requiresGrad_(), v.detach().requiresGrad_()};
        Tensor out = F.scaledDotProductAttention(in[0], in[1], in[2], mask, false);
        List<Tensor> g = Autograd.grad(List.of(out), List.of(in), List.of(w), false, false);
        return List.of(out.detach(), g.get(0), g.get(1), g.get(2));
    }

    @Test
    void layersMovedToTheDevice() {
        Jt.manualSeed(3);
        MultiheadAttention mha = new MultiheadAttention(8, 2, true);
        TransformerEncoderLayer enc = new TransformerEncoderLayer(8, 2, 16, 0.0, "gelu", 1e-5, true, true);
        LSTM lstm = new LSTM(8, 5, 2, true, true, 0.0, true);
        Tensor x = randn(7, 2, 4, 8);
        Tensor kpm = Jt.tensor(new boolean[][] {{false, false, false, false}, {false, false, true, true}});
        Tensor mhaCpu = mha.forward(x, x, x, kpm, true, null, true).weights(), encCpu = enc.forward(x, null, kpm);
        RNNBase.Result lstmCpu = lstm.forward(x, null, null);
        mha.to(CUDA);
        enc.to(CUDA);
        lstm.to(CUDA);
        Tensor xd = x.to(CUDA);
        assertClose(mhaCpu, mha.forward(xd, xd, xd, kpm.to(CUDA), true, null, true).weights(), 1e-5, 1e-6, "mha weights");
        assertClose(encCpu, enc.forward(xd, null, kpm.to(CUDA)), 1e-5, 1e-5, "encoder layer");
        RNNBase.Result r = lstm.forward(xd, null, null);
        assertClose(lstmCpu.output(), r.output(), 1e-5, 1e-6, "lstm output");
        assertClose(lstmCpu.cN(), r.cN(), 1e-5, 1e-6, "lstm c_n");
        r.output().sum().backward();
        Tensor total = GradClipping.clipGradNorm_(lstm.parameters(), 0.5);
        assertClose(total.cpu(), total, 0, 0, "clip total on the device");
    }

    /** The fused LSTM/GRU cells (one kernel per step and direction of the backward too) on the device equal the CPU's. */
    @Test
    void fusedRecurrentCellsForwardAndBackward() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor ig = Jt.randn(new long[] {3, 20}, t, new Generator(1)), hg = Jt.randn(new long[] {3, 20}, t, new Generator(2));
            Tensor c = Jt.randn(new long[] {3, 5}, t, new Generator(3)), b = Jt.randn(new long[] {20}, t, new Generator(4));
            List<Tensor> cpu = cellGrads(ig, hg, c, b), dev = cellGrads(ig.to(CUDA), hg.to(CUDA), c.to(CUDA), b.to(CUDA));
            for (int i = 0; i < cpu.size(); i++) assertClose(cpu.get(i), dev.get(i), 1e-6, 1e-6, t + " fused cell output/gradient " + i);
        }
    }

    private static List<Tensor> cellGrads(Tensor ig, Tensor hg, Tensor c, Tensor b) {
        Tensor[] in = {ig.detach().requiresGrad_(), hg.detach().requiresGrad_(), c.detach().requiresGrad_(), b.detach().requiresGrad_()};
        List<Tensor> hc = Jt.fusedLstmCell(in[0], in[1], in[2], in[3], in[3]);
        Tensor gru = Jt.fusedGruCell(in[0].narrow(1, 0, 15), in[1].narrow(1, 0, 15), in[2], in[3].narrow(0, 0, 15), null);
        Tensor loss = hc.get(0).mul(hc.get(0)).sum().add(hc.get(1).sum()).add(gru.mul(gru).sum());
        List<Tensor> g = Autograd.grad(List.of(loss), List.of(in), null, false, false);
        return List.of(hc.get(0).detach(), hc.get(1).detach(), gru.detach(), g.get(0), g.get(1), g.get(2), g.get(3));
    }

    /**
     * The fused kernel's memory is O(L): after a forward that records the graph, the device holds the output and the row
     * log-sum-exp only, where the composite keeps the {@code [B*H, L, S]} probabilities for its backward (measured on
     * the device's allocation counter; skipped where the device has no fused kernel).
     */
    @Test
    void fusedAttentionKeepsNoScoreMatrix() {
        assumeTrue(dev.jtensor.backend.Backend.of(CUDA).hasFusedAttention(DType.FLOAT32), "no fused attention kernel on " + CUDA);
        long bh = 2, l = 512, e = 16, scores = bh * l * l * 4;
        Tensor q = randn(11, bh, l, e).to(CUDA).requiresGrad_(), k = randn(12, bh, l, e).to(CUDA).requiresGrad_();
        Tensor v = randn(13, bh, l, e).to(CUDA).requiresGrad_();
        long before = Jt.cuda().memoryAllocated();
        Tensor out = F.scaledDotProductAttention(q, k, v, null, true);
        long fused = Jt.cuda().memoryAllocated() - before;
        assertTrue(fused <= (bh * l * e + bh * l) * 4, "fused forward holds " + fused + " bytes");
        before = Jt.cuda().memoryAllocated();
        Tensor ref = dev.jtensor.internal.ops.ScaledDotProductAttention.composite(q, k, v, null, true, 0.25);
        long composite = Jt.cuda().memoryAllocated() - before;
        assertTrue(composite >= scores, "the composite holds " + composite + " bytes, at least the " + scores + " of its probabilities");
        assertClose(ref.cpu(), out, 1e-5, 1e-6, "fused vs composite");
    }
}
