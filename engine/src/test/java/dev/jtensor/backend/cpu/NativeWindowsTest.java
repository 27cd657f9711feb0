package dev.jtensor.backend.cpu;

import static dev.jtensor.backend.cpu.NativeKernelsTest.copy;
import static dev.jtensor.backend.cpu.NativeKernelsTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.backend.WindowShape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sliding-window C kernels of libjtensor_cpu.so ({@code native/cpu/conv.c}: im2col, col2im, float32 and
 * float64) against their Java loop twins in {@link CpuWindows}, bit for bit: odd plane sizes, kernels, strides,
 * paddings (also wider than the kernel), dilations, 1 and 2 threads; plus the padding taps being exact zeros,
 * size checks and the geometry's own checks. Skipped, like {@link NativeKernelsTest}, where the library is not in use.
 */
class NativeWindowsTest {
    @BeforeAll
    static void libraryLoaded() { NativeKernelsTest.libraryLoaded(); }

    /** {planes, h, w, kH, kW, sH, sW, pH, pW, dH, dW}. */
    private static final int[][] CASES = {
        {1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1}, {3, 5, 7, 3, 3, 1, 1, 1, 1, 1, 1}, {2, 9, 11, 3, 2, 2, 3, 1, 2, 1, 2},
        {5, 7, 6, 2, 3, 3, 2, 0, 1, 2, 1}, {4, 8, 8, 1, 1, 2, 2, 0, 0, 1, 1}, {2, 6, 5, 5, 4, 1, 1, 4, 3, 1, 1},
        {7, 13, 17, 3, 5, 2, 1, 2, 0, 3, 2}, {33, 16, 16, 3, 3, 1, 1, 1, 1, 1, 1}, {2, 3, 4, 2, 2, 5, 7, 3, 3, 1, 1},
        // stride 1, dilation 1, grid as wide as the input (im2col's shifted-block path): tall kernels, a grid shorter than
        // the input, an input smaller than the kernel, ResNet's 7x7 layer
        {2, 4, 6, 5, 1, 1, 1, 2, 0, 1, 1}, {2, 7, 7, 3, 3, 1, 1, 0, 1, 1, 1}, {3, 2, 3, 5, 5, 1, 1, 2, 2, 1, 1}, {4, 7, 7, 3, 3, 1, 1, 1, 1, 1, 1},
    };

