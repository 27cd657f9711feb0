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
 * The fused recurrent cell kernels of libjtensor_cpu.so ({@code native/cpu/rnn.c}: LSTM and GRU, forward and backward,
 * float32 and float64) against their Java loop twins in {@link CpuRnnCells} (the path of {@code -Djtensor.native=false}):
 * with and without biases, null output gradients, odd sizes, 1 and 2 threads. The only difference is libm's exp/tanh
 * against Java's (at most 1 float64 ulp apart before rounding), so results agree to 1 ulp of the value plus 1e-6
 * (float32: a float32 ulp of tanh(cy) near 1 is amplified by 1 - tanh^2) or 1e-14 (float64) of the operands' unit
 * scale. Skipped where the library is not in use.
 */
class NativeRnnCellsTest {
    @BeforeAll
    static void libraryLoaded() { NativeKernelsTest.libraryLoaded(); }

    private static final long[][] SIZES = {{1, 1}, {3, 5}, {8, 64}, {33, 130}};

    @Test
    void lstmAndGruMatchTheJavaLoops() {
        int before = Parallel.numThreads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setNumThreads(threads);
                for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                    for (long[] s : SIZES) {
                        for (boolean bias : new boolean[] {true, false}) {
                            lstm(t, s[0], s[1], bias, threads);
                            gru(t, s[0], s[1], bias, threads);
                        }
                    }
                }
            }
        } finally {
            Parallel.setNumThreads(before);
        }
    }

    private static void lstm(DType t, long n, long h, boolean bias, int threads) {
        String what = "lstm " + t + " n=" + n + " h=" + h + " bias=" + bias + " threads=" + threads;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment ig = random(arena, t, n * 4 * h, 1), hg = random(arena, t, n * 4 * h, 2), cx = random(arena, t, n * h, 3);
            MemorySegment bi = bias ? random(arena, t, 4 * h, 4) : null, bh = bias ? random(arena, t, 4 * h, 5) : null;
            MemorySegment[] nat = zeros(arena, t, n * h, n * h, n * 4 * h), java = zeros(arena, t, n * h, n * h, n * 4 * h);
            assertTrue(NativeRnnCells.lstm(t, n, h, ig, hg, bi, bh, cx, nat[0], nat[1], nat[2]), what);
            CpuRnnCells.lstmLoop(t, n, h, ig, hg, bi, bh, cx, java[0], java[1], java[2]);
            for (int i = 0; i < 3; i++) close(t, nat[i], java[i], what + " forward " + i);
            MemorySegment gh = random(arena, t, n * h, 6), gc = random(arena, t, n * h, 7);
            for (int nulls = 0; nulls < 3; nulls++) { // both gradients, grad_hy null, grad_cy null
                MemorySegment a = nulls == 1 ? null : gh, b = nulls == 2 ? null : gc;
                MemorySegment[] gn = zeros(arena, t, n * 4 * h, n * h), gj = zeros(arena, t, n * 4 * h, n * h);
                assertTrue(NativeRnnCells.lstmBackward(t, n, h, a, b, cx, nat[1], nat[2], gn[0], gn[1]), what);
                CpuRnnCells.lstmBackwardLoop(t, n, h, a, b, cx, nat[1], nat[2], gj[0], gj[1]);
                for (int i = 0; i < 2; i++) close(t, gn[i], gj[i], what + " backward " + i + " nulls=" + nulls);
            }
        }
    }

    private static void gru(DType t, long n, long h, boolean bias, int threads) {
        String what = "gru " + t + " n=" + n + " h=" + h + " bias=" + bias + " threads=" + threads;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment ig = random(arena, t, n * 3 * h, 11), hg = random(arena, t, n * 3 * h, 12), hx = random(arena, t, n * h, 13);
            MemorySegment bi = bias ? random(arena, t, 3 * h, 14) : null, bh = bias ? random(arena, t, 3 * h, 15) : null;
            MemorySegment[] nat = zeros(arena, t, n * h, n * 5 * h), java = zeros(arena, t, n * h, n * 5 * h);
            assertTrue(NativeRnnCells.gru(t, n, h, ig, hg, bi, bh, hx, nat[0], nat[1]), what);
            CpuRnnCells.gruLoop(t, n, h, ig, hg, bi, bh, hx, java[0], java[1]);
            for (int i = 0; i < 2; i++) close(t, nat[i], java[i], what + " forward " + i);
            MemorySegment go = random(arena, t, n * h, 16);
            MemorySegment[] gn = zeros(arena, t, n * 3 * h, n * 3 * h, n * h), gj = zeros(arena, t, n * 3 * h, n * 3 * h, n * h);
            assertTrue(NativeRnnCells.gruBackward(t, n, h, go, nat[1], gn[0], gn[1], gn[2]), what);
            CpuRnnCells.gruBackwardLoop(t, n, h, go, nat[1], gj[0], gj[1], gj[2]);
            for (int i = 0; i < 3; i++) close(t, gn[i], gj[i], what + " backward " + i);
        }
    }

    @Test
    void undersizedOperandsAreRefusedBeforeTheCall() {
        DType t = DType.FLOAT32;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment g = arena.allocate(4 * 4 * 4L * 3, 64), small = arena.allocate(4 * 4 * 3L, 64), ws = arena.allocate(4 * 4 * 4L * 3, 64);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> NativeRnnCells.lstm(t, 3, 4, g, g, null, null, small.asSlice(0, 8), small, small, ws));
            assertTrue(e.getMessage().contains("cx"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> NativeRnnCells.gru(t, 3, 4, g, g, null, null, small, small, ws.asSlice(0, 16)));
        }
    }

    private static MemorySegment[] zeros(Arena arena, DType t, long... sizes) {
        MemorySegment[] out = new MemorySegment[sizes.length];
        for (int i = 0; i < sizes.length; i++) out[i] = arena.allocate(sizes[i] * t.byteSize(), 64);
        return out;
    }

    private static void close(DType t, MemorySegment a, MemorySegment b, String what) {
        long n = a.byteSize() / t.byteSize();
        double rel = t == DType.FLOAT32 ? 0x1p-23 : 1e-15;
        for (long i = 0; i < n; i++) {
            double x = Elements.getDouble(a, t, i * t.byteSize()), y = Elements.getDouble(b, t, i * t.byteSize());
            if (!(Math.abs(x - y) <= rel * Math.max(Math.abs(x), Math.abs(y)) + (t == DType.FLOAT32 ? 1e-6 : 1e-14))) {
                throw new AssertionError(what + ": element " + i + " native " + x + ", Java " + y);
            }
        }
    }
}
