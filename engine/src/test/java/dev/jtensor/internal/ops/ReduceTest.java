package dev.jtensor.internal.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import org.junit.jupiter.api.Test;

/** Accuracy, dtype rules and error messages of the reductions (values are checked by ReduceGoldenTest). */
class ReduceTest {
    @Test
    void sumOfAHundredMillionFloat32OnesIsExact() {
        try (Tensor ones = Jt.ones(100_000_000)) {
            assertEquals(1e8, ones.sum().item());
            assertEquals(1.0, ones.mean().item());
            assertEquals(1e8, ones.view(10_000, 10_000).sum(1).sum().item());
            assertEquals(1e8, ones.view(10_000, 10_000).sum(0).sum().item());
        }
    }

    @Test
    void float32SumIsAccurateForMixedMagnitudes() {
        Jt.manualSeed(1);
        Tensor x = Jt.rand(1 << 20);
        double exact = 0;
        for (double v : x.toDoubleArray()) exact += v;
        assertEquals(exact, x.sum().item(), Math.abs(exact) * 1e-7);
    }

    @Test
    void sumIsIndependentOfThreadCount() {
        Jt.manualSeed(2);
        Tensor x = Jt.randn(1 << 21);
        int threads = Jt.getNumThreads();
        double many = x.sum().item();
        try {
            Jt.setNumThreads(1);
            assertEquals(many, x.sum().item());
        } finally {
            Jt.setNumThreads(threads);
        }
    }

    @Test
    void largeStridedReductionsMatchTheReference() {
        for (DType type : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Jt.manualSeed(4);
            Tensor x = Jt.randn(new long[] {301, 500}, type);
            double[] rows = x.sum(0).toDoubleArray(), cols = x.t().sum(1).toDoubleArray();
            double[] v = x.toDoubleArray();
            double tol = type == DType.FLOAT64 ? 1e-10 : 1e-4;
            for (int j = 0; j < 500; j++) {
                double s = 0;
                for (int i = 0; i < 301; i++) s += v[i * 500 + j];
                assertEquals(s, rows[j], tol);
                assertEquals(s, cols[j], tol);
            }
        }
    }

    @Test
    void largeFullReductionsSplitAcrossThreadsMatchOneThread() {
        Jt.manualSeed(5);
        Tensor x = Jt.randn(new long[] {600, 500}, DType.FLOAT64).t(); // 300,000 strided elements: the split path
        Tensor ints = Jt.randint(-5, 6, new long[] {500, 600}).t();
        Tensor nearOne = Jt.rand(new long[] {500, 600}, DType.FLOAT64).t().mul(1e-6).add(1.0);
        x.get(123, 456).fill_(Double.NaN);
        Tensor y = x.maskedFill(x.isnan(), 0.5);
        java.util.function.Supplier<double[]> all = () -> new double[] {
            y.amax().item(), y.amin().item(), y.argmax().item(), y.argmin().item(), x.max().item(), x.argmax().item(),
            y.norm(1).item(), y.norm().item(), y.norm(Double.POSITIVE_INFINITY).item(), y.norm(Double.NEGATIVE_INFINITY).item(),
            y.norm(3).item(), y.var().item(), y.std(new int[0], 0, false).item(), y.logsumexp(new int[] {0, 1}, false).item(),
            nearOne.prod().item(), ints.sum().item(), ints.amax().item(), ints.argmin().item(), y.gt(0).all().item(),
            y.gt(0).any().item(), y.gt(-100).all().item(), y.sum().item()};
        int threads = Jt.getNumThreads();
        double[] split = all.get(), one;
        try {
            Jt.setNumThreads(1);
            one = all.get();
        } finally {
            Jt.setNumThreads(threads);
        }
        for (int i = 0; i < one.length; i++) {
            if (Double.isNaN(one[i])) assertTrue(Double.isNaN(split[i]), "result " + i);
            else assertEquals(one[i], split[i], Math.abs(one[i]) * 1e-12, "result " + i);
        }
        assertTrue(Double.isNaN(split[4]), "NaN wins max()");
        assertEquals(123 * 600 + 456, split[5], "argmax is the NaN's flat index");
    }

