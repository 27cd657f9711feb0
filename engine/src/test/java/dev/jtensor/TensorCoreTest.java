package dev.jtensor;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Creation, dtype inference, metadata, views sharing memory, conversions and bad input (issue 2). */
class TensorCoreTest {

    @Test
    void seedTutorialTensorsHaveTorchDtypesAndShapes() {
        Tensor t1 = tensor(4.0);
        assertEquals(DType.FLOAT32, t1.dtype());
        assertEquals("torch.float32", t1.dtype().toString());
        assertEquals("[]", t1.shape().toString());
        Tensor t2 = tensor(new double[] {1, 2, 3, 4});
        assertEquals(Shape.of(4), t2.shape());
        Tensor t3 = tensor(new long[][] {{5, 6}, {7, 8}, {9, 10}});
        assertEquals(DType.INT64, t3.dtype());
        assertEquals("[3, 2]", t3.shape().toString());
        Tensor t4 = tensor(new int[][][] {{{1, 2, 3}, {4, 5, 6}}, {{1, 2, 3}, {4, 5, 6}}});
        assertEquals(DType.INT64, t4.dtype());
        assertArrayEquals(new long[] {2, 2, 3}, t4.shape().toArray());
        assertEquals(3, t4.dim());
        assertEquals(12, t4.numel());
        assertEquals(2, t4.size(-2));
        assertArrayEquals(new long[] {6, 3, 1}, t4.stride());
    }

    @Test
    void javaTypesInferPyTorchDtypes() {
        assertEquals(DType.FLOAT32, tensor(new float[] {1}).dtype());
        assertEquals(DType.FLOAT32, tensor(new double[][] {{1}}).dtype());
        assertEquals(DType.INT64, tensor(3).dtype());
        assertEquals(DType.INT64, tensor(3L).dtype());
        assertEquals(DType.INT16, tensor(new short[] {1}).dtype());
        assertEquals(DType.INT8, tensor(new byte[] {1}).dtype());
        assertEquals(DType.BOOL, tensor(true).dtype());
        assertEquals(DType.BOOL, tensor(new boolean[][] {{true}, {false}}).dtype());
        assertEquals(DType.FLOAT64, tensor(new double[] {1.5}, DType.FLOAT64).dtype());
        assertEquals(1.5, tensor(new double[] {1.5}, DType.FLOAT64).item());
        assertEquals(DType.INT64, arange(36).dtype());
        assertEquals(DType.FLOAT32, arange(0, 1, 0.1).dtype());
        assertEquals(10, arange(0, 1, 0.1).numel());
    }

    @Test
    void everyDtypeRoundTripsThroughJavaArrays() {
        for (DType d : DType.values()) {
            Tensor t = tensor(new long[] {0, 1, 2, 3}, d);
            long[] expect = d == DType.BOOL ? new long[] {0, 1, 1, 1} : new long[] {0, 1, 2, 3};
            assertArrayEquals(expect, t.toLongArray(), d.toString());
            assertEquals(d.byteSize(), t.elementSize());
        }
        assertArrayEquals(new float[] {0.5f, -1.25f}, tensor(new double[] {0.5, -1.25}, DType.BFLOAT16).toFloatArray());
        assertArrayEquals(new double[] {0.5, 65504}, tensor(new double[] {0.5, 65504}, DType.FLOAT16).toDoubleArray());
        assertEquals(Long.MAX_VALUE, tensor(Long.MAX_VALUE).itemLong());
        assertEquals(-1, tensor(new long[] {255}, DType.UINT8).to(DType.INT8).itemLong());
        assertEquals(255, tensor(new long[] {-1}, DType.INT8).to(DType.UINT8).itemLong());
    }

