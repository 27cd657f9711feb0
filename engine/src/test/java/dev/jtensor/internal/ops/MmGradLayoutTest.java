package dev.jtensor.internal.ops;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * mm/addmm backward gives a transposed operand its gradient in its own layout (PyTorch's
 * mm_mat1_backward/mm_mat2_backward): {@code x @ w.t()} leaves w a contiguous gradient, with the values
 * of the plain formulas {@code g @ b^T} and {@code a^T @ g}, and no operand copy.
 */
class MmGradLayoutTest {
    /** Equal to float64 rounding: both sides are OpenBLAS products (transposed or not), whose order of sums varies by kernel. */
    private static void assertClose(Tensor want, Tensor got) {
        double[] w = want.toDoubleArray(), g = got.toDoubleArray();
        assertEquals(w.length, g.length);
        for (int i = 0; i < w.length; i++) assertEquals(w[i], g[i], 1e-9 * (1 + Math.abs(w[i])), "element " + i);
    }

    @Test
    void linearWeightGradientIsContiguousAndRight() {
        manualSeed(1);
        Tensor x = randn(new long[] {5, 7}, DType.FLOAT64), g = randn(new long[] {5, 3}, DType.FLOAT64);
        Tensor w = randn(new long[] {3, 7}, DType.FLOAT64).requiresGrad_(true);
        Tensor b = randn(new long[] {3}, DType.FLOAT64).requiresGrad_(true);
        long copies = MatmulForward.operandCopies();
        b.addmm(x, w.t()).backward(g);
        assertEquals(copies, MatmulForward.operandCopies());
        assertTrue(w.grad().isContiguous());
        assertClose(g.t().mm(x), w.grad());
        assertClose(g.sum(0, false), b.grad());
    }

    @Test
    void transposedFirstOperandGetsItsLayoutToo() {
        manualSeed(2);
        Tensor a = randn(new long[] {4, 6}, DType.FLOAT64).requiresGrad_(true); // used as a.t(): [6, 4]
        Tensor m = randn(new long[] {4, 5}, DType.FLOAT64).requiresGrad_(true);
        Tensor g = randn(new long[] {6, 5}, DType.FLOAT64);
        a.t().mm(m).backward(g);
        assertTrue(a.grad().isContiguous());
        assertClose(g.mm(m.t()).t(), a.grad());
        assertClose(a.mm(g), m.grad());
    }

    @Test
    void plainOperandsAreUnchanged() {
        Tensor a = tensor(new double[][] {{1, 2}, {3, 4}}).requiresGrad_(true);
        Tensor m = tensor(new double[][] {{5, 6}, {7, 8}}).requiresGrad_(true);
        a.mm(m).sum().backward();
        assertArrayEquals(new double[] {11, 15, 11, 15}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {4, 4, 6, 6}, m.grad().toDoubleArray());
    }
}
