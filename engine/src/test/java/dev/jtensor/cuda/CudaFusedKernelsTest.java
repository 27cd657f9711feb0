package dev.jtensor.cuda;

import static dev.jtensor.cuda.CudaTestSupport.CUDA;
import static dev.jtensor.cuda.CudaTestSupport.assertClose;
import static dev.jtensor.cuda.CudaTestSupport.assertSame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.ValuesIndices;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.Backend;
import dev.jtensor.nn.F;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CNN window kernels and fused attention of {@code native/cuda/conv.cu} and {@code attention.cu} against the CPU's
 * (issues 22, 23): odd sizes, stride, padding, dilation, ceil-mode windows, NaN in max pooling, both backward modes of
 * max pooling ({@code useDeterministicAlgorithms}), batch norm with the fused residual add and relu, float32 and
 * float64; attention with additive and bool masks, a fully masked row, causal, unequal lengths and head dims past one
 * register pass (300). With {@code -Djtensor.cuda.fusedKernels=true} on a GPU (the GPU check) these run the CUDA
 * kernels; without it, the composites they replace; on the emulated device, the CPU's kernels on both sides.
 */
class CudaFusedKernelsTest {
    @BeforeEach
    void cuda() { CudaTestSupport.requireCuda(); }

    private static Tensor randn(long seed, DType t, long... shape) { return Jt.randn(shape, t, new Generator(seed)); }

    /** Whether the device runs the kernels under test (the emulated device runs the CPU's). */
    private static boolean kernels() { return Backend.of(CUDA).hasWindowKernels(DType.FLOAT32); }

    @Test
    void theKernelsAreOptIn() {
        boolean expected = CudaTestSupport.emulated() || Boolean.getBoolean("jtensor.cuda.fusedKernels");
        assertEquals(expected, Backend.of(CUDA).hasWindowKernels(DType.FLOAT32), "window kernels offered");
        assertEquals(expected, Backend.of(CUDA).hasWindowKernels(DType.FLOAT64), "float64 window kernels offered");
        assertEquals(expected, Backend.of(CUDA).hasFusedAttention(DType.FLOAT32), "fused attention offered");
        assertFalse(Backend.of(CUDA).hasWindowKernels(DType.INT64), "no integer window kernels");
        assertFalse(Backend.of(CUDA).hasFusedAttention(DType.FLOAT64), "no float64 fused attention");
    }

    /** f on CPU leaves and on their CUDA copies: outputs and the gradients of every input close. */
    private static void same(String what, double tol, Function<List<Tensor>, Tensor> f, Tensor... cpuInputs) {
        List<Tensor> cpu = new ArrayList<>(), dev = new ArrayList<>();
        for (Tensor t : cpuInputs) {
            cpu.add(t.detach().clone().requiresGrad_(true));
            dev.add(t.detach().to(CUDA).requiresGrad_(true));
        }
        Tensor yc = f.apply(cpu), yd = f.apply(dev);
        assertClose(yc, yd, tol, tol, what);
        Tensor g = randn(99, yc.dtype(), yc.shape().toArray());
        yc.backward(g);
        yd.backward(g.to(CUDA));
        for (int i = 0; i < cpu.size(); i++) assertClose(cpu.get(i).grad(), dev.get(i).grad(), tol, tol, what + " gradient " + i);
    }

