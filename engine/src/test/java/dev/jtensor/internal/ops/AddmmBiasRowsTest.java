package dev.jtensor.internal.ops;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * addmm/baddbmm with a bias row broadcast over the rows (written as the row, then doubling block
 * copies) give {@code bias + a @ b} for row counts that are and are not powers of two, a [1, n] bias,
 * a bias that is a view at an offset, and a batched bias.
 */
class AddmmBiasRowsTest {
    /**
     * Equal to float rounding, not bit for bit: both sides are OpenBLAS products, and addmm folds the bias
     * into gemm's beta while mm + add rounds the product first (and kernels differ by CPU).
     */
    private static void assertClose(Tensor want, Tensor got) {
        assertEquals(want.shape(), got.shape());
        double[] w = want.toDoubleArray(), g = got.toDoubleArray();
        for (int i = 0; i < w.length; i++) assertEquals(w[i], g[i], 1e-9 * (1 + Math.abs(w[i])), "element " + i);
    }

    @Test
    void rowBiasForManyRowCounts() {
        manualSeed(5);
        for (int m : new int[] {1, 2, 3, 7, 8, 13, 64, 100}) {
            Tensor a = randn(new long[] {m, 4}, DType.FLOAT64), b = randn(new long[] {4, 6}, DType.FLOAT64);
            Tensor bias = randn(new long[] {6}, DType.FLOAT64);
            assertClose(a.mm(b).add(bias), bias.addmm(a, b));
            assertClose(a.mm(b).add(bias.unsqueeze(0)), bias.unsqueeze(0).addmm(a, b));
        }
    }

    @Test
    void biasViewAtAnOffsetAndFloat32() {
        manualSeed(6);
        Tensor a = randn(5, 3), b = randn(3, 4);
        Tensor bias = randn(3, 4).select(0, 2); // a row of a larger tensor: offset 8
        Tensor want = a.mm(b).add(bias), got = bias.addmm(a, b);
        float[] w = want.toFloatArray(), g = got.toFloatArray();
        // float32 gemm with the bias as beta vs the product rounded then added: a few ulps apart
        for (int i = 0; i < w.length; i++) assertEquals(w[i], g[i], 1e-5f * (1 + Math.abs(w[i])));
    }

    @Test
    void batchedBias() {
        manualSeed(7);
        Tensor b1 = randn(new long[] {3, 5, 2}, DType.FLOAT64), b2 = randn(new long[] {3, 2, 4}, DType.FLOAT64);
        Tensor bias = randn(new long[] {4}, DType.FLOAT64);
        assertClose(b1.bmm(b2).add(bias), bias.baddbmm(b1, b2, 1, 1));
    }
}
