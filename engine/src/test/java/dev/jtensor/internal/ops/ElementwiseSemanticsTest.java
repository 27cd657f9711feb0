package dev.jtensor.internal.ops;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.backend.Storage;
import org.junit.jupiter.api.Test;

/** In place through views, out= forms that allocate nothing, PyTorch's error messages, and the parallel kernels. */
class ElementwiseSemanticsTest {

    @Test
    void inPlaceThroughViewsIsVisibleInTheBase() {
        Tensor base = zeros(3, 4);
        base.select(0, 1).add_(1.0);
        base.t().slice(0, 0, 4, 2).mul_(0.0).add_(5.0);  // columns 0 and 2 through a transposed, stepped view
        assertArrayEquals(new float[] {5, 0, 5, 0, 5, 1, 5, 1, 5, 0, 5, 0}, base.toFloatArray());
        base.select(1, 3).copy_(tensor(new long[] {7, 8, 9}));  // int64 -> float32, strided destination
        assertArrayEquals(new float[] {7, 8, 9}, base.select(1, 3).toFloatArray());
        base.slice(0, 0, 2).fill_(-1.0);
        assertArrayEquals(new float[] {-1, -1, -1, -1}, base.get(1).toFloatArray());
        base.zero_();
        assertEquals(0.0, base.abs().toDoubleArray()[7]);
    }

    @Test
    void outFormsAllocateNoStorage() {
        Tensor a = rand(64, 64), b = rand(64), out = zeros(64, 64);
        Tensor mask = zeros(new long[] {64, 64}, DType.BOOL);
        Tensor d = zeros(new long[] {64, 64}, DType.FLOAT64);
        Tensor i = arange(64);
        Runnable ops = () -> {
            add(a, b, out);
            add(a, b, 0.5, out);
            mul(a, 2.0, out);
            div(a, b, d);               // float32 result written into a float64 out
            exp(a, out);
            clamp(a, 0.2, 0.8, out);
            gt(a, b, mask);
            where(mask, a, b, out);
            add(i, a, out);             // int64 + float32 broadcast
            sigmoid(a.t(), out);        // transposed input
        };
        ops.run();                      // warm up class init
        long before = Storage.allocationCount();
        ops.run();
        assertEquals(before, Storage.allocationCount(), "out= forms allocated storage");
        assertTrue(Storage.allocationCount() > before - 1);
        add(a, b);
        assertEquals(before + 1, Storage.allocationCount(), "a fresh result allocates exactly one storage");
    }

    @Test
    void outOfTheWrongDtypeOrShapeThrows() {
        Tensor a = ones(2);
        var e = assertThrows(IllegalArgumentException.class, () -> add(a, a, zeros(new long[] {2}, DType.INT64)));
        assertEquals("result type Float can't be cast to the desired output type Long", e.getMessage());
        var s = assertThrows(IllegalArgumentException.class, () -> add(a, a, zeros(3)));
        assertTrue(s.getMessage().contains("[3]") && s.getMessage().contains("[2]"), s.getMessage());
        Tensor r = add(a, a, zeros(new long[] {2}, DType.FLOAT64));  // float32 result casts into float64: allowed
        assertEquals(DType.FLOAT64, r.dtype());
    }

    @Test
    void inPlaceResultMustCastToSelf() {
        Tensor i = tensor(new long[] {1, 2});
        var e = assertThrows(IllegalArgumentException.class, () -> i.add_(tensor(new double[] {1.5, 2})));
        assertEquals("result type Float can't be cast to the desired output type Long", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> i.div_(2L));
        var b = assertThrows(IllegalArgumentException.class, () -> ones(2).add_(ones(3, 2)));
        assertEquals("output with shape [2] doesn't match the broadcast shape [3, 2]", b.getMessage());
        assertArrayEquals(new long[] {3, 6}, i.mul_(3L).toLongArray());
    }

    @Test
    void integerDivisionByZero() {
        Tensor i = tensor(new long[] {7, -7});
        var e = assertThrows(ArithmeticException.class, () -> i.floorDiv(0L));
        assertTrue(e.getMessage().startsWith("floorDiv"), e.getMessage());
        assertThrows(ArithmeticException.class, () -> i.remainder(tensor(new long[] {0, 1})));
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, i.div(0L).toFloatArray());
        assertArrayEquals(new long[] {-4, 3}, i.floorDiv(-2L).toLongArray());
        assertArrayEquals(new long[] {-1, -1}, i.remainder(-2L).toLongArray());
    }

    @Test
    void writingIntoAnExpandedTensorThrows() {
        Tensor e = zeros(1, 3).expand(4, 3);
        assertThrows(IllegalArgumentException.class, () -> e.add_(1.0));
    }

    @Test
    void largeParallelKernelsMatchTheScalarOracle() {
        int n = 1 << 18;
        Tensor a = randn(n), b = randn(n), s = randn(1);
        float[] av = a.toFloatArray(), bv = b.toFloatArray();
        float sv = s.toFloatArray()[0];
        float[] add = a.add(b, 0.5).toFloatArray(), mul = a.mul(s).toFloatArray(), div = a.div(b).toFloatArray();
        float[] relu = a.relu().toFloatArray(), max = a.maximum(b).toFloatArray();
        for (int k = 0; k < n; k++) {
            assertEquals(av[k] + 0.5f * bv[k], add[k]);
            assertEquals(av[k] * sv, mul[k]);
            assertEquals(av[k] / bv[k], div[k]);
            assertEquals(Math.max(av[k], 0f), relu[k]);
            assertEquals(Math.max(av[k], bv[k]), max[k]);
        }
        Tensor m = randn(512, 512);
        Tensor row = randn(512);
        float[] got = m.t().add(row).toFloatArray(), mv = m.toFloatArray(), rv = row.toFloatArray();
        for (int r = 0; r < 512; r++) {
            for (int c = 0; c < 512; c++) assertEquals(mv[c * 512 + r] + rv[c], got[r * 512 + c]);
        }
        Tensor t = m.clone(), view = t.t();
        assertSame(view, view.mul_(2.0));
        assertEquals(mv[5] * 2, t.toFloatArray()[5]);
    }

    @Test
    void scalarPromotionKeepsTheTensorCategory() {
        assertEquals(DType.FLOAT16, ones(new long[] {2}, DType.FLOAT16).add(2.5).dtype());
        assertEquals(DType.INT8, ones(new long[] {2}, DType.INT8).add(1000L).dtype());
        assertEquals(DType.FLOAT32, ones(new long[] {2}, DType.INT32).add(2.5).dtype());
        assertEquals(DType.INT64, ones(new long[] {2}, DType.BOOL).add(1L).dtype());
        assertEquals(DType.FLOAT32, ones(new long[] {2}, DType.INT64).add(ones(2)).dtype());
        assertEquals(DType.INT16, ones(new long[] {2}, DType.UINT8).add(ones(new long[] {2}, DType.INT8)).dtype());
        assertEquals(DType.FLOAT32, ones(new long[] {2}, DType.FLOAT32).add(tensor(1.0).to(DType.FLOAT64)).dtype());
        assertEquals(DType.FLOAT64, ones(new long[] {2}, DType.UINT8).add(tensor(1.0).to(DType.FLOAT64)).dtype());
        assertEquals(DType.FLOAT32, ones(new long[] {2}, DType.INT64).div(2L).dtype());
    }
}
