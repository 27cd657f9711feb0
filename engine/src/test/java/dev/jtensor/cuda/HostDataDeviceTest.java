package dev.jtensor.cuda;

import static dev.jtensor.cuda.CudaTestSupport.CUDA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.internal.HostData;
import dev.jtensor.io.Npy;
import dev.jtensor.io.Safetensors;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 21: host bytes reach a device tensor through the one door, in one transfer each way (counted by
 * {@link HostData#transfers()}), also on the emulated device where a host read that forgot to copy would fail.
 */
class HostDataDeviceTest {
    @TempDir Path tmp;

    @BeforeEach
    void cuda() { CudaTestSupport.requireCuda(); }

    /** Runs {@code op}, asserting it made {@code expected} host-device transfers through the door. */
    private static <T> T transfers(long expected, String what, Supplier<T> op) {
        long before = HostData.transfers();
        T out = op.get();
        assertEquals(expected, HostData.transfers() - before, what + ": transfers");
        return out;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyDtypeGoesUpAndComesDownInOneTransferEach(DType dtype) {
        Tensor t = transfers(1, "write", () -> HostData.write(dtype, new long[] {2, 3}, CUDA, dst -> {
            for (int i = 0; i < 6; i++) dst.setDouble(i, i);
        }));
        assertEquals(CUDA, t.device());
        double[] back = transfers(1, "read", t::toDoubleArray);
        for (int i = 0; i < 6; i++) assertEquals(dtype == DType.BOOL ? (i != 0 ? 1 : 0) : i, back[i], dtype + " element " + i);
        long[] longs = transfers(1, "read as longs", t::toLongArray);
        assertEquals(back[5], longs[5]);
    }

    @Test
    void stridedDeviceViewsComeDownOnceInRowMajorOrder() {
        Tensor cpu = Jt.arange(24, DType.INT64).reshape(2, 3, 4);
        Tensor x = cpu.to(CUDA);
        Tensor v = x.permute(2, 0, 1).slice(0, 1, 4, 2);
        long[] got = transfers(1, "strided read", v::toLongArray);
        assertArrayEquals(cpu.permute(2, 0, 1).slice(0, 1, 4, 2).toLongArray(), got);
        float[] f = transfers(1, "strided float read", () -> x.to(DType.FLOAT32).transpose(0, 2).toFloatArray());
        assertArrayEquals(cpu.to(DType.FLOAT32).transpose(0, 2).toFloatArray(), f);
    }

    @Test
    void scalarsAndEmptyTensors() {
        Tensor s = transfers(1, "0-d write", () -> HostData.write(DType.FLOAT64, new long[0], CUDA, dst -> dst.setDouble(0, 2.5)));
        assertEquals(CUDA, s.device());
        assertEquals(2.5, transfers(1, "item", s::item));
        assertEquals(2L, (long) transfers(1, "itemLong", s::itemLong));
        Tensor e = transfers(0, "empty write", () -> HostData.write(DType.FLOAT32, new long[] {0, 4}, CUDA, dst -> {}));
        assertEquals(CUDA, e.device());
        assertArrayEquals(new long[] {0, 4}, e.shape().toArray());
        assertEquals(0, transfers(0, "empty read", e::toFloatArray).length);
    }

    @Test
    void printingADeviceTensorReadsItOnce() {
        Tensor cpu = Jt.tensor(new double[][] {{1.5, -2}, {3, 4}});
        Tensor d = cpu.to(CUDA);
        String repr = transfers(1, "print", d::toString);
        assertEquals(cpu.toString().replace(")", ", device='cuda:0')"), repr);
    }

    @Test
    void factoriesFromJavaDataGoUpOnce() {
        Tensor a = transfers(1, "arange", () -> Jt.arange(5.0, DType.FLOAT32, CUDA, false));
        assertEquals(CUDA, a.device());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4}, a.toFloatArray());
        Tensor eye = transfers(1, "eye", () -> Jt.eye(3, 2, DType.FLOAT64, CUDA, false));
        assertArrayEquals(new double[] {1, 0, 0, 1, 0, 0}, eye.toDoubleArray());
        Tensor lin = transfers(1, "linspace", () -> Jt.linspace(0, 1, 5, DType.FLOAT32, CUDA, true));
        assertTrue(lin.requiresGrad());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1}, lin.toFloatArray());
    }

    @Test
    void savingDeviceTensorsDownloadsEachOnce() throws Exception {
        Tensor cpu = Jt.arange(12, DType.INT32).reshape(3, 4);
        Tensor d = cpu.to(CUDA);
        Path npy = tmp.resolve("a.npy");
        transfers(1, "Npy.save", () -> {
            try {
                Npy.save(npy, d);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });
        assertTrue(Npy.load(npy).equal(cpu));
        Path st = tmp.resolve("a.safetensors");
        transfers(2, "Safetensors.save of two tensors", () -> {
            try {
                Safetensors.save(st, Map.of("a", d, "b", d.t()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });
        Map<String, Tensor> back = Safetensors.load(st);
        assertTrue(back.get("a").equal(cpu));
        assertTrue(back.get("b").equal(cpu.t()));
    }
}
