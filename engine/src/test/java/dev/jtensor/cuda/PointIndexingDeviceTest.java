package dev.jtensor.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Slice;
import dev.jtensor.Tensor;
import dev.jtensor.internal.HostData;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 21: advanced indexing with several index tensors ({@code x[i, j]}, {@code x[:, i, :, j]}) computes the
 * linear positions on the device (one gather forward, one accumulating scatter backward, one scatter for
 * {@code x[i, j] = v}): no index value is read on the host, counted by {@link HostData#transfers()} (every host read
 * goes through that door). PyTorch's semantics (torch 1.13): index shapes broadcast, negative values count from the
 * end, B stands where adjacent index tensors stood and first otherwise, and an out-of-range value names its dim and
 * size ({@code index 4 is out of bounds for dimension 0 with size 4}). On the CPU and on cuda:0 where usable (the
 * emulated device in the cuda-emulated run).
 */
class PointIndexingDeviceTest {
    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        List<Device> devices = new ArrayList<>(List.of(Device.CPU));
        if (Jt.cuda().isAvailable()) devices.add(Device.cuda(0));
        for (Device d : devices) for (DType t : new DType[] {DType.INT64, DType.INT32}) out.add(Arguments.of(d, t));
        return out;
    }

    private static final long[][] I = {{1}, {-1}}; // shape [2, 1]
    private static final long[] J = {0, -2, 3};    // shape [3]: broadcast with I to B = [2, 3]

    private static Tensor index(long[][] v, DType t, Device d) { return Jt.tensor(v).to(t).to(d); }

    private static Tensor index(long[] v, DType t, Device d) { return Jt.tensor(v).to(t).to(d); }

    private static long wrap(long v, long size) { return v < 0 ? v + size : v; }

    /** Runs {@code op} asserting it read nothing on the host (no transfer through the host-data door). */
    private static <T> T noHostRead(String what, Supplier<T> op) {
        long before = HostData.transfers();
        T out = op.get();
        assertEquals(0, HostData.transfers() - before, what + ": host reads");
        return out;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void adjacentIndexTensorsBroadcastAndCountFromTheEnd(Device d, DType t) {
        Tensor x = Jt.arange(4 * 5 * 6, DType.FLOAT64).reshape(4, 5, 6).to(d);
        Tensor i = index(I, t, d), j = index(J, t, d);
        Tensor y = noHostRead("x[i, j]", () -> x.index(Slice.tensor(i), Slice.tensor(j)));
        assertEquals(d, y.device());
        assertArrayEquals(new long[] {2, 3, 6}, y.shape().toArray());
        double[] got = y.toDoubleArray();
        for (int a = 0, k = 0; a < 2; a++) {
            for (int b = 0; b < 3; b++) {
                for (int c = 0; c < 6; c++, k++) assertEquals((wrap(I[a][0], 4) * 5 + wrap(J[b], 5)) * 6 + c, got[k], "y" + List.of(a, b, c));
            }
        }
        // adjacent but not first: B stands where the index tensors stood
        Tensor x3 = Jt.arange(3 * 4 * 5, DType.FLOAT64).reshape(3, 4, 5).to(d);
        Tensor z = noHostRead("x[:, i, j]", () -> x3.index(Slice.all(), Slice.tensor(i), Slice.tensor(j)));
        assertArrayEquals(new long[] {3, 2, 3}, z.shape().toArray());
        double[] zv = z.toDoubleArray();
        for (int p = 0, k = 0; p < 3; p++) {
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 3; b++, k++) assertEquals((p * 4 + wrap(I[a][0], 4)) * 5 + wrap(J[b], 5), zv[k], "z" + List.of(p, a, b));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void separatedIndexTensorsPutTheirShapeFirst(Device d, DType t) {
        Tensor x = Jt.arange(3 * 4 * 5 * 6, DType.FLOAT32).reshape(3, 4, 5, 6).to(d);
        Tensor i = index(I, t, d), j = index(J, t, d);
        Tensor y = noHostRead("x[:, i, :, j]", () -> x.index(Slice.all(), Slice.tensor(i), Slice.all(), Slice.tensor(j)));
        assertArrayEquals(new long[] {2, 3, 3, 5}, y.shape().toArray());
        double[] got = y.toDoubleArray();
        for (int a = 0, k = 0; a < 2; a++) {
            for (int b = 0; b < 3; b++) {
                for (int p = 0; p < 3; p++) {
                    for (int q = 0; q < 5; q++, k++) {
                        assertEquals(((p * 4 + wrap(I[a][0], 4)) * 5 + q) * 6 + wrap(J[b], 6), got[k], "y" + List.of(a, b, p, q));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void backwardAccumulatesRepeatedPointsOnTheDevice(Device d, DType t) {
        Tensor x = Jt.zeros(new long[] {4, 5}, DType.FLOAT64).to(d).requiresGrad_(true);
        Tensor i = index(new long[] {0, 3, -4, 2}, t, d), j = index(new long[] {1, -1, 1, 0}, t, d); // (0, 1) twice
        Tensor w = Jt.tensor(new double[] {1, 2, 3, 4}).to(d);
        noHostRead("x[i, j] and its backward", () -> {
            x.index(Slice.tensor(i), Slice.tensor(j)).mul(w).sum().backward();
            return null;
        });
        double[] g = x.grad().toDoubleArray();
        double[] expected = new double[20];
        expected[1] = 1 + 3;
        expected[3 * 5 + 4] = 2;
        expected[2 * 5] = 4;
        assertArrayEquals(expected, g);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void assignmentScattersTheValuesOnTheDevice(Device d, DType t) {
        Tensor i = index(I, t, d), j = index(J, t, d);
        Tensor x = Jt.zeros(new long[] {3, 4, 5}, DType.FLOAT64).to(d);
        Tensor v = Jt.arange(3 * 2 * 3, DType.FLOAT64).reshape(3, 2, 3).to(d).add(1.0);
        noHostRead("x[:, i, j] = v", () -> x.set(new Slice[] {Slice.all(), Slice.tensor(i), Slice.tensor(j)}, v));
        double[] got = x.toDoubleArray(), vals = v.toDoubleArray();
        double[] expected = new double[60];
        for (int p = 0; p < 3; p++) {
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 3; b++) expected[(int) ((p * 4 + wrap(I[a][0], 4)) * 5 + wrap(J[b], 5))] = vals[(p * 2 + a) * 3 + b];
            }
        }
        assertArrayEquals(expected, got);
        // a transposed x: the merged dims are no view of it, so the values are written back through a copy
        Tensor xt = Jt.zeros(new long[] {5, 4}, DType.FLOAT64).to(d).t();
        noHostRead("xt[i, j] = 7", () -> xt.set(new Slice[] {Slice.tensor(index(new long[] {0, -1}, t, d)), Slice.tensor(index(new long[] {2, 4}, t, d))},
                Jt.tensor(7.0).to(d)));
        double[] tv = xt.contiguous().toDoubleArray();
        for (int k = 0; k < 20; k++) assertEquals(k == 2 || k == 3 * 5 + 4 ? 7 : 0, tv[k], "xt element " + k);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void anOutOfRangeIndexNamesItsDimAndSize(Device d, DType t) {
        Tensor x = Jt.zeros(new long[] {4, 5, 6}, DType.FLOAT32).to(d);
        assertOutOfRange(d, "index 4 is out of bounds for dimension 0 with size 4",
                () -> x.index(Slice.tensor(index(new long[] {0, 4}, t, d)), Slice.tensor(index(new long[] {0, 1}, t, d))));
        assertOutOfRange(d, "index -6 is out of bounds for dimension 1 with size 5",
                () -> x.index(Slice.tensor(index(new long[] {0, 1}, t, d)), Slice.tensor(index(new long[] {0, -6}, t, d))));
        assertOutOfRange(d, "index 6 is out of bounds for dimension 2 with size 6", () -> x.set(new Slice[] {Slice.all(),
                Slice.tensor(index(new long[] {0}, t, d)), Slice.tensor(index(new long[] {6}, t, d))}, 1.0));
    }

    /**
     * {@code op} raises the out-of-range error: at the call on the CPU and the emulated device, naming the index tensor's
     * dim and size; on a GPU at the next synchronization, naming the flat position the gather or scatter met there
     * (CudaIndexing: no host read of the index on the way).
     */
    private static void assertOutOfRange(Device d, String message, Runnable op) {
        if (!d.isCpu() && !Boolean.getBoolean("jtensor.cuda.emulate")) {
            var e = assertThrows(IndexOutOfBoundsException.class, () -> {
                op.run();
                Jt.cuda().synchronize();
            });
            assertTrue(e.getMessage().endsWith("(reported by an earlier CUDA kernel; the tensors it wrote are unspecified)"), e.getMessage());
            return;
        }
        var e = assertThrows(IndexOutOfBoundsException.class, op::run);
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
