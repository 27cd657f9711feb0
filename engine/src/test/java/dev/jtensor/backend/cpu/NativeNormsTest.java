package dev.jtensor.backend.cpu;

import static dev.jtensor.backend.cpu.NativeKernelsTest.random;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.backend.Elements;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Layer norm (forward, backward) and GELU backward of libjtensor_cpu.so ({@code native/cpu/norm.c}, float32 and
 * float64) against their Java loop twins in {@link CpuNorms} (the path of {@code -Djtensor.native=false}): with and
 * without weight and bias, odd row lengths, 1 and 2 threads. The sums and the arithmetic are the same operations in the
 * same order, so layer norm is bit for bit equal; GELU's backward differs only by libm's erf/exp/tanh against Java's
 * (float32: 1 ulp of the value; float64: 1e-12 relative + 1e-15, ScalarMath.erf against libm's erf where 1 + erf cancels). Skipped where the library is not in use.
 */
class NativeNormsTest {
    @BeforeAll
    static void libraryLoaded() { NativeKernelsTest.libraryLoaded(); }

    @Test
    void layerNormAndGeluBackwardMatchTheJavaLoops() {
        int before = Parallel.numThreads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setNumThreads(threads);
                for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                    for (long[] s : new long[][] {{1, 1}, {3, 7}, {64, 384}, {5, 1000}}) {
                        for (boolean affine : new boolean[] {true, false}) layerNorm(t, s[0], s[1], affine, threads);
                        gelu(t, s[0] * s[1], threads);
                    }
                }
            }
        } finally {
            Parallel.setNumThreads(before);
        }
    }

    private static void layerNorm(DType t, long rows, long cols, boolean affine, int threads) {
        String what = "layer norm " + t + " " + rows + "x" + cols + " affine=" + affine + " threads=" + threads;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment x = random(arena, t, rows * cols, 1), w = affine ? random(arena, t, cols, 2) : null, b = affine ? random(arena, t, cols, 3) : null;
            MemorySegment[] nat = alloc(arena, t, rows * cols, rows, rows), java = alloc(arena, t, rows * cols, rows, rows);
            assertTrue(NativeNorms.layerNorm(t, rows, cols, 1e-5, x, w, b, nat[0], nat[1], nat[2]), what);
            CpuNorms.layerNormLoop(t, rows, cols, 1e-5, x, w, b, java[0], java[1], java[2]);
            for (int i = 0; i < 3; i++) close(t, nat[i], java[i], 0, 0, what + " forward " + i);
            MemorySegment g = random(arena, t, rows * cols, 4);
            MemorySegment[] gn = alloc(arena, t, rows * cols, rows * cols), gj = alloc(arena, t, rows * cols, rows * cols);
            assertTrue(NativeNorms.layerNormBackward(t, rows, cols, g, x, nat[1], nat[2], w, gn[0], affine ? gn[1] : null), what);
            CpuNorms.layerNormBackwardLoop(t, rows, cols, g, x, nat[1], nat[2], w, gj[0], affine ? gj[1] : null);
            for (int i = 0; i < 2; i++) close(t, gn[i], gj[i], 0, 0, what + " backward " + i);
        }
    }

    private static void gelu(DType t, long n, int threads) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment g = random(arena, t, n, 5), x = random(arena, t, n, 6);
            for (boolean tanh : new boolean[] {false, true}) {
                String what = "gelu backward " + t + " n=" + n + " tanh=" + tanh + " threads=" + threads;
                MemorySegment a = arena.allocate(n * t.byteSize(), 64), b = arena.allocate(n * t.byteSize(), 64);
                assertTrue(NativeNorms.geluBackward(t, n, tanh, g, x, a), what);
                CpuNorms.geluBackwardLoop(t, n, tanh, g, x, b);
                close(t, a, b, t == DType.FLOAT32 ? 0x1p-23 : 1e-12, 1e-15, what);
            }
        }
    }

    /** A few rows' mean and rstd (and a short row's weight) live on the Java heap: the C kernel takes them through native stand-ins. */
    @Test
    void heapOperandsGoThroughNativeStandIns() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            long rows = 3, cols = 384;
            String what = "layer norm " + t + " with heap mean/rstd/weight";
            try (Arena arena = Arena.ofShared()) {
                MemorySegment x = random(arena, t, rows * cols, 1), g = random(arena, t, rows * cols, 4);
                MemorySegment w = heapCopy(random(arena, t, cols, 2), t), b = heapCopy(random(arena, t, cols, 3), t);
                MemorySegment y = arena.allocate(rows * cols * t.byteSize(), 64), yj = arena.allocate(rows * cols * t.byteSize(), 64);
                MemorySegment mean = heap(t, rows), rstd = heap(t, rows), meanJ = heap(t, rows), rstdJ = heap(t, rows);
                assertTrue(NativeNorms.layerNorm(t, rows, cols, 1e-5, x, w, b, y, mean, rstd), what);
                CpuNorms.layerNormLoop(t, rows, cols, 1e-5, x, w, b, yj, meanJ, rstdJ);
                close(t, y, yj, 0, 0, what + " y");
                close(t, mean, meanJ, 0, 0, what + " mean");
                close(t, rstd, rstdJ, 0, 0, what + " rstd");
                MemorySegment dx = arena.allocate(rows * cols * t.byteSize(), 64), dxj = arena.allocate(rows * cols * t.byteSize(), 64);
                MemorySegment gxhat = heap(t, rows * cols), gxhatJ = heap(t, rows * cols);
                assertTrue(NativeNorms.layerNormBackward(t, rows, cols, g, x, mean, rstd, w, dx, gxhat), what);
                CpuNorms.layerNormBackwardLoop(t, rows, cols, g, x, meanJ, rstdJ, w, dxj, gxhatJ);
                close(t, dx, dxj, 0, 0, what + " dx");
                close(t, gxhat, gxhatJ, 0, 0, what + " gxhat");
            }
        }
    }

    private static MemorySegment heap(DType t, long n) {
        return t == DType.FLOAT32 ? MemorySegment.ofArray(new float[(int) n]) : MemorySegment.ofArray(new double[(int) n]);
    }

    private static MemorySegment heapCopy(MemorySegment m, DType t) {
        MemorySegment h = heap(t, m.byteSize() / t.byteSize());
        MemorySegment.copy(m, 0, h, 0, m.byteSize());
        return h;
    }

    @Test
    void undersizedOperandsAreRefused() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment x = arena.allocate(4 * 12, 64), small = arena.allocate(8, 64);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> NativeNorms.layerNorm(DType.FLOAT32, 3, 4, 1e-5, x, null, null, x, small, x));
            assertTrue(e.getMessage().contains("mean"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> NativeNorms.geluBackward(DType.FLOAT32, 12, false, x, small, x));
        }
    }

    private static MemorySegment[] alloc(Arena arena, DType t, long... sizes) {
        MemorySegment[] out = new MemorySegment[sizes.length];
        for (int i = 0; i < sizes.length; i++) out[i] = arena.allocate(sizes[i] * t.byteSize(), 64);
        return out;
    }

    private static void close(DType t, MemorySegment a, MemorySegment b, double rel, double abs, String what) {
        long n = a.byteSize() / t.byteSize();
        for (long i = 0; i < n; i++) {
            double x = Elements.getDouble(a, t, i * t.byteSize()), y = Elements.getDouble(b, t, i * t.byteSize());
            if (!(Math.abs(x - y) <= rel * Math.max(Math.abs(x), Math.abs(y)) + abs) && !(x != x && y != y)) {
                throw new AssertionError(what + ": element " + i + " native " + x + ", Java " + y);
            }
        }
    }
}
