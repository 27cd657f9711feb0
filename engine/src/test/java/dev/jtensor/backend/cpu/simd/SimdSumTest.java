package dev.jtensor.backend.cpu.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.backend.cpu.CpuSum;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link SimdSum} against its scalar twin {@link CpuSum#blockF32}; runs only with the incubator module. */
class SimdSumTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    @BeforeAll
    static void needsModule() {
        assumeTrue(Simd.ENABLED, "jdk.incubator.vector not in the boot layer or jtensor.simd=false");
    }

    /** Fills {@code n} random floats in [-1, 1) after {@code pad} bytes; returns the segment. */
    private static MemorySegment random(MemorySegment s, long pad, int n, long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) s.set(F32, pad + 4L * i, r.nextFloat() * 2 - 1);
        return s;
    }

    @Test
    void blockMatchesScalarTwinOnOddLengthsOffsetsHeapAndNative() {
        int[] lengths = {0, 1, 7, 15, 16, 17, 63, 64, 65, 127, 1000, 4095, 4096};
        long[] pads = {0, 4, 1, 3, 12, 60}; // bytes: 1 and 3 give unaligned float slices
        try (Arena arena = Arena.ofConfined()) {
            for (int n : lengths) {
                for (long pad : pads) {
                    MemorySegment nat = random(arena.allocate(pad + 4L * n + 8, 64), pad, n, n * 31L + pad);
                    MemorySegment heap = random(MemorySegment.ofArray(new byte[(int) (pad + 4L * n + 8)]), pad, n, n * 31L + pad);
                    for (MemorySegment s : new MemorySegment[] {nat, heap, nat.asSlice(pad), heap.asSlice(pad)}) {
                        long p = s.byteSize() == pad + 4L * n + 8 ? pad : 0;
                        float simd = SimdSum.blockF32(s, p, n), scalar = CpuSum.blockF32(s, p, n);
                        double exact = 0, abs = 0;
                        for (int i = 0; i < n; i++) { exact += s.get(F32, p + 4L * i); abs += Math.abs(s.get(F32, p + 4L * i)); }
                        // both round ~n/lanes additions per lane: error bound relative to sum |x|
                        double tol = 1e-6 * abs + 1e-7;
                        assertEquals(exact, simd, tol, "simd n=" + n + " pad=" + pad);
                        assertEquals(scalar, simd, 2 * tol, "twin n=" + n + " pad=" + pad);
                    }
                }
            }
        }
    }

    @Test
    void integerValuedBlocksAreExactAndEqualToTheTwin() {
        MemorySegment s = MemorySegment.ofArray(new float[4096 + 3]);
        for (int i = 0; i < 4096 + 3; i++) s.set(F32, 4L * i, (i % 5) - 2);
        for (int n : new int[] {4096, 4095, 333}) {
            assertEquals(CpuSum.blockF32(s, 12, n), SimdSum.blockF32(s, 12, n), "n=" + n);
        }
    }

    @Test
    void fullSumOfOnesIsExactAndThreadCountIndependent() {
        try (Tensor ones = Jt.ones(16_777_215)) { // 2^24 - 1: odd, and the float32 result represents it
            assertEquals(16_777_215.0, ones.sum().item());
        }
        try (Tensor x = Jt.rand(3_000_017)) {
            int threads = Jt.getNumThreads();
            double all = x.sum().item();
            for (int k = 0; k < 50; k++) assertEquals(all, x.sum().item(), "same bits before and after JIT compilation");
            Jt.setNumThreads(1);
            try {
                assertEquals(all, x.sum().item(), "same bits on 1 thread as on " + threads);
            } finally {
                Jt.setNumThreads(threads);
            }
            assertTrue(Math.abs(all - 1_500_008.5) < 5_000, "mean about 0.5: " + all);
        }
    }
}
