package dev.jtensor.cuda;

import static dev.jtensor.cuda.CudaTestSupport.CUDA;
import static dev.jtensor.cuda.CudaTestSupport.emulated;
import static dev.jtensor.cuda.CudaTestSupport.requireCuda;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.jtensor.CudaEvent;
import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * An out-of-range index value on cuda:0 raises the CPU's {@link IndexOutOfBoundsException}, word for word. On the
 * emulated device the CPU kernel throws at the call; on a GPU the kernel skips the value and records it on the
 * device, and the next point where the host waits for the device throws it, with "(reported by an earlier CUDA
 * kernel; the tensors it wrote are unspecified)" appended; the record is then clear and the device goes on. The
 * index.cu side (no byte outside the output touched, the record's value, dim and size) is checked by the native
 * self-test (selftest_more.cu, test_index_bounds).
 */
class CudaIndexBoundsTest {
    private static final String SUFFIX = " (reported by an earlier CUDA kernel; the tensors it wrote are unspecified)";

    private static Tensor x(Device d) { return Jt.arange(4 * 5, DType.FLOAT32).reshape(4, 5).to(d); }

    private static Tensor index(Device d, long... v) { return Jt.tensor(v).to(d); }

    /** The message of the CPU's exception for {@code op}, which must throw there. */
    private static String cpuMessage(Function<Device, Tensor> op) {
        return assertThrows(IndexOutOfBoundsException.class, () -> op.apply(Device.CPU)).getMessage();
    }

    /** {@code op} on cuda:0 reports the CPU's error: at the call (emulated) or at the download that follows (GPU). */
    private static void assertReported(String what, Function<Device, Tensor> op) {
        requireCuda();
        String cpu = cpuMessage(op);
        if (emulated()) {
            assertEquals(cpu, assertThrows(IndexOutOfBoundsException.class, () -> op.apply(CUDA), what).getMessage(), what);
            return;
        }
        Tensor r = op.apply(CUDA); // queued: the kernel met the value, the host has not waited yet
        assertEquals(cpu + SUFFIX, assertThrows(IndexOutOfBoundsException.class, r::cpu, what).getMessage(), what);
        assertDeviceGoesOn(what);
    }

    /** After a report the record is clear: a valid gather downloads without an error. */
    private static void assertDeviceGoesOn(String what) {
        Tensor ok = x(CUDA).gather(1, Jt.tensor(new long[][] {{4}, {0}, {1}, {2}}).to(CUDA)).cpu();
        assertArrayEquals(new double[] {4, 5, 11, 17}, ok.toDoubleArray(), what + ": the next gather");
    }

    @Test
    void gatherScatterAndScatterAdd() {
        long[][] bad = {{0, 1}, {5, 2}, {0, 0}, {1, 1}}; // 5 along dim 1 of size 5
        assertReported("gather", d -> x(d).gather(1, Jt.tensor(bad).to(d)));
        assertReported("scatter", d -> x(d).scatter(1, Jt.tensor(bad).to(d), Jt.ones(new long[] {4, 2}, DType.FLOAT32).to(d)));
        assertReported("scatter_add", d -> x(d).scatterAdd(1, Jt.tensor(bad).to(d), Jt.ones(new long[] {4, 2}, DType.FLOAT32).to(d)));
        assertReported("scatter value", d -> Jt.scatter(x(d), 1, Jt.tensor(bad).to(d), 2.0));
    }

    @Test
    void indexSelectAndIndexAdd() {
        assertReported("index_select", d -> x(d).indexSelect(0, index(d, 1, 4, 0)));
        assertReported("index_add", d -> Jt.indexAdd(x(d), 0, index(d, 3, 4), Jt.ones(new long[] {2, 5}, DType.FLOAT32).to(d)));
        assertReported("index_add alpha", d -> Jt.indexAdd(x(d), 1, index(d, 9), Jt.ones(new long[] {4, 1}, DType.FLOAT32).to(d), 2.0));
    }

    @Test
    void synchronizeAndEventsReportToo() {
        requireCuda();
        assumeFalse(emulated(), "the emulated device throws at the call (checked above)");
        String cpu = cpuMessage(d -> x(d).indexSelect(1, index(d, 0, 7)));
        Tensor bad = index(CUDA, 0, 7);
        x(CUDA).indexSelect(1, bad);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> Jt.cuda().synchronize());
        assertEquals(cpu + SUFFIX, e.getMessage());
        assertDeviceGoesOn("after synchronize");
        x(CUDA).indexSelect(1, bad);
        CudaEvent done = Jt.cuda().event();
        done.record();
        e = assertThrows(IndexOutOfBoundsException.class, done::synchronize); // nothing queued after the event: taken there
        assertEquals(cpu + SUFFIX, e.getMessage());
        assertDeviceGoesOn("after an event");
    }
}