    @Test
    void dtypeRules() {
        Tensor ints = Jt.tensor(new int[] {1, 2, 3}, DType.INT32);
        assertEquals(DType.INT64, ints.sum().dtype());
        assertEquals(DType.INT64, ints.prod().dtype());
        assertEquals(DType.INT64, ints.cumsum(0).dtype());
        assertEquals(DType.INT32, ints.amax().dtype());
        assertEquals(DType.INT64, ints.argmax().dtype());
        assertEquals(DType.BOOL, ints.all().dtype());
        assertEquals(DType.FLOAT64, ints.sum(DType.FLOAT64).dtype());
        assertEquals(2.0, ints.mean(DType.FLOAT32).item());
        assertEquals(DType.INT64, Jt.tensor(new boolean[] {true, true}).sum().dtype());
        assertEquals(DType.FLOAT32, ints.logsumexp(0).dtype());
        long big = (1L << 53) + 1;
        assertEquals(big + 1, Jt.tensor(new long[] {big, 1}).sum().itemLong(), "int64 sums are exact");
    }

    @Test
    void errors() {
        Tensor ints = Jt.tensor(new long[] {1, 2});
        var e = assertThrows(IllegalArgumentException.class, ints::mean);
        assertEquals("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. "
                + "Got: Long", e.getMessage());
        assertThrows(UnsupportedOperationException.class, ints::var);
        assertThrows(UnsupportedOperationException.class, ints::norm);
        assertThrows(UnsupportedOperationException.class, () -> ints.softmax(0));
        var empty = assertThrows(IllegalArgumentException.class, () -> Jt.zeros(0).max());
        assertTrue(empty.getMessage().contains("numel() == 0"), empty.getMessage());
        var emptyDim = assertThrows(IndexOutOfBoundsException.class, () -> Jt.zeros(3, 0).amax(1));
        assertTrue(emptyDim.getMessage().contains("Expected reduction dim 1 to have non-zero size"), emptyDim.getMessage());
        var dim = assertThrows(IndexOutOfBoundsException.class, () -> Jt.zeros(2, 3).sum(2));
        assertTrue(dim.getMessage().contains("Dimension out of range (expected to be in range of [-2, 1], but got 2)"));
        var twice = assertThrows(IllegalArgumentException.class, () -> Jt.zeros(2, 3).sum(new int[] {1, -1}, false));
        assertTrue(twice.getMessage().contains("dim 1 appears multiple times"), twice.getMessage());
    }

    @Test
    void emptyReductionsHaveTheirIdentity() {
        assertEquals(0.0, Jt.zeros(0).sum().item());
        assertEquals(1.0, Jt.zeros(0).prod().item());
        assertTrue(Double.isNaN(Jt.zeros(0).mean().item()));
        assertEquals(1.0, Jt.zeros(0).all().item());
        assertEquals(0.0, Jt.zeros(0).any().item());
        assertEquals(Double.NEGATIVE_INFINITY, Jt.zeros(0).logsumexp(0).item());
    }

    @Test
    void softmaxIsStableForHugeInputs() {
        Tensor x = Jt.tensor(new double[] {1e4, 1e4 + 1, -1e4}, DType.FLOAT32);
        double[] y = x.softmax(0).toDoubleArray();
        assertEquals(1 / (1 + Math.E), y[0], 1e-6);
        assertEquals(Math.E / (1 + Math.E), y[1], 1e-6);
        assertEquals(0.0, y[2]);
        assertEquals(-Math.log1p(Math.E), x.logSoftmax(0).toDoubleArray()[0], 1e-4);
    }

    @Test
    void releasedInputThrows() {
        Tensor x = Jt.ones(2000);
        x.close();
        assertThrows(IllegalStateException.class, x::sum);
    }
}
