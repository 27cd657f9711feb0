package dev.jtensor.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.internal.ops.AdvancedIndexing;
import dev.jtensor.nn.F;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 21: every index op is one backend index-kernel call whatever the number of indices (counted by
 * {@link CpuIndexing#kernelCalls()}, which the emulated CUDA device reaches too), the index values are read and
 * bounds-checked by the kernel, and int32 / strided index tensors go to the kernel as they are.
 */
class IndexKernelCallsTest {
    static final String DEVICES = "dev.jtensor.testing.Devices#available";

    /** Runs {@code op}, asserting its count of index kernels where they are counted (the CPU and the emulated device). */
    private static <T> T counting(Device d, long expected, Supplier<T> op) {
        long before = CpuIndexing.kernelCalls();
        T out = op.get();
        if (d.isCpu() || isCpuOrEmulated()) assertEquals(expected, CpuIndexing.kernelCalls() - before, "index kernel calls");
        return out;
    }

    private static boolean isCpuOrEmulated() { return Boolean.getBoolean("jtensor.cuda.emulate"); }

    private static Tensor tokens(Device d) {
        long[] ids = new long[64];
        for (int i = 0; i < ids.length; i++) ids[i] = (i * 7L) % 50;
        return Jt.tensor(ids).to(d);
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void indexSelectAndIndexAddAreOneKernelEach(Device d) {
        Tensor w = Jt.arange(0, 400, 1, DType.FLOAT32).reshape(50, 8).to(d);
        Tensor idx = tokens(d);
        Tensor rows = counting(d, 1, () -> w.indexSelect(0, idx));
        float[] got = rows.cpu().toFloatArray();
        for (int i = 0; i < 64; i++) for (int j = 0; j < 8; j++) assertEquals(((i * 7) % 50) * 8 + j, got[i * 8 + j]);
        Tensor acc = counting(d, 1, () -> Jt.zeros(new long[] {50, 8}, DType.FLOAT32, d).indexAdd_(0, idx, Jt.ones(64, 8).to(d)));
        float[] sums = acc.cpu().toFloatArray();
        for (int r = 0; r < 50; r++) {
            long hits = 0;
            for (int i = 0; i < 64; i++) if ((i * 7) % 50 == r) hits++;
            assertEquals(hits, sums[r * 8], "row " + r);
        }
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void embeddingForwardAndBackwardAreOneKernelEach(Device d) {
        Tensor w = Jt.randn(50, 8).to(d).requiresGrad_(true);
        Tensor idx = tokens(d).reshape(8, 8);
        Tensor out = counting(d, 1, () -> F.embedding(idx, w));
        assertArrayEquals(new long[] {8, 8, 8}, out.shape().toArray());
        counting(d, 1, () -> {
            out.sum().backward();
            return null;
        });
        float[] g = w.grad().cpu().toFloatArray();
        assertEquals(2f, g[7 * 8], 0f); // token 7 appears at i = 1 and i = 51 (51 * 7 % 50 == 7)
        assertEquals(1f, g[8], 0f); // token 1 appears once (i = 43)
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void maskIndexIsOneNonzeroThenOneGather(Device d) {
        Tensor x = Jt.arange(0, 24, 1, DType.FLOAT64).reshape(4, 6).to(d);
        Tensor mask = x.gt(12.5).logicalOr(x.lt(2.0));
        Tensor sel = counting(d, 1, () -> x.index(mask)); // nonzero (not an index kernel), then one gather
        assertArrayEquals(new double[] {0, 1, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, sel.cpu().toDoubleArray());
        Tensor rowMask = Jt.tensor(new boolean[] {false, true, false, true}).to(d);
        assertArrayEquals(new long[] {2, 6}, x.index(rowMask).shape().toArray());
        assertEquals(9.0, x.index(rowMask).cpu().toDoubleArray()[3]);
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void maskedWritesReachStridedTensorsAndDuplicatesAccumulate(Device d) {
        Tensor base = Jt.arange(0, 12, 1, DType.FLOAT32).reshape(3, 4).to(d);
        Tensor xt = base.t(); // [4, 3], not viewable as one flat run: the write goes through a copy and back
        xt.indexPut_(xt.gt(8.5), Jt.tensor(-1.0f).to(d));
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1}, base.cpu().toFloatArray());
        Tensor acc = Jt.zeros(new long[] {4, 2}, DType.FLOAT32, d);
        acc.indexPut_(Jt.tensor(new long[] {3, -1, 0}).to(d), Jt.ones(3, 2).to(d), true); // 3 and -1 are one row
        assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0, 2, 2}, acc.cpu().toFloatArray());
        Tensor rows = AdvancedIndexing.maskedScatter(Jt.zeros(new long[] {3, 2}, DType.FLOAT32, d), // the mask broadcasts over rows
                Jt.tensor(new boolean[] {true, false}).to(d), Jt.arange(1, 7, 1, DType.FLOAT32).to(d));
        assertArrayEquals(new float[] {1, 0, 2, 0, 3, 0}, rows.cpu().toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3}, rows.maskedSelect(rows.gt(0.5)).cpu().toFloatArray());
    }

    @Test
    void int32AndStridedIndicesAreReadByTheKernel() {
        Tensor x = Jt.arange(0, 10, 1, DType.FLOAT32);
        Tensor idx32 = Jt.tensor(new int[] {9, 0, 3, 3, 1, 8});
        Tensor strided = idx32.slice(0, 0, 6, 2); // 9, 3, 1: a non-contiguous view
        assertFalse(strided.isContiguous());
        assertArrayEquals(new float[] {9, 3, 1}, x.indexSelect(0, strided).toFloatArray());
        assertArrayEquals(new float[] {9, 3, 1}, x.gather(0, strided.to(DType.INT64)).toFloatArray());
        assertArrayEquals(new float[] {8, 9}, x.index(Jt.tensor(new long[] {-2, -1})).toFloatArray());
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void theKernelNamesAnIndexOutOfBounds(Device d) {
        Tensor x = Jt.zeros(5, 3).to(d);
        assertEquals("index 7 is out of bounds for dimension 0 with size 5", outOfBounds(d, () -> x.indexSelect(0, Jt.tensor(new long[] {1, 7}).to(d))));
        String g = outOfBounds(d, () -> x.gather(1, Jt.tensor(new long[][] {{0, 3}}).to(d)));
        assertTrue(g.contains("index 3 is out of bounds for dimension 1 with size 3"), g);
        outOfBounds(d, () -> x.indexAdd(0, Jt.tensor(new long[] {-1}).to(d), Jt.ones(1, 3).to(d)));
        outOfBounds(d, () -> F.embedding(Jt.tensor(new long[] {5}).to(d), x));
    }

    /**
     * The message of the IndexOutOfBoundsException that {@code op} and the download of its result raise: at the call on
     * the CPU and the emulated device; on a GPU at the download, the kernel's record with CudaIndexing's suffix (cut here).
     */
    private static String outOfBounds(Device d, Supplier<Tensor> op) {
        String m = assertThrows(IndexOutOfBoundsException.class, () -> op.get().cpu()).getMessage();
        if (d.isCpu() || isCpuOrEmulated()) return m;
        String suffix = " (reported by an earlier CUDA kernel; the tensors it wrote are unspecified)";
        assertTrue(m.endsWith(suffix), m);
        return m.substring(0, m.length() - suffix.length());
    }

    @Test
    void deterministicAlgorithmsFlagRoundTrips() {
        assertFalse(Jt.areDeterministicAlgorithmsEnabled());
        try {
            Jt.useDeterministicAlgorithms(true);
            assertTrue(Jt.areDeterministicAlgorithmsEnabled());
            Tensor acc = Jt.zeros(3).indexAdd(0, Jt.tensor(new long[] {2, 2, 0}), Jt.tensor(new float[] {0.1f, 0.2f, 0.5f}));
            assertArrayEquals(new float[] {0.5f, 0f, 0.1f + 0.2f}, acc.toFloatArray(), 1e-7f);
        } finally {
            Jt.useDeterministicAlgorithms(false);
        }
    }
}
