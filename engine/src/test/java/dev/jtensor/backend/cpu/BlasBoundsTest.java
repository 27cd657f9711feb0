package dev.jtensor.backend.cpu;

import dev.jtensor.backend.cpu.Blas.Transpose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad arguments never reach native code: they throw, naming the argument, its value and the segment size. */
class BlasBoundsTest {
    // a: 3 x 4 (12 floats, 48 bytes); b: 4 x 2; c: 3 x 2
    final MemorySegment a = MemorySegment.ofArray(new float[12]);
    final MemorySegment b = MemorySegment.ofArray(new float[8]);
    final float[] cData = {1, 2, 3, 4, 5, 6};
    final MemorySegment c = MemorySegment.ofArray(cData);

    private void gemm(long aOffset, long lda, int m, MemorySegment cSeg, long ldc) {
        Blas.sgemm(Transpose.NO, Transpose.NO, m, 2, 4, 1f, a, aOffset, lda, b, 0, 2, 0f, cSeg, 0, ldc);
    }

    private static void fails(Class<? extends Throwable> type, Executable call, String... fragments) {
        Throwable e = assertThrows(type, call);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' in: " + e.getMessage());
    }

    @Test
    void validCallPassesAndCIsWritten() {
        gemm(0, 4, 3, c, 2);
        assertArrayEquals(new float[6], cData);
    }

    @Test
    void offsetsReachingOutsideTheSegmentThrow() {
        fails(IndexOutOfBoundsException.class, () -> gemm(1, 4, 3, c, 2), "sgemm", "aOffset = 1", "48 bytes");
        fails(IndexOutOfBoundsException.class, () -> gemm(-1, 4, 3, c, 2), "aOffset = -1");
        fails(IndexOutOfBoundsException.class, () -> gemm(Long.MAX_VALUE / 2, 4, 3, c, 2), "aOffset");
        fails(IndexOutOfBoundsException.class, () -> Blas.sgemm(Transpose.NO, Transpose.NO, 3, 2, 4, 1f,
                a, 0, 4, b, 1, 2, 0f, c, 0, 2), "bOffset = 1", "32 bytes");
        fails(IndexOutOfBoundsException.class, () -> Blas.sgemm(Transpose.NO, Transpose.NO, 3, 2, 4, 1f,
                a, 0, 4, b, 0, 2, 0f, c, 0, 3), "cOffset = 0", "ldc = 3", "24 bytes");
    }

    @Test
    void leadingDimensionsShorterThanARowThrow() {
        fails(IllegalArgumentException.class, () -> gemm(0, 3, 3, c, 2), "lda = 3", "max(1, 4)");
        fails(IllegalArgumentException.class, () -> gemm(0, 4, 3, c, 1), "ldc = 1");
        // transposed: a is read as stored 4 x 3, so lda = 3 is valid and lda = 2 is not
        Blas.sgemm(Transpose.YES, Transpose.NO, 3, 2, 4, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2);
        fails(IllegalArgumentException.class, () -> Blas.sgemm(Transpose.YES, Transpose.NO, 3, 2, 4, 1f,
                a, 0, 2, b, 0, 2, 0f, c, 0, 2), "lda = 2", "stored as 4 x 3");
        fails(IllegalArgumentException.class, () -> gemm(0, 1L << 31, 3, c, 2), "lda = 2147483648");
    }

    @Test
    void negativeDimensionsThrow() {
        fails(IllegalArgumentException.class, () -> gemm(0, 4, -1, c, 2), "sgemm: m = -1 is negative");
        fails(IllegalArgumentException.class, () -> Blas.dgemv(Transpose.NO, 2, -3, 1, MemorySegment.ofArray(new double[4]),
                0, 2, MemorySegment.ofArray(new double[4]), 0, 1, 0, MemorySegment.ofArray(new double[4]), 0, 1), "dgemv: n = -3");
        fails(IllegalArgumentException.class, () -> Blas.sdot(-1, a, 0, 1, a, 0, 1), "sdot: n = -1");
    }

    @Test
    void readOnlyOutputsThrowButReadOnlyInputsAreFine() {
        fails(IllegalArgumentException.class, () -> gemm(0, 4, 3, c.asReadOnly(), 2), "segment c is read-only");
        Blas.sgemm(Transpose.NO, Transpose.NO, 3, 2, 4, 1f, a.asReadOnly(), 0, 4, b.asReadOnly(), 0, 2, 0f, c, 0, 2);
        fails(IllegalArgumentException.class, () -> Blas.sscal(2, 2f, a.asReadOnly(), 0, 1), "sscal", "read-only");
    }

    @Test
    void vectorIncrementsAndLengthsAreChecked() {
        MemorySegment x = MemorySegment.ofArray(new float[5]);
        fails(IllegalArgumentException.class, () -> Blas.sdot(3, x, 0, 0, x, 0, 1), "sdot: incx = 0");
        fails(IllegalArgumentException.class, () -> Blas.saxpy(3, 1f, x, 0, 1, x, 0, -1), "saxpy: incy = -1");
        fails(IndexOutOfBoundsException.class, () -> Blas.sdot(3, x, 0, 3, x, 0, 1), "xOffset = 0", "incx = 3", "20 bytes");
        fails(IndexOutOfBoundsException.class, () -> Blas.snrm2(6, x, 0, 1), "snrm2", "vector x of 6 elements");
        fails(IndexOutOfBoundsException.class, () -> Blas.isamax(1, x, 5, 1), "xOffset = 5");
        fails(IndexOutOfBoundsException.class, () -> Blas.sgemv(Transpose.YES, 3, 4, 1f, a, 0, 4, x, 0, 1, 0f, x, 0, 2),
                "sgemv", "yOffset = 0", "vector y of 4 elements");
        fails(IndexOutOfBoundsException.class, () -> Blas.dger(2, 2, 1, MemorySegment.ofArray(new double[2]), 0, 1,
                MemorySegment.ofArray(new double[2]), 0, 1, MemorySegment.ofArray(new double[3]), 0, 2), "dger", "aOffset = 0", "24 bytes");
    }

    @Test
    void nullAndClosedSegmentsThrowInsteadOfCrashing() {
        fails(NullPointerException.class, () -> Blas.sdot(1, null, 0, 1, a, 0, 1), "segment x is null");
        MemorySegment closed;
        try (Arena arena = Arena.ofConfined()) {
            closed = arena.allocate(4L * 400_000, 64);
        }
        MemorySegment dead = closed;
        assertThrows(IllegalStateException.class, () -> Blas.sdot(4, dead, 0, 1, dead, 0, 1));        // critical path
        assertThrows(IllegalStateException.class, () -> Blas.sdot(400_000, dead, 0, 1, dead, 0, 1));  // ordinary path
    }

    @Test
    void elementSizeIsPartOfTheBoundsCheck() {
        MemorySegment sixteenBytes = MemorySegment.ofArray(new float[4]);
        Blas.sasum(4, sixteenBytes, 0, 1);
        fails(IndexOutOfBoundsException.class, () -> Blas.dasum(3, sixteenBytes, 0, 1), "dasum", "16 bytes (2 elements)");
    }
}
