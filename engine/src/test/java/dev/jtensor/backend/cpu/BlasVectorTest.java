package dev.jtensor.backend.cpu;

import dev.jtensor.backend.cpu.Blas.Transpose;
import dev.jtensor.backend.cpu.BlasTest.Memory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.jtensor.backend.cpu.BlasTest.D;
import static dev.jtensor.backend.cpu.BlasTest.F;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** BLAS levels 1 and 2 on strided operands in every kind of memory, against plain Java. */
class BlasVectorTest {

    @ParameterizedTest
    @EnumSource(Memory.class)
    void level1OnStridedFloatVectors(Memory memory) {
        try (Arena arena = Arena.ofConfined()) {
            // x = (1, -5, 3) at offset 1 with inc 2; y = (4, 5, 6) at offset 0 with inc 3
            MemorySegment x = memory.floats(new float[] {9, 1, 9, -5, 9, 3}, arena);
            MemorySegment y = memory.floats(new float[] {4, 0, 0, 5, 0, 0, 6}, arena);
            assertEquals(4 - 25 + 18, Blas.sdot(3, x, 1, 2, y, 0, 3));
            assertEquals((float) Math.sqrt(1 + 25 + 9), Blas.snrm2(3, x, 1, 2), 1e-6);
            assertEquals(9f, Blas.sasum(3, x, 1, 2));
            assertEquals(1, Blas.isamax(3, x, 1, 2));
            assertEquals(-1, Blas.isamax(0, x, 1, 2));

            Blas.saxpy(3, 2f, x, 1, 2, y, 0, 3); // y += 2x
            assertArrayEquals(new float[] {6, 0, 0, -5, 0, 0, 12}, y.toArray(F));
            Blas.saxpby(3, 1f, x, 1, 2, -1f, y, 0, 3); // y = x - y
            assertArrayEquals(new float[] {-5, 0, 0, 0, 0, 0, -9}, y.toArray(F));
            Blas.sscal(2, 0.5f, y, 0, 6); // elements 0 and 6 only
            assertArrayEquals(new float[] {-2.5f, 0, 0, 0, 0, 0, -4.5f}, y.toArray(F));
            Blas.scopy(3, x, 1, 2, y, 4, 1);
            assertArrayEquals(new float[] {-2.5f, 0, 0, 0, 1, -5, 3}, y.toArray(F));
            assertArrayEquals(new float[] {9, 1, 9, -5, 9, 3}, x.toArray(F), "x is not modified");
        }
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void level1OnStridedDoubleVectors(Memory memory) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = memory.doubles(new double[] {1, 7, -2, 7, 2}, arena); // (1, -2, 2) inc 2
            MemorySegment y = memory.doubles(new double[] {0, 1, 1, 1}, arena);     // (1, 1, 1) offset 1
            assertEquals(1, Blas.ddot(3, x, 0, 2, y, 1, 1));
            assertEquals(3, Blas.dnrm2(3, x, 0, 2), 1e-15);
            assertEquals(5, Blas.dasum(3, x, 0, 2));
            assertEquals(1, Blas.idamax(3, x, 0, 2));
            Blas.daxpy(3, -1, x, 0, 2, y, 1, 1);
            assertArrayEquals(new double[] {0, 0, 3, -1}, y.toArray(D));
            Blas.daxpby(3, 1, x, 0, 2, 2, y, 1, 1);
            assertArrayEquals(new double[] {0, 1, 4, 0}, y.toArray(D));
            Blas.dscal(2, -1, y, 1, 1);
            assertArrayEquals(new double[] {0, -1, -4, 0}, y.toArray(D));
            Blas.dcopy(2, y, 1, 2, x, 1, 1); // (-1, 0)
            assertArrayEquals(new double[] {1, -1, 0, 7, 2}, x.toArray(D));
        }
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void gemvBothWaysOnAPaddedMatrix(Memory memory) {
        // A = [[1, 2, 3], [4, 5, 6]] stored with lda 4 at offset 1
        float[] a = {0, 1, 2, 3, -9, 4, 5, 6, -9};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment as = memory.floats(a, arena);
            MemorySegment x = memory.floats(new float[] {1, 0, 1, 0, 1}, arena); // (1, 1, 1) inc 2
            MemorySegment y = memory.floats(new float[] {10, 20}, arena);
            Blas.sgemv(Transpose.NO, 2, 3, 1f, as, 1, 4, x, 0, 2, 0.5f, y, 0, 1);
            assertArrayEquals(new float[] {6 + 5, 15 + 10}, y.toArray(F));
            MemorySegment y3 = memory.floats(new float[3], arena);
            Blas.sgemv(Transpose.YES, 2, 3, 2f, as, 1, 4, y, 0, 1, 0f, y3, 0, 1); // 2 * A^T (11, 25)
            assertArrayEquals(new float[] {2 * (11 + 100), 2 * (22 + 125), 2 * (33 + 150)}, y3.toArray(F));

            MemorySegment ad = memory.doubles(new double[] {1, 2, 3, 4}, arena);
            MemorySegment xd = memory.doubles(new double[] {1, -1}, arena);
            MemorySegment yd = memory.doubles(new double[] {0, 0}, arena);
            Blas.dgemv(Transpose.YES, 2, 2, 1, ad, 0, 2, xd, 0, 1, 0, yd, 0, 1);
            assertArrayEquals(new double[] {-2, -2}, yd.toArray(D));
        }
    }

    @Test
    void gemvWithEmptyXSetsYToBetaTimesY() {
        float[] y = {Float.NaN, 2, 3};
        MemorySegment empty = MemorySegment.ofArray(new float[0]);
        Blas.sgemv(Transpose.NO, 3, 0, 1f, empty, 0, 1, empty, 0, 1, 0f, MemorySegment.ofArray(y), 0, 1);
        assertArrayEquals(new float[] {0, 0, 0}, y, "beta = 0 overwrites, NaN included");
        double[] yd = {1, 2};
        Blas.dgemv(Transpose.YES, 0, 2, 1, MemorySegment.ofArray(new double[0]), 0, 2, MemorySegment.ofArray(new double[0]), 0, 1,
                3, MemorySegment.ofArray(yd), 0, 1);
        assertArrayEquals(new double[] {3, 6}, yd);
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void gerAddsAnOuterProduct(Memory memory) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = memory.floats(new float[] {1, 1, 1, 0, 1, 1, 1, 0}, arena); // 2 x 3, lda 4
            Blas.sger(2, 3, 2f, memory.floats(new float[] {1, 2}, arena), 0, 1,
                    memory.floats(new float[] {1, 0, 1, 0, 1}, arena), 0, 2, a, 0, 4);
            assertArrayEquals(new float[] {3, 3, 3, 0, 5, 5, 5, 0}, a.toArray(F), "padding column untouched");
            MemorySegment ad = memory.doubles(new double[4], arena);
            Blas.dger(2, 2, 1, memory.doubles(new double[] {1, 2}, arena), 0, 1, memory.doubles(new double[] {3, 4}, arena), 0, 1, ad, 0, 2);
            assertArrayEquals(new double[] {3, 4, 6, 8}, ad.toArray(D));
        }
    }

    @Test
    void largeHeapVectorsTakeTheCopyingPathAndAreWrittenBack() {
        int n = 300_001; // above the critical-call limit
        float[] x = new float[2 * n], y = new float[n];
        for (int i = 0; i < n; i++) { x[2 * i] = i % 7; y[i] = 1; }
        MemorySegment xs = MemorySegment.ofArray(x), ys = MemorySegment.ofArray(y);
        Blas.saxpy(n, 2f, xs, 0, 2, ys, 0, 1);
        for (int i = 0; i < n; i++) assertEquals(1 + 2 * (i % 7), y[i], "y[" + i + "]");
        double expectedDot = 0;
        for (int i = 0; i < n; i++) expectedDot += (double) (i % 7) * (1 + 2 * (i % 7));
        assertEquals(expectedDot, Blas.sdot(n, xs, 0, 2, ys, 0, 1), expectedDot * 1e-4);
    }
}