    static WindowShape shape(int[] c) {
        long oH = grid(c[1], c[3], c[9], c[7], c[5]), oW = grid(c[2], c[4], c[10], c[8], c[6]);
        return new WindowShape(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], oH, oW);
    }

    private static long grid(long size, int k, int d, int p, int s) { return (size + 2L * p - (long) d * (k - 1) - 1) / s + 1; }

    @Test
    void im2colAndCol2imMatchTheJavaLoopsBitForBit() {
        int before = Parallel.numThreads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setNumThreads(threads);
                for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                    for (int[] c : CASES) compare(t, shape(c), threads);
                }
            }
        } finally {
            Parallel.setNumThreads(before);
        }
    }

    private static void compare(DType t, WindowShape sh, int threads) {
        String what = t + " " + sh + " threads=" + threads;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment in = random(arena, t, sh.imageElements(), 3), cols = random(arena, t, sh.columnElements(), 4);
            MemorySegment wantCols = copy(arena, cols), gotCols = copy(arena, cols);
            CpuWindows.im2colJava(t, sh, in, wantCols);
            assertTrue(NativeWindows.im2col(t, sh, in, gotCols), what);
            assertEquals(-1, wantCols.mismatch(gotCols), what);
            MemorySegment wantImg = copy(arena, in), gotImg = copy(arena, in);
            CpuWindows.col2imJava(t, sh, cols, wantImg);
            assertTrue(NativeWindows.col2im(t, sh, cols, gotImg), what);
            assertEquals(-1, wantImg.mismatch(gotImg), what);
            // the padding elements after the operands are untouched
            long tail = sh.imageElements() * t.byteSize();
            assertEquals(-1, in.asSlice(tail).mismatch(gotImg.asSlice(tail)), what);
        }
    }

    /** Max pooling, forward and backward, C against Java bit for bit (ceil-mode overhang included); NaN and -inf windows. */
    @Test
    void maxPoolMatchesTheJavaLoopsBitForBit() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] c : CASES) {
                if (c[7] > c[3] / 2 || c[8] > c[4] / 2) continue; // PyTorch's pooling padding rule
                WindowShape floor = shape(c);
                WindowShape ceil = new WindowShape(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10],
                        floor.oH() + ((c[1] + 2L * c[7]) % c[5] != 0 && floor.oH() * c[5] < c[1] + c[7] ? 1 : 0), floor.oW());
                for (WindowShape sh : new WindowShape[] {floor, ceil}) comparePool(t, sh);
            }
        }
    }

    private static void comparePool(DType t, WindowShape sh) {
        String what = t + " " + sh;
        long cells = sh.planes() * sh.oH() * sh.oW();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment in = random(arena, t, sh.imageElements(), 5);
            if (sh.imageElements() > 9) { // a NaN and a -inf run
                if (t == DType.FLOAT32) { in.setAtIndex(ValueLayout.JAVA_FLOAT, 3, Float.NaN); in.setAtIndex(ValueLayout.JAVA_FLOAT, 7, Float.NEGATIVE_INFINITY); }
                else { in.setAtIndex(ValueLayout.JAVA_DOUBLE, 3, Double.NaN); in.setAtIndex(ValueLayout.JAVA_DOUBLE, 7, Double.NEGATIVE_INFINITY); }
            }
            MemorySegment wantOut = arena.allocate(cells * t.byteSize() + 8, 64), gotOut = copy(arena, wantOut);
            MemorySegment wantIdx = arena.allocate(cells * 8 + 8, 64), gotIdx = copy(arena, wantIdx);
            CpuWindows.maxPool2dJava(t, sh, in, wantOut, wantIdx);
            assertTrue(NativeWindows.maxPool2d(t, sh, in, gotOut, gotIdx), what);
            assertEquals(-1, wantIdx.mismatch(gotIdx), what);
            assertEquals(-1, wantOut.mismatch(gotOut), what);
            for (long k = 0; k < cells; k++) {
                long at = gotIdx.getAtIndex(ValueLayout.JAVA_LONG, k);
                assertTrue(at >= 0 && at < sh.h() * sh.w(), what + " index " + at);
            }
            MemorySegment g = random(arena, t, cells, 6), wantIn = arena.allocate(sh.imageElements() * t.byteSize(), 64), gotIn = copy(arena, wantIn);
            CpuWindows.maxPool2dBackwardJava(t, sh, g, gotIdx, wantIn);
            assertTrue(NativeWindows.maxPool2dBackward(t, sh, g, gotIdx, gotIn), what);
            assertEquals(-1, wantIn.mismatch(gotIn), what);
        }
    }

    @Test
    void maxPoolOperandsTooSmallThrow() {
        WindowShape sh = shape(CASES[1]);
        long cells = sh.planes() * sh.oH() * sh.oW();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment in = arena.allocate(sh.imageElements() * 4, 64), out = arena.allocate(cells * 4, 64), idx = arena.allocate(cells * 8 - 8, 64);
            var e = assertThrows(IndexOutOfBoundsException.class, () -> NativeWindows.maxPool2d(DType.FLOAT32, sh, in, out, idx));
            assertTrue(e.getMessage().contains("indices"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> CpuWindows.maxPool2dJava(DType.FLOAT32, sh, in, out, idx));
            assertThrows(IndexOutOfBoundsException.class, () -> NativeWindows.maxPool2dBackward(DType.FLOAT32, sh, out, idx, in));
            assertThrows(IndexOutOfBoundsException.class, () -> CpuWindows.maxPool2dBackwardJava(DType.FLOAT32, sh, out, idx, in));
        }
    }

    /** Batch-norm statistics and the fused affine, C against Java bit for bit, with 1 and 2 threads. */
    @Test
    void batchNormMatchesTheJavaLoopsBitForBit() {
        long[][] shapes = {{1, 1, 1}, {2, 3, 5}, {4, 7, 33}, {3, 64, 17}, {1, 5, 4099}};
        int before = Parallel.numThreads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setNumThreads(threads);
                for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                    for (long[] s : shapes) {
                        long n = s[0], c = s[1], inner = s[2];
                        String what = t + " " + java.util.Arrays.toString(s) + " threads=" + threads;
                        try (Arena arena = Arena.ofShared()) {
                            MemorySegment x = random(arena, t, n * c * inner, 8);
                            MemorySegment wantMean = arena.allocate(c * 8 + 8, 64), gotMean = copy(arena, wantMean);
                            MemorySegment wantInv = arena.allocate(c * 8 + 8, 64), gotInv = copy(arena, wantInv);
                            CpuBatchNorm.statsJava(t, n, c, inner, 1e-5, x, wantMean, wantInv);
                            assertTrue(NativeWindows.batchNormStats(t, n, c, inner, 1e-5, x, gotMean, gotInv), what);
                            assertEquals(-1, wantMean.mismatch(gotMean), what);
                            assertEquals(-1, wantInv.mismatch(gotInv), what);
                            MemorySegment want = arena.allocate(n * c * inner * t.byteSize(), 64), got = copy(arena, want);
                            CpuBatchNorm.elemtJava(t, n, c, inner, x, gotMean, gotInv, want);
                            assertTrue(NativeWindows.batchNormElemt(t, n, c, inner, x, gotMean, gotInv, got), what);
                            assertEquals(-1, want.mismatch(got), what);
                            assertThrows(IndexOutOfBoundsException.class, () -> NativeWindows.batchNormStats(t, n, c + 100, inner, 1e-5, x, gotMean, gotInv));
                            assertThrows(IndexOutOfBoundsException.class, () -> CpuBatchNorm.elemtJava(t, n, c, inner + 9, x, gotMean, gotInv, got));
                        }
                    }
                }
            }
        } finally {
            Parallel.setNumThreads(before);
        }
    }

    /** A 1-plane 2 x 3 image of 1..6, 2 x 2 kernel, padding 1, stride 2: every tap checked against a hand-worked table. */
    @Test
    void im2colPlacesEveryTapAndZeroPadsByHand() {
        WindowShape sh = new WindowShape(1, 2, 3, 2, 2, 2, 2, 1, 1, 1, 1, 2, 2);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment in = arena.allocate(6 * 8, 64), cols = arena.allocate(16 * 8, 64), back = arena.allocate(6 * 8, 64);
            for (int i = 0; i < 6; i++) in.setAtIndex(ValueLayout.JAVA_DOUBLE, i, i + 1);
            CpuWindows.im2col(DType.FLOAT64, sh, in, cols);
            // windows start at (-1,-1), (-1,1), (1,-1), (1,1); taps (0,0), (0,1), (1,0), (1,1)
            double[] want = {0, 0, 0, 5, 0, 0, 4, 6, 0, 2, 0, 0, 1, 3, 0, 0};
            for (int i = 0; i < 16; i++) assertEquals(want[i], cols.getAtIndex(ValueLayout.JAVA_DOUBLE, i), "tap element " + i);
            CpuWindows.col2im(DType.FLOAT64, sh, cols, back);
            double[] sums = {1, 2, 3, 4, 5, 6}; // each position read exactly once
            for (int i = 0; i < 6; i++) assertEquals(sums[i], back.getAtIndex(ValueLayout.JAVA_DOUBLE, i), "position " + i);
        }
    }

    @Test
    void operandsTooSmallThrowBeforeAnyCall() {
        WindowShape sh = shape(CASES[2]);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            try (Arena arena = Arena.ofShared()) {
                MemorySegment in = arena.allocate(sh.imageElements() * t.byteSize(), 64), cols = arena.allocate(sh.columnElements() * t.byteSize(), 64);
                MemorySegment shortIn = in.asSlice(0, in.byteSize() - 1), shortCols = cols.asSlice(0, cols.byteSize() - t.byteSize());
                var e = assertThrows(IndexOutOfBoundsException.class, () -> NativeWindows.im2col(t, sh, shortIn, cols));
                assertTrue(e.getMessage().contains("jt_cpu_im2col") && e.getMessage().contains("in"), e.getMessage());
                assertThrows(IndexOutOfBoundsException.class, () -> NativeWindows.im2col(t, sh, in, shortCols));
                assertThrows(IndexOutOfBoundsException.class, () -> NativeWindows.col2im(t, sh, shortCols, in));
                assertThrows(IndexOutOfBoundsException.class, () -> NativeWindows.col2im(t, sh, cols, shortIn));
                assertThrows(IndexOutOfBoundsException.class, () -> CpuWindows.im2colJava(t, sh, shortIn, cols));
                assertThrows(IndexOutOfBoundsException.class, () -> CpuWindows.col2imJava(t, sh, cols, shortIn));
            }
        }
    }

    @Test
    void declinesOtherDtypesAndHeapMemory() {
        WindowShape sh = shape(CASES[1]);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment in = arena.allocate(sh.imageElements() * 8), cols = arena.allocate(sh.columnElements() * 8);
            assertFalse(NativeWindows.im2col(DType.INT64, sh, in, cols));
            assertFalse(NativeWindows.col2im(DType.FLOAT32, sh, MemorySegment.ofArray(new float[(int) sh.columnElements()]), in));
            assertThrows(IllegalArgumentException.class, () -> CpuWindows.im2colJava(DType.INT32, sh, in, cols));
        }
    }

    @Test
    void geometryChecksNameTheShape() {
        var bad = assertThrows(IllegalArgumentException.class, () -> new WindowShape(1, 4, 4, 0, 3, 1, 1, 0, 0, 1, 1, 1, 1));
        assertTrue(bad.getMessage().contains("kH=0"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WindowShape(1, 4, 4, 3, 3, 1, 1, -1, 0, 1, 1, 1, 1));
        var wide = assertThrows(IllegalArgumentException.class, () -> new WindowShape(1, 4, 4, 3, 3, 1, 1, 0, 0, 1, 1, 5, 2));
        assertTrue(wide.getMessage().contains("does not fit"), wide.getMessage());
    }
}
