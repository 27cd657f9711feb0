package dev.jtensor.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.io.Npy;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 21: the one door for host bytes, on the CPU (the device half is {@code cuda/HostDataDeviceTest}). */
class HostDataTest {
    /** 0..5 as {@code dtype} holds them (bool: nonzero is 1). */
    private static double[] expected(DType dtype) {
        double[] e = new double[6];
        for (int i = 0; i < 6; i++) e[i] = dtype == DType.BOOL ? (i != 0 ? 1 : 0) : i;
        return e;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyDtypeIsWrittenAndReadBack(DType dtype) {
        Tensor t = HostData.write(dtype, new long[] {2, 3}, Device.CPU, dst -> {
            for (int i = 0; i < 6; i++) dst.setDouble(i, i);
        });
        assertEquals(dtype, t.dtype());
        assertArrayEquals(new long[] {2, 3}, t.shape().toArray());
        double[] e = expected(dtype);
        assertArrayEquals(e, t.toDoubleArray());
        assertArrayEquals(e, HostData.read(t, HostData.Bytes::toDoubleArray));
        float[] f = t.toFloatArray();
        long[] l = t.toLongArray();
        for (int i = 0; i < 6; i++) {
            assertEquals((float) e[i], f[i]);
            assertEquals((long) e[i], l[i]);
        }
        assertEquals(e[5], t.get(1, 2).item());
        assertEquals((long) e[4], t.get(1, 1).itemLong());
        assertEquals(Jt.tensor(new double[][] {{0, 1, 2}, {3, 4, 5}}, dtype).toString(), t.toString());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void zeroDimTensorsHoldOneElement(DType dtype) {
        Tensor t = HostData.write(dtype, new long[0], Device.CPU, dst -> dst.setLong(0, 1));
        assertEquals(0, t.dim());
        assertEquals(1.0, t.item());
        assertEquals(1L, t.itemLong());
        assertArrayEquals(new double[] {1}, t.toDoubleArray());
        Tensor s = HostData.scalar(1.0, dtype);
        assertEquals(0, s.dim());
        assertEquals(1.0, s.item());
        assertEquals(1L, HostData.scalar(1L, dtype).itemLong());
    }

    @Test
    void emptyTensorsHaveNoBytes() {
        int[] calls = {0};
        Tensor t = HostData.write(DType.FLOAT32, new long[] {0, 3}, Device.CPU, dst -> {
            calls[0]++;
            assertEquals(0, dst.memory().byteSize());
        });
        assertEquals(1, calls[0]);
        assertEquals(0, t.numel());
        assertEquals(0, t.toFloatArray().length);
        assertEquals(0, t.toLongArray().length);
        assertEquals(0, (long) HostData.read(t, b -> b.elements().byteSize()));
        assertEquals("tensor([], size=(0, 3))", t.toString());
    }

    @Test
    void stridedViewsAreReadInPlaceInRowMajorOrder() {
        Tensor x = Jt.arange(24, DType.INT64).reshape(2, 3, 4);
        Tensor v = x.permute(2, 0, 1).slice(0, 1, 4, 2); // shape [2, 2, 3]: x[:, :, 1::2] moved to the front
        long[] want = new long[12];
        int k = 0;
        for (int c = 1; c < 4; c += 2) for (int a = 0; a < 2; a++) for (int b = 0; b < 3; b++) want[k++] = a * 12 + b * 4 + c;
        long allocations = Storage.allocationCount();
        assertArrayEquals(want, v.toLongArray());
        double[] d = v.toDoubleArray();
        float[] f = v.to(DType.FLOAT32).toFloatArray();
        for (int i = 0; i < 12; i++) {
            assertEquals(want[i], d[i]);
            assertEquals(want[i], f[i]);
        }
        assertEquals(allocations + 1, Storage.allocationCount(), "only to(FLOAT32) allocated: reads copy nothing");
        HostData.read(v, b -> {
            assertEquals(Tensors.storage(x).byteSize(), b.memory().byteSize(), "the view's own storage, not a copy");
            assertEquals(Tensors.layout(v), b.layout());
            return null;
        });
        assertEquals(want[7], v.get(1, 0, 1).itemLong());
    }

    @Test
    void contiguousSlicesAreReadAtTheirOffset() {
        Tensor x = Jt.arange(0.0, 10.0, 1.0, DType.FLOAT32).slice(0, 3, 7);
        assertArrayEquals(new float[] {3, 4, 5, 6}, x.toFloatArray());
        assertArrayEquals(new double[] {3, 4, 5, 6}, x.toDoubleArray());
        Tensor d = Jt.arange(0.0, 10.0, 1.0, DType.FLOAT64).slice(0, 5, 8);
        assertArrayEquals(new double[] {5, 6, 7}, d.toDoubleArray());
        assertArrayEquals(new long[] {6, 7, 8}, Jt.arange(10).slice(0, 6, 9).toLongArray());
        assertEquals(16L, (long) HostData.read(x, b -> b.elements().byteSize()), "4 floats from element 3");
    }

    @Test
    void fortranLayoutsAreWrittenInMemoryOrder() {
        Layout columnMajor = new Layout(new long[] {2, 3}, new long[] {1, 2}, 0);
        Tensor t = HostData.write(DType.INT32, columnMajor, Device.CPU, dst -> {
            for (int i = 0; i < 6; i++) dst.setLong(i, i);
        });
        assertArrayEquals(new long[] {0, 2, 4, 1, 3, 5}, t.toLongArray());
        assertThrows(IllegalArgumentException.class,
                () -> HostData.write(DType.INT32, new Layout(new long[] {2}, new long[] {2}, 0), Device.CPU, dst -> {}));
    }

    @Test
    void javaRowsAreCopiedWithConversion() {
        Tensor f32 = HostData.write(DType.FLOAT32, new long[] {3}, Device.CPU, dst -> dst.copyFrom(0, new float[] {0.1f, -2.5f, 3e38f}));
        assertArrayEquals(new float[] {0.1f, -2.5f, 3e38f}, f32.toFloatArray());
        Tensor f16 = HostData.write(DType.FLOAT16, new long[] {4}, Device.CPU, dst -> {
            dst.copyFrom(0, new double[] {1.5, -0.25});
            dst.copyFrom(2, new int[] {7, 65504});
        });
        assertArrayEquals(new double[] {1.5, -0.25, 7, 65504}, f16.toDoubleArray());
        Tensor b = HostData.write(DType.BOOL, new long[] {3}, Device.CPU, dst -> dst.copyFrom(0, new boolean[] {true, false, true}));
        assertArrayEquals(new long[] {1, 0, 1}, b.toLongArray());
        Tensor u8 = HostData.write(DType.UINT8, new long[] {2}, Device.CPU, dst -> dst.copyFrom(0, new byte[] {(byte) 200, 5}));
        assertArrayEquals(new long[] {200, 5}, u8.toLongArray());
        assertThrows(IllegalArgumentException.class,
                () -> HostData.write(DType.FLOAT32, new long[] {1}, Device.CPU, dst -> dst.copyFrom(0, new String[] {"x"})));
    }

    @Test
    void aWritersExceptionPropagatesAsThrown() {
        IOException bad = new IOException("disk on fire");
        IOException thrown = assertThrows(IOException.class, () -> HostData.write(DType.FLOAT32, new long[] {4}, Device.CPU, dst -> {
            throw bad;
        }));
        assertSame(bad, thrown);
    }

    @Test
    void releasedTensorsAreRefused() {
        Tensor t = Jt.ones(4);
        t.close();
        assertThrows(IllegalStateException.class, t::toFloatArray);
        assertThrows(IllegalStateException.class, () -> HostData.read(t, HostData.Bytes::item));
        assertEquals("tensor(<released>)", t.toString());
    }

    @Test
    void wrappedAndMappedMemoryIsReadWhereItIs(@TempDir Path tmp) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(16, 8);
            Tensor t = Tensor.wrap(seg, DType.FLOAT32, 4);
            t.fill_(3);
            assertEquals(3f, seg.getAtIndex(ValueLayout.JAVA_FLOAT, 2));
            assertEquals(seg.address(), (long) HostData.read(t, b -> b.memory().address()), "the caller's segment itself");
        }
        Path file = tmp.resolve("x.npy");
        Npy.save(file, Jt.arange(0.0, 1000.0, 1.0, DType.FLOAT64));
        long allocations = Storage.allocationCount();
        Tensor mapped = Npy.map(file);
        assertEquals(allocations, Storage.allocationCount(), "mapping allocates no storage");
        boolean mappedMemory = HostData.read(mapped, b -> b.memory().isMapped());
        assertTrue(mappedMemory, "the file mapping itself");
        assertEquals(999.0, mapped.get(999).item());
        assertTrue(mapped.isReadOnly());
    }

    @Test
    void cpuTensorsAreTheirOwnHostCopy() {
        Tensor t = Jt.ones(3);
        long before = HostData.transfers();
        assertSame(t, HostData.onHost(t));
        assertEquals(3.0, t.sum().item());
        assertEquals(before, HostData.transfers(), "no transfer on the CPU");
    }
}