    @Test
    void factoriesMatchTorch() {
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0}, zeros(2, 3).toDoubleArray());
        assertArrayEquals(new double[] {7, 7}, full(new long[] {2}, 7).toDoubleArray());
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, eye(2, 3).toDoubleArray());
        assertArrayEquals(new long[] {2, 4, 6, 8}, arange(2, 10, 2).toLongArray());
        assertArrayEquals(new long[] {5, 4, 3}, arange(5, 2, -1).toLongArray());
        assertEquals(0, arange(0).numel());
        assertEquals(DType.INT32, zerosLike(tensor(new long[] {1, 2}, DType.INT32)).dtype());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, linspace(0, 1, 5).toDoubleArray());
        assertEquals(DType.FLOAT64, randn(new long[] {3}, DType.FLOAT64).dtype());
        Generator g = new Generator(42);
        assertEquals(0.8823, rand(new long[] {1}, DType.FLOAT32, g).item(), 1e-4);
    }

    @Test
    void viewsShareMemoryBothWays() {
        Tensor a = arange(12).reshape(3, 4).to(DType.FLOAT32);
        Tensor row = a.get(1);
        row.add_(ones(4));
        assertArrayEquals(new double[] {5, 6, 7, 8}, a.get(1).toDoubleArray());
        Tensor col = a.slice(1, 1, 4, 2);           // a[:, 1:4:2]
        assertArrayEquals(new long[] {3, 2}, col.shape().toArray());
        assertArrayEquals(new double[] {1, 3, 6, 8, 9, 11}, col.toDoubleArray());
        a.add_(ones(3, 4));
        assertArrayEquals(new double[] {2, 4, 7, 9, 10, 12}, col.toDoubleArray());
        Tensor tT = a.t();
        assertEquals(a.get(2, 1).item(), tT.get(1, 2).item());
        assertFalse(tT.isContiguous());
        assertTrue(tT.contiguous().isContiguous());
        assertEquals(a.select(1, 3).toDoubleArray()[2], a.get(2, 3).item());
        Tensor v = a.view(4, 3);
        v.get(0).add_(ones(3));
        assertEquals(2, a.get(0, 0).item());
        assertEquals(a.get(0, 0).item(), a.flatten().get(0).item());
        assertEquals(Shape.of(1, 3, 1, 4), a.unsqueeze(0).unsqueeze(2).shape());
        assertEquals(Shape.of(3, 4), a.unsqueeze(0).unsqueeze(2).squeeze().shape());
        assertEquals(Shape.of(4, 3), a.permute(1, 0).shape());
        assertEquals(a.get(2, 1).item(), a.permute(1, 0).get(1, 2).item());
        Tensor e = tensor(new double[] {1, 2, 3}).expand(2, 3);
        assertArrayEquals(new long[] {0, 1}, e.stride());
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3}, e.toDoubleArray());
        assertEquals(a.get(1, 2).item(), a.narrow(0, 1, 2).get(0, 2).item());
        assertEquals(a.get(-1, -1).item(), a.get(2, 3).item());
    }

    @Test
    void reshapeViewsWhenPossibleAndCopiesOtherwise() {
        Tensor a = arange(6).reshape(2, 3);
        Tensor t = a.t();
        assertThrows(IllegalArgumentException.class, () -> t.view(6));
        Tensor r = t.reshape(6);
        assertArrayEquals(new long[] {0, 3, 1, 4, 2, 5}, r.toLongArray());
        assertEquals(Shape.of(3, 2), a.reshape(-1, 2).shape());
        var ex = assertThrows(IllegalArgumentException.class, () -> a.view(4, 2));
        assertTrue(ex.getMessage().contains("[4, 2]") && ex.getMessage().contains("6"), ex.getMessage());
        assertEquals(Shape.of(2, 3), a.view(2, 3).shape());
    }

    @Test
    void cloneAndToCopy() {
        Tensor a = tensor(new double[] {1.5, 2.5});
        Tensor c = a.clone();
        c.add_(ones(2));
        assertArrayEquals(new double[] {1.5, 2.5}, a.toDoubleArray());
        assertArrayEquals(new long[] {1, 2}, a.to(DType.INT64).toLongArray());
        assertSame(a, a.to(DType.FLOAT32));
        assertSame(a, a.to(Device.CPU));
        if (!cuda().isAvailable()) assertThrows(IllegalStateException.class, () -> a.to(Device.cuda(0)));
    }

    @Test
    void equalAndAllclose() {
        assertTrue(tensor(new long[] {1, 2}).equal(tensor(new long[] {1, 2})));
        assertFalse(tensor(new long[] {1, 2}).equal(tensor(new long[] {1, 3})));
        assertFalse(tensor(new long[] {1, 2}).equal(tensor(new long[] {1, 2, 3})));
        assertTrue(tensor(new double[] {1, 2}).allclose(tensor(new double[] {1 + 1e-7, 2})));
        assertFalse(tensor(new double[] {1, 2}).allclose(tensor(new double[] {1.1, 2})));
        assertTrue(tensor(new double[] {1, 2}).allclose(tensor(new double[] {1.1, 2}), 0.2, 0));
        assertFalse(tensor(Double.NaN).allclose(tensor(Double.NaN)));
    }

    @Test
    void wrapAndFromBufferShareCallersMemory() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(ValueLayout.JAVA_FLOAT, 6);
            Tensor t = Tensor.wrap(seg, DType.FLOAT32, 2, 3);
            seg.setAtIndex(ValueLayout.JAVA_FLOAT, 4, 9f);
            assertEquals(9, t.get(1, 1).item());
            t.add_(ones(2, 3));
            assertEquals(10f, seg.getAtIndex(ValueLayout.JAVA_FLOAT, 4));
            t.close();
            assertEquals(10f, seg.getAtIndex(ValueLayout.JAVA_FLOAT, 4)); // the caller still owns it
            assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(seg, DType.FLOAT64, 4));
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(0, 7).putInt(4, -3);
        assertArrayEquals(new long[] {7, -3}, Tensor.fromBuffer(buf, DType.INT32, 2).toLongArray());
        Tensor ro = Tensor.fromBuffer(buf.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN), DType.INT32, 2);
        assertTrue(ro.isReadOnly());
        assertThrows(IllegalStateException.class, () -> ro.add_(ones(new long[] {2}, DType.INT32)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.fromBuffer(ByteBuffer.allocate(8), DType.INT32, 2));
    }

    /**
     * Rows whose Java type is the dtype are bulk-copied: the bits arrive unchanged (NaN payloads, -0.0, subnormals),
     * nested rows land in order, large arrays (native memory) as small ones (heap), and converting rows still convert.
     */
    @Test
    void creationFromArraysKeepsEveryBit() {
        float payload = Float.intBitsToFloat(0x7fc12345);
        float[] f = {payload, -0.0f, Float.MIN_VALUE, Float.NEGATIVE_INFINITY, 3.5f};
        try (Tensor t = tensor(f)) {
            assertEquals(DType.FLOAT32, t.dtype());
            float[] back = t.toFloatArray();
            for (int i = 0; i < f.length; i++) assertEquals(Float.floatToRawIntBits(f[i]), Float.floatToRawIntBits(back[i]), "element " + i);
        }
        float[] big = new float[(1 << 20) + 3]; // native memory
        for (int i = 0; i < big.length; i++) big[i] = i * 0.25f - 7;
        try (Tensor t = tensor(big)) {
            assertArrayEquals(big, t.toFloatArray());
        }
        float[][] nested = {{1, 2, 3}, {4, 5, 6}};
        try (Tensor t = tensor(nested)) {
            assertArrayEquals(new long[] {2, 3}, t.shape().toArray());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloatArray());
        }
        try (Tensor t = tensor(new double[] {0.1, 1e300}); Tensor d = tensor(new double[] {0.1}, DType.FLOAT64)) {
            assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY}, t.toFloatArray()); // double data -> FLOAT32, rounded
            assertEquals(0.1, d.item());
        }
        try (Tensor l = tensor(new long[] {Long.MIN_VALUE, -1}); Tensor i = tensor(new int[] {7, -8}, DType.INT32);
             Tensor u = tensor(new byte[] {-1, 5}, DType.UINT8)) {
            assertEquals(Long.MIN_VALUE, l.get(0).itemLong());
            assertEquals(-8, i.get(1).itemLong());
            assertEquals(255, u.get(0).itemLong());
        }
    }

    @Test
    void badInputGetsClearExceptions() {
        var ragged = assertThrows(IllegalArgumentException.class, () -> tensor(new double[][] {{1, 2}, {3}}));
        assertTrue(ragged.getMessage().contains("ragged"), ragged.getMessage());
        var neg = assertThrows(IllegalArgumentException.class, () -> zeros(2, -3));
        assertTrue(neg.getMessage().contains("-3"), neg.getMessage());
        var huge = assertThrows(IllegalArgumentException.class, () -> zeros(1L << 40, 1L << 40));
        assertTrue(huge.getMessage().contains("long"), huge.getMessage());
        Tensor a = zeros(2, 3);
        var oob = assertThrows(IndexOutOfBoundsException.class, () -> a.get(2));
        assertTrue(oob.getMessage().contains("index 2") && oob.getMessage().contains("size 2"), oob.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> a.select(2, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> a.size(5));
        assertThrows(IllegalArgumentException.class, () -> a.permute(0, 0));
        assertThrows(IllegalArgumentException.class, () -> a.expand(4, 3));
        assertThrows(IllegalArgumentException.class, () -> a.reshape(-1, -1));
        assertThrows(IllegalArgumentException.class, () -> a.item());
        assertThrows(IllegalArgumentException.class, () -> a.slice(0, 0, 1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> a.narrow(1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> arange(0, 5, -1));
        assertThrows(IllegalArgumentException.class, () -> tensor(new String[] {"x"}));
        assertThrows(IllegalArgumentException.class, () -> tensor(1L).requiresGrad_(true));
        assertThrows(IndexOutOfBoundsException.class, () -> tensor(1.0).get(0));
        assertThrows(IllegalArgumentException.class, () -> Shape.of(-1));
    }

    @Test
    void emptyAndZeroDimTensors() {
        Tensor e = zeros(0, 3);
        assertEquals(0, e.numel());
        assertEquals(0, e.toDoubleArray().length);
        assertEquals(Shape.of(3, 0), e.t().shape());
        assertEquals(Shape.of(0), e.reshape(-1).shape());
        Tensor s = tensor(2.5);
        assertEquals(0, s.dim());
        assertEquals(1, s.numel());
        assertEquals(2.5, s.item());
        assertEquals(Shape.of(1), s.reshape(1).shape());
        assertEquals(Shape.of(1, 1), s.unsqueeze(0).unsqueeze(0).shape());
        assertEquals(Shape.of(), s.squeeze().shape());
    }
}
