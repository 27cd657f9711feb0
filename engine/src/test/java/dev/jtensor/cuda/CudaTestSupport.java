package dev.jtensor.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;

/**
 * What the CUDA suites share: the device under test (skipped with the reason when CUDA is unavailable;
 * the emulated device of {@code -Djtensor.cuda.emulate=true} on machines without a GPU), and comparisons
 * of a CUDA result with the CPU backend's.
 */
final class CudaTestSupport {
    static final Device CUDA = Device.cuda(0);

    private CudaTestSupport() {}

    /** Skips the calling test, visibly, when no CUDA device can be used. */
    static void requireCuda() {
        assumeTrue(Jt.cuda().isAvailable(), () -> "CUDA not available: " + Jt.cuda().unavailableReason());
    }

    /** True when the device is the host emulation (arithmetic is the CPU's: results must be identical). */
    static boolean emulated() { return Boolean.getBoolean("jtensor.cuda.emulate"); }

    /** Asserts {@code onCuda} is on the device and equals {@code onCpu} within {@code rtol * |expected| + atol}, NaN for NaN. */
    static void assertClose(Tensor onCpu, Tensor onCuda, double rtol, double atol, String what) {
        assertEquals(CUDA, onCuda.device(), what + ": result device");
        assertTrue(onCpu.device().isCpu(), what + ": reference must be on the CPU");
        assertEquals(onCpu.dtype(), onCuda.dtype(), what + ": dtype");
        assertArrayEquals(onCpu.shape().toArray(), onCuda.shape().toArray(), what + ": shape");
        double[] e = onCpu.toDoubleArray(), a = onCuda.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i])) {
                assertTrue(Double.isNaN(a[i]), what + ": element " + i + " expected NaN but was " + a[i]);
                continue;
            }
            if (Double.isInfinite(e[i])) {
                assertEquals(e[i], a[i], what + ": element " + i);
                continue;
            }
            double tol = rtol * Math.abs(e[i]) + atol;
            if (!(Math.abs(e[i] - a[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " of " + e.length + " expected " + e[i] + " but was " + a[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }

    /** Exact equality (integer, bool and copy results). */
    static void assertSame(Tensor onCpu, Tensor onCuda, String what) { assertClose(onCpu, onCuda, 0, 0, what); }
}
