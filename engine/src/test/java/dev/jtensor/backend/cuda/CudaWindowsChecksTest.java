package dev.jtensor.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.backend.AttentionShape;
import dev.jtensor.backend.Buffer;
import org.junit.jupiter.api.Test;

/**
 * What {@link CudaWindows} checks on the host before a launch of {@code conv.cu} or {@code attention.cu}, without a
 * device: every operand must hold the elements the launcher touches (the message names the op, the operand and the
 * sizes), the bias span of per-slice and shared masks, and the opt-in default.
 */
class CudaWindowsChecksTest {
    private static Buffer device(long bytes) { return new Buffer.DeviceMemory(1 << 20, 0, bytes); }

    @Test
    void anOperandTooSmallForTheCallIsRefusedByName() {
        assertDoesNotThrow(() -> CudaWindows.need("im2col", "columns", device(6 * 8), 6, DType.FLOAT64));
        var e = assertThrows(IndexOutOfBoundsException.class, () -> CudaWindows.need("im2col", "columns", device(6 * 8 - 1), 6, DType.FLOAT64));
        assertTrue(e.getMessage().contains("im2col") && e.getMessage().contains("columns") && e.getMessage().contains("47 bytes")
                && e.getMessage().contains("6 " + DType.FLOAT64 + " elements (48 bytes)"), e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> CudaWindows.need("max_pool2d", "indices", null, 1, DType.INT64));
        assertTrue(missing.getMessage().contains("indices"), missing.getMessage());
        assertThrows(ArithmeticException.class, () -> CudaWindows.need("col2im", "output", device(8), Long.MAX_VALUE / 2, DType.FLOAT32));
    }

    @Test
    void theBiasSpansTheLastSlicesBlock() {
        assertEquals(5 * 7, CudaWindows.biasElements(new AttentionShape(6, 5, 7, 4, 4, 0.5, false, 0)), "one block shared by all slices");
        assertEquals(5 * 35 + 35, CudaWindows.biasElements(new AttentionShape(6, 5, 7, 4, 4, 0.5, false, 35)), "a block per slice");
    }

    @Test
    void theKernelsAreOffAndSaySoUnlessOptedIn() {
        assertEquals("jtensor.cuda.fusedKernels", CudaWindows.PROPERTY);
        assertEquals(Boolean.getBoolean(CudaWindows.PROPERTY), CudaWindows.ENABLED);
        if (!CudaWindows.ENABLED) assertFalse(new CudaWindows(null).hasWindowKernels(DType.FLOAT32));
    }
}
