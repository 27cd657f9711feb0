package dev.jtensor.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The optimizer's fused update: one rounding per element, the same on every CPU (no BLAS). */
class CpuUpdateTest {
    @Test
    void axpyIsOneFusedMultiplyAddPerElement() {
        Random r = new Random(5);
        try (Arena arena = Arena.ofConfined()) {
            for (int n : new int[] {0, 1, 12, 33, 4099}) {
                MemorySegment x = arena.allocate(4L * n), y = arena.allocate(4L * n), xd = arena.allocate(8L * n), yd = arena.allocate(8L * n);
                float[] y0 = new float[n];
                double[] yd0 = new double[n];
                for (int i = 0; i < n; i++) {
                    x.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) r.nextGaussian());
                    y0[i] = (float) r.nextGaussian();
                    y.setAtIndex(ValueLayout.JAVA_FLOAT, i, y0[i]);
                    xd.setAtIndex(ValueLayout.JAVA_DOUBLE, i, r.nextGaussian());
                    yd0[i] = r.nextGaussian();
                    yd.setAtIndex(ValueLayout.JAVA_DOUBLE, i, yd0[i]);
                }
                CpuUpdate.axpy(-0.1f, x, y, n);
                CpuUpdate.axpy(-0.1, xd, yd, n);
                for (int i = 0; i < n; i++) {
                    assertEquals(Math.fma(-0.1f, x.getAtIndex(ValueLayout.JAVA_FLOAT, i), y0[i]), y.getAtIndex(ValueLayout.JAVA_FLOAT, i));
                    assertEquals(Math.fma(-0.1, xd.getAtIndex(ValueLayout.JAVA_DOUBLE, i), yd0[i]), yd.getAtIndex(ValueLayout.JAVA_DOUBLE, i));
                }
            }
        }
    }

    /** The scalar path (no Vector API) stages chunks through arrays: same bits, any length and sub-range. */
    @Test
    void stagedScalarPathIsTheSameFusedLoop() {
        Random r = new Random(8);
        int n = 3 * 4096 + 17;
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) { x[i] = (float) r.nextGaussian(); y[i] = (float) r.nextGaussian(); }
        MemorySegment ys = MemorySegment.ofArray(y.clone());
        CpuUpdate.stagedFma(0.37f, MemorySegment.ofArray(x), ys, 5, n - 3);
        for (int i = 0; i < n; i++) {
            float want = i >= 5 && i < n - 3 ? Math.fma(0.37f, x[i], y[i]) : y[i];
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(ys.getAtIndex(ValueLayout.JAVA_FLOAT, i)), "element " + i);
        }
    }

    @Test
    void lengthsBeyondTheSegmentsAreRefused() {
        MemorySegment small = MemorySegment.ofArray(new float[3]), big = MemorySegment.ofArray(new float[8]);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> CpuUpdate.axpy(1f, small, big, 4));
        assertTrue(e.getMessage().contains("x has 12"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> CpuUpdate.axpy(1.0, big, small, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> CpuUpdate.axpy(1f, big, big, -1));
    }
}
