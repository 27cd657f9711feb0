package dev.jtensor.backend.cpu;

import static dev.jtensor.backend.cpu.NativeKernelsTest.F;
import static dev.jtensor.backend.cpu.NativeKernelsTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.internal.Parallel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reduction-side C kernels of libjtensor_cpu.so (softmax rows, sums along a leading dim, the RMSprop,
 * Adagrad and amsgrad optimizer steps, integer casts) against their Java loops as oracle: odd sizes and
 * shapes, unaligned starts, special values, the same bits with 1 and 2 threads, bounds checks, and one
 * public-API check per family. Skipped, like {@link NativeKernelsTest}, where the library is not in use.
 */
class NativeReduceTest {
    @BeforeAll
    static void libraryLoaded() { NativeKernelsTest.libraryLoaded(); }

    // ---------------- softmax ----------------

    /** Rows holding NaN (either sign), +inf, -inf, only -inf, values far below the maximum, against the double oracle. */
    @Test
    void softmaxRowsWithSpecialValuesAgreeWithTheDoubleOracle() {
        long[][] shapes = {{1, 1}, {1, 4097}, {4097, 1}, {9, 7}, {9, 1023}, {9, 4097}};
        float negativeNaN = Float.intBitsToFloat(0xffc00000);
        for (long[] shape : shapes) {
            long rows = shape[0], len = shape[1];
            try (Arena arena = Arena.ofShared()) {
                MemorySegment in = random(arena, DType.FLOAT32, rows * len, 11);
                for (long i = 0; i < rows * len + 8; i++) in.setAtIndex(F, i, in.getAtIndex(F, i) * 60); // spans -120..120
                if (rows >= 9 && len >= 7) {
                    in.set(F, 4 * (1 + len + 3), Float.NaN);
                    in.set(F, 4 * (1 + 2 * len + len - 1), negativeNaN); // the last element: the tail path
                    in.set(F, 4 * (1 + 3 * len + 2), Float.POSITIVE_INFINITY);
                    for (long k = 0; k < len; k++) in.set(F, 4 * (1 + 4 * len + k), Float.NEGATIVE_INFINITY);
                    for (long k = 0; k < len; k += 2) in.set(F, 4 * (1 + 5 * len + k), Float.NEGATIVE_INFINITY);
                    in.set(F, 4 * (1 + 6 * len), 1e30f); // the rest underflow to exactly 0
                }
                for (boolean log : new boolean[] {false, true}) {
                    MemorySegment out = arena.allocate(4 * (rows * len + 8), 64);
                    assertTrue(NativeKernels.softmaxRows(log, in, 1, out, 3, rows, len));
                    double[] row = new double[(int) len];
                    for (long r = 0; r < rows; r++) {
                        for (int k = 0; k < len; k++) row[k] = in.get(F, 4 * (1 + r * len + k));
                        CpuSoftmax.normalizeRow(row, log);
                        for (int k = 0; k < len; k++) {
                            float want = (float) row[k], got = out.get(F, 4 * (3 + r * len + k));
                            String what = "log=" + log + " " + rows + "x" + len + " row " + r + " col " + k;
                            if (Float.isNaN(want) || Float.isInfinite(want) || want == 0 && !log) assertEquals(want, got, what); // exp underflow: exactly 0
                            else assertEquals(want, got, 1e-6 + 4e-6 * Math.abs(want), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void softmaxGivesTheSameBitsWithOneAndTwoThreads() {
        Tensor x = Jt.randn(333, 1001).mul(10);
        int before = Parallel.numThreads();
        try {
            Parallel.setNumThreads(1);
            float[] one = x.softmax(1).toFloatArray(), oneLog = x.logSoftmax(1).toFloatArray();
            Parallel.setNumThreads(2);
            float[] two = x.softmax(1).toFloatArray(), twoLog = x.logSoftmax(1).toFloatArray();
            for (int i = 0; i < one.length; i++) {
                assertEquals(Float.floatToRawIntBits(one[i]), Float.floatToRawIntBits(two[i]), "softmax element " + i);
                assertEquals(Float.floatToRawIntBits(oneLog[i]), Float.floatToRawIntBits(twoLog[i]), "logSoftmax element " + i);
            }
        } finally {
            Parallel.setNumThreads(before);
        }
    }
}
