package dev.jtensor.internal.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.backend.cpu.NativeMemory;
import dev.jtensor.testing.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Jt#conv2d} (the {@link Convolution} op): values and the gradients of input, weight and bias against the
 * composite it replaced ({@link Jt#im2col} + matmul, autograd through both) over strides, paddings, dilations,
 * groups, 1x1 kernels, several chunks of the batch and both weight-gradient forms; gradients by finite differences in
 * float64 for every subset of inputs; and the memory proof: forward + backward of a batch whose columns are several
 * times the column budget holds at most about the budget beside the tensors themselves.
 */
class ConvolutionTest {
    /** {N, C, H, W, O, kH, kW, sH, sW, pH, pW, dH, dW, groups}. */
    private static final int[][] CASES = {
        {3, 4, 9, 8, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1}, {2, 6, 10, 11, 4, 3, 2, 2, 3, 1, 0, 1, 2, 2}, {5, 4, 7, 7, 8, 1, 1, 1, 1, 0, 0, 1, 1, 4},
        {4, 3, 8, 9, 5, 1, 1, 2, 2, 0, 0, 1, 1, 1}, {3, 2, 17, 18, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1}, {2, 4, 6, 6, 4, 3, 3, 1, 1, 2, 2, 2, 2, 4},
    };

    private static Tensor reference(Tensor x, Tensor w, Tensor b, int[] c) {
        long n = x.size(0), g = c[13], o = w.size(0), k = w.size(1) * w.size(2) * w.size(3);
        Tensor cols = Jt.im2col(x, new int[] {c[5], c[6]}, new int[] {c[11], c[12]}, new int[] {c[9], c[10]}, new int[] {c[7], c[8]});
        long oH = cols.size(3), oW = cols.size(4);
        Tensor y = w.reshape(g, o / g, k).matmul(cols.reshape(n, g, k, oH * oW)).reshape(n, o, oH, oW);
        return b == null ? y : y.add(b.view(o, 1, 1));
    }

    private static Tensor conv(Tensor x, Tensor w, Tensor b, int[] c) {
        return Jt.conv2d(x, w, b, new int[] {c[7], c[8]}, new int[] {c[9], c[10]}, new int[] {c[11], c[12]}, c[13]);
    }

    private static Tensor[] operands(int[] c, DType t) {
        Tensor x = Jt.randn(new long[] {c[0], c[1], c[2], c[3]}, t, Device.CPU).requiresGrad_(true);
        Tensor w = Jt.randn(new long[] {c[4], c[1] / c[13], c[5], c[6]}, t, Device.CPU).requiresGrad_(true);
        Tensor b = Jt.randn(new long[] {c[4]}, t, Device.CPU).requiresGrad_(true);
        return new Tensor[] {x, w, b};
    }

    private static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertEquals(expected.shape(), actual.shape(), what);
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], tol * (1 + Math.abs(e[i])), what + " element " + i);
    }

    private void compareWithComposite(long columnBytes) {
        long old = Convolution.setColumnBytes(columnBytes);
        try {
            Jt.manualSeed(7);
            for (int[] c : CASES) {
                for (DType t : List.of(DType.FLOAT32, DType.FLOAT64)) {
                    Tensor[] in = operands(c, t);
                    Tensor expected = reference(in[0], in[1], in[2], c), actual = conv(in[0], in[1], in[2], c);
                    double tol = t == DType.FLOAT32 ? 1e-4 : 1e-10;
                    assertClose(expected, actual, tol, "forward " + java.util.Arrays.toString(c));
                    assertEquals("ConvolutionBackward0", actual.gradFn().name());
                    Tensor g = Jt.randnLike(expected);
                    List<Tensor> ge = dev.jtensor.autograd.Autograd.grad(List.of(expected), List.of(in), List.of(g), false, false);
                    List<Tensor> ga = dev.jtensor.autograd.Autograd.grad(List.of(actual), List.of(in), List.of(g), false, false);
                    for (int i = 0; i < 3; i++) assertClose(ge.get(i), ga.get(i), tol * 10, "gradient " + i + " " + java.util.Arrays.toString(c));
                }
            }
        } finally {
            Convolution.setColumnBytes(old);
        }
    }

    @Test
    void equalsTheCompositeInOneChunk() { compareWithComposite(Convolution.COLUMN_BYTES); }

    @Test
    void equalsTheCompositeOneSamplePerChunk() { compareWithComposite(1); }

    @Test
    void equalsTheCompositeInChunksWithARemainder() { compareWithComposite(2 * 4 * 9 * 9 * 8 * 8); } // 2 samples of case 0 in float64

    @Test
    void gradientsByFiniteDifferences() {
        Jt.manualSeed(3);
        for (int[] c : new int[][] {CASES[1], CASES[3]}) {
            Tensor[] in = operands(c, DType.FLOAT64);
            GradCheck.check(v -> conv(v.get(0), v.get(1), v.get(2), c), in[0].detach(), in[1].detach(), in[2].detach());
        }
    }

    @Test
    void doubleBackwardByFiniteDifferences() {
        Jt.manualSeed(4);
        int[] c = CASES[1];
        Tensor[] in = operands(c, DType.FLOAT64);
        Tensor gy = Jt.randnLike(conv(in[0], in[1], in[2], c)).detach();
        // the input and weight gradients as functions of (x, w): differentiable again through the backward's tensor-op form
        GradCheck.checkFirstOrder(v -> {
            try (var m = dev.jtensor.autograd.GradMode.set(true)) { // GradCheck's finite-difference passes run without grad
                Tensor xv = BatchNormTest.leaf(v.get(0)), wv = BatchNormTest.leaf(v.get(1));
                List<Tensor> g = dev.jtensor.autograd.Autograd.grad(List.of(conv(xv, wv, null, c)), List.of(xv, wv), List.of(gy), true, true);
                return g.get(0).sum().add(g.get(1).square().sum());
            }
        }, in[0].detach(), in[1].detach());
    }

    @Test
    void onlyTheGradientsAskedForAreMade() {
        Tensor x = Jt.randn(3, 4, 9, 8), w = Jt.randn(6, 4, 3, 3).requiresGrad_(true);
        conv(x, w, null, CASES[0]).sum().backward();
        assertNull(x.grad());
        Tensor w2 = w.detach().clone().requiresGrad_(true);
        reference(x, w2, null, CASES[0]).sum().backward();
        assertClose(w2.grad(), w.grad(), 1e-4, "weight gradient without input or bias gradients");
    }

    /**
     * A 3x3 convolution 16 -> 16 on 32 x [16, 96, 96] float32: the input, output and their gradients are 18.9 MB each, the
     * columns of the whole batch 170 MB. Forward + backward may hold the four tensors, the weight's gradient and the
     * column budget (32 MiB) at once, not the batch's columns.
     */
    @Test
    void forwardAndBackwardHoldTheColumnBudgetNotTheBatchsColumns() {
        Jt.manualSeed(11);
        Tensor x = Jt.randn(32, 16, 96, 96).requiresGrad_(true), w = Jt.randn(16, 16, 3, 3).mul(0.1).requiresGrad_(true);
        long tensorBytes = x.numel() * 4, batchColumns = 32L * 16 * 9 * 96 * 96 * 4;
        NativeMemory.trimPool();
        long before = NativeMemory.liveBytes();
        NativeMemory.resetPeakLiveBytes();
        try (Tensor y = Jt.conv2d(x, w, null, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1)) {
            y.backward(Jt.onesLike(y));
        }
        long growth = NativeMemory.peakLiveBytes() - before;
        long bound = 4 * tensorBytes + Convolution.COLUMN_BYTES + (8L << 20);
        assertTrue(growth <= bound, "peak growth " + growth + " bytes, bound " + bound);
        assertTrue(bound < batchColumns, "the bound must be below the batch's columns to prove anything");
        assertEquals(32L * 16 * 96 * 96, x.grad().numel());
        assertTrue(w.grad().abs().sum().item() > 0);
    }
}
