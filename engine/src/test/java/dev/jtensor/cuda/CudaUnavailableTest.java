package dev.jtensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.nn.Linear;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The path of every machine without a GPU (CI's): CUDA reports itself unavailable with the reason, asking
 * for a CUDA tensor throws {@link IllegalStateException} naming what is missing, and the CPU keeps working.
 */
class CudaUnavailableTest {
    @BeforeEach
    void noCuda() { assumeFalse(Jt.cuda().isAvailable(), "a CUDA device is available here: CudaOpsTest covers it"); }

    @Test
    void unavailableWithTheReason() {
        assertFalse(Jt.cuda().isAvailable());
        assertEquals(0, Jt.cuda().deviceCount());
        String reason = Jt.cuda().unavailableReason();
        assertNotNull(reason);
        assertTrue(reason.contains("libjtensor_cuda.so") || reason.contains("driver") || reason.contains("cuBLAS")
                || reason.contains("device"), reason);
        assertTrue(Jt.info().toString().contains("CUDA: not available: " + reason), Jt.info().toString());
    }

    @Test
    void askingForACudaTensorNamesWhatIsMissing() {
        String reason = Jt.cuda().unavailableReason();
        for (Runnable r : new Runnable[] {
                () -> Jt.zeros(new long[] {2}, DType.FLOAT32, Device.cuda(0)),
                () -> Jt.ones(3).cuda(),
                () -> Jt.randn(new long[] {2}, DType.FLOAT32, Device.cuda(0)),
                () -> new Linear(2, 2).to(Device.cuda(0)),
                () -> Jt.cuda().synchronize()}) {
            var e = assertThrows(IllegalStateException.class, r::run);
            assertEquals("CUDA is not available: " + reason, e.getMessage());
        }
        Tensor cpu = Jt.ones(2).mul(3.0);
        assertEquals(6.0, cpu.sum().item(), "the CPU is unaffected");
    }
}