    @Test
    void im2colAndCol2imMatchTheCpu() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = randn(1, t, 2, 3, 9, 10);
            int[] k = {3, 2}, d = {2, 1}, p = {1, 2}, s = {2, 3};
            Tensor cc = Jt.im2col(x, k, d, p, s), cd = Jt.im2col(x.to(CUDA), k, d, p, s);
            assertSame(cc, cd, "im2col " + t);
            Tensor back = Jt.col2im(cc, new long[] {9, 10}, k, d, p, s), backD = Jt.col2im(cd, new long[] {9, 10}, k, d, p, s);
            assertClose(back, backD, 1e-6, 1e-6, "col2im " + t);
            same("conv2d " + t, t == DType.FLOAT32 ? 1e-5 : 1e-10, in -> F.conv2d(in.get(0), in.get(1), null, new int[] {2, 1}, new int[] {1, 0},
                    new int[] {1, 2}, 1), randn(2, t, 2, 3, 7, 8), randn(3, t, 4, 3, 3, 2));
        }
    }

    @Test
    void maxPoolingMatchesTheCpuWithNaNAndCeilMode() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = randn(4, t, 2, 3, 9, 11);
            if (kernels()) x.view(-1).narrow(0, 7, 1).fill_(Double.NaN); // the composite on CUDA need not rank NaN as the CPU kernel does
            int[] k = {3, 2}, s = {2, 2}, p = {1, 1}, d = {1, 2};
            ValuesIndices rc = F.maxPool2dWithIndices(x, k, s, p, d, true), rd = F.maxPool2dWithIndices(x.to(CUDA), k, s, p, d, true);
            assertSame(rc.values(), rd.values(), "max_pool2d values " + t);
            assertSame(rc.indices(), rd.indices(), "max_pool2d indices " + t);
            Tensor y = randn(5, t, 2, 3, 6, 7);
            for (boolean deterministic : new boolean[] {false, true}) {
                Jt.useDeterministicAlgorithms(deterministic);
                try {
                    same("max_pool2d overlapping windows " + t + (deterministic ? " deterministic" : " atomics"), 1e-6,
                            in -> F.maxPool2d(in.get(0), new int[] {3}, new int[] {1}, new int[] {1}, new int[] {1}, true), y);
                } finally {
                    Jt.useDeterministicAlgorithms(false);
                }
            }
        }
    }

    @Test
    void batchNormMatchesTheCpu() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = t == DType.FLOAT32 ? 1e-5 : 1e-12;
            Tensor x = randn(6, t, 3, 5, 7, 3).mul(3).add(1);
            List<Tensor> sc = Jt.batchNormStats(x, 1e-5), sd = Jt.batchNormStats(x.to(CUDA), 1e-5);
            assertClose(sc.get(0), sd.get(0), tol, tol, "batch_norm_stats mean " + t);
            assertClose(sc.get(1), sd.get(1), tol, tol, "batch_norm_stats invstd " + t);
            Tensor w = randn(7, t, 5), b = randn(8, t, 5), r = randn(9, t, 3, 5, 7, 3);
            Tensor ec = Jt.batchNormElemt(x, w, b, sc.get(0), sc.get(1), r, true);
            Tensor ed = Jt.batchNormElemt(x.to(CUDA), w.to(CUDA), b.to(CUDA), sd.get(0), sd.get(1), r.to(CUDA), true);
            assertClose(ec, ed, tol, tol, "batch_norm_elemt + residual + relu " + t);
            same("batch_norm training " + t, tol, in -> F.batchNorm(in.get(0), null, null, in.get(1), in.get(2), true, 0.1, 1e-5), x, w, b);
            same("batch_norm + add + relu training " + t, tol, in -> Jt.batchNormAddRelu(in.get(0), in.get(1), in.get(2), null, null, true, 0.1,
                    1e-5, in.get(3)), x, w, b, r);
        }
    }

    private static List<Tensor> attention(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, Tensor w) {
        Tensor[] in = {q.detach().requiresGrad_(), k.detach().requiresGrad_(), v.detach().requiresGrad_()};
        Tensor out = F.scaledDotProductAttention(in[0], in[1], in[2], mask, causal);
        List<Tensor> g = Autograd.grad(List.of(out), List.of(in), List.of(w), false, false);
        return List.of(out.detach(), g.get(0), g.get(1), g.get(2));
    }

    private static void attentionCase(String what, long[] qs, long[] ks, long[] vs, Tensor mask, boolean causal) {
        Tensor q = randn(11, DType.FLOAT32, qs), k = randn(12, DType.FLOAT32, ks), v = randn(13, DType.FLOAT32, vs);
        long[] os = qs.clone();
        os[os.length - 1] = vs[vs.length - 1];
        Tensor w = randn(14, DType.FLOAT32, os);
        List<Tensor> cpu = attention(q, k, v, mask, causal, w);
        List<Tensor> dev = attention(q.to(CUDA), k.to(CUDA), v.to(CUDA), mask == null ? null : mask.to(CUDA), causal, w.to(CUDA));
        String[] names = {"output", "dq", "dk", "dv"};
        for (int i = 0; i < 4; i++) assertClose(cpu.get(i), dev.get(i), 2e-5, 2e-6, what + " " + names[i]);
    }

    @Test
    void attentionMatchesTheCpu() {
        attentionCase("odd sizes", new long[] {2, 3, 37, 5}, new long[] {2, 3, 45, 5}, new long[] {2, 3, 45, 7}, null, false);
        attentionCase("causal, l > s", new long[] {1, 2, 70, 40}, new long[] {1, 2, 33, 40}, new long[] {1, 2, 33, 40}, null, true);
        attentionCase("causal, l < s", new long[] {1, 2, 20, 64}, new long[] {1, 2, 75, 64}, new long[] {1, 2, 75, 64}, null, true);
        Tensor bool = Jt.rand(new long[] {19, 41}, DType.FLOAT32, new Generator(15)).gt(0.4);
        attentionCase("bool mask", new long[] {2, 19, 16}, new long[] {2, 41, 16}, new long[] {2, 41, 24}, bool, false);
        Tensor additive = randn(16, DType.FLOAT32, 2, 3, 19, 41);
        additive.select(3, 5).fill_(Double.NEGATIVE_INFINITY);
        additive.select(0, 1).select(0, 2).select(0, 4).fill_(Double.NEGATIVE_INFINITY); // a fully masked row: NaN
        attentionCase("additive per-slice mask with a masked row", new long[] {2, 3, 19, 16}, new long[] {2, 3, 41, 16}, new long[] {2, 3, 41, 16},
                additive, false);
        attentionCase("head dims past one register pass", new long[] {1, 9, 300}, new long[] {1, 13, 300}, new long[] {1, 13, 260}, null, false);
    }
}
