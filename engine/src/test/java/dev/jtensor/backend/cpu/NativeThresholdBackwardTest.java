package dev.jtensor.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.backend.BinaryKernel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ReLU's backward in C ({@code jt_cpu_threshold_backward_*}, threshold.c) against the Java loops as oracle, bit for
 * bit: float32 and float64, the vectorised contiguous loop and its tail (sizes 0, 1, 7, 1023, 2^20 + 3), unaligned
 * starts, strided and broadcast operands, in place, special values (NaN of either sign with payloads, -0.0,
 * infinities, subnormals), the bounds check; and relu's backward through the public API on contiguous and transposed
 * tensors large enough to take the C path.
 */
class NativeThresholdBackwardTest {
    static final long[] SIZES = {0, 1, 7, 1023, (1 << 20) + 3};

    @BeforeAll
    static void libraryLoaded() { NativeKernelsTest.libraryLoaded(); }

    /** The Java oracle over one span: CpuFloatLoops' bit loop (float32) or ScalarMath's formula (float64). */
    static void oracle(DType t, MemorySegment out, long oo, long so, MemorySegment g, long go, long sg, MemorySegment y, long yo, long sy, long n) {
        CpuFloatLoops.binary(BinaryKernel.THRESHOLD_BACKWARD, 1, t, out, oo, so, g, go, sg, y, yo, sy, (int) n);
    }

    static MemorySegment values(Arena arena, DType t, long n, long seed) {
        MemorySegment s = NativeElementwiseTest.values(arena, t, n, seed);
        // NaNs of both signs with payloads: g's bits must pass unchanged, y's NaNs must keep g
        long count = n + 8;
        for (long i = 5; i < count; i += 97) {
            if (t == DType.FLOAT32) s.setAtIndex(ValueLayout.JAVA_INT, i, (i & 1) == 0 ? 0x7fc01234 : 0xffc00001);
            else s.setAtIndex(ValueLayout.JAVA_LONG, i, (i & 1) == 0 ? 0x7ff8000000001234L : 0xfff8000000000001L);
        }
        return s;
    }

    static void assertSameBits(DType t, MemorySegment want, MemorySegment got, long count, String what) {
        for (long i = 0; i < count; i++) {
            long w = t == DType.FLOAT32 ? want.getAtIndex(ValueLayout.JAVA_INT, i) : want.getAtIndex(ValueLayout.JAVA_LONG, i);
            long h = t == DType.FLOAT32 ? got.getAtIndex(ValueLayout.JAVA_INT, i) : got.getAtIndex(ValueLayout.JAVA_LONG, i);
            if (w != h) throw new AssertionError(what + ": element " + i + " has bits " + Long.toHexString(h) + ", want " + Long.toHexString(w));
        }
    }

    @Test
    void contiguousAndUnalignedSpansGiveTheJavaLoopsBits() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (long n : SIZES) {
                for (long start : new long[] {0, 1, 3}) {
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment g = values(arena, t, n + 3, 11 + n), y = values(arena, t, n + 3, 29 + n);
                        MemorySegment want = arena.allocate((n + 11) * t.byteSize(), 64), got = arena.allocate((n + 11) * t.byteSize(), 64);
                        oracle(t, want, start, 1, g, start, 1, y, start, 1, n);
                        NativeElementwise.thresholdBackwardSpan(t, got, start, 1, g, start, 1, y, start, 1, n);
                        assertSameBits(t, want, got, n + 11, t + " n=" + n + " start=" + start);
                    }
                }
            }
        }
    }

    @Test
    void stridedBroadcastAndInPlaceSpans() {
        long n = 1029;
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            long[][] strides = {{1, 2, 1}, {2, 1, 3}, {1, 0, 1}, {1, 1, 0}, {3, 2, 2}};
            for (long[] s : strides) {
                try (Arena arena = Arena.ofConfined()) {
                    long len = 3 * n + 8;
                    MemorySegment g = values(arena, t, len, 5), y = values(arena, t, len, 7);
                    MemorySegment want = arena.allocate(len * t.byteSize(), 64), got = arena.allocate(len * t.byteSize(), 64);
                    oracle(t, want, 0, s[0], g, 1, s[1], y, 2, s[2], n);
                    NativeElementwise.thresholdBackwardSpan(t, got, 0, s[0], g, 1, s[1], y, 2, s[2], n);
                    assertSameBits(t, want, got, len, t + " strides " + java.util.Arrays.toString(s));
                }
            }
            try (Arena arena = Arena.ofConfined()) { // in place on g
                MemorySegment g = values(arena, t, n, 13), y = values(arena, t, n, 17);
                MemorySegment want = arena.allocate(n * t.byteSize(), 64);
                oracle(t, want, 0, 1, g, 0, 1, y, 0, 1, n);
                NativeElementwise.thresholdBackwardSpan(t, g, 0, 1, g, 0, 1, y, 0, 1, n);
                assertSameBits(t, want, g, n, t + " in place");
            }
        }
    }

    @Test
    void specialValuesFollowPyTorch() {
        float nanNeg = Float.intBitsToFloat(0xffc00000);
        float[] ys = {-1f, -0f, 0f, 2f, Float.NaN, nanNeg, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE};
        try (Arena arena = Arena.ofConfined()) {
            int n = ys.length;
            MemorySegment y = arena.allocate(4L * n, 64), g = arena.allocate(4L * n, 64), out = arena.allocate(4L * n, 64);
            for (int i = 0; i < n; i++) {
                y.setAtIndex(ValueLayout.JAVA_FLOAT, i, ys[i]);
                g.setAtIndex(ValueLayout.JAVA_FLOAT, i, -(i + 1));
            }
            NativeElementwise.thresholdBackwardSpan(DType.FLOAT32, out, 0, 1, g, 0, 1, y, 0, 1, n);
            for (int i = 0; i < n; i++) {
                float want = ys[i] <= 0 ? 0f : -(i + 1);
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(out.getAtIndex(ValueLayout.JAVA_FLOAT, i)), "y = " + ys[i]);
            }
        }
    }

    @Test
    void rangesAreCheckedBeforeTheCall() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(4 * 10, 64), big = arena.allocate(4 * 100, 64);
            var e = assertThrows(IndexOutOfBoundsException.class,
                    () -> NativeElementwise.thresholdBackwardSpan(DType.FLOAT32, big, 0, 1, small, 0, 1, big, 0, 1, 11));
            assertTrue(e.getMessage().contains("jt_cpu_threshold_backward_f32") && e.getMessage().contains("operand g"), e.getMessage());
        }
    }

    @Test
    void reluBackwardThroughTheApiMatchesTheFormula() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Jt.manualSeed(4);
            // every dim >= 512 (KernelChoice.STRIDED_BINARY_MIN) so that each layout's spans go to C
            Tensor x = Jt.randn(600, 1100).to(t), g = Jt.randn(600, 1100).to(t);
            for (Tensor in : new Tensor[] {x, x.t().contiguous().t(), x.slice(1, 0, 1100, 2)}) { // contiguous, column-major, stride 2
                Tensor xr = in.detach().requiresGrad_(true);
                Tensor gg = g.slice(1, 0, in.size(1)).contiguous();
                xr.relu().backward(gg);
                double[] xv = in.toDoubleArray(), gv = gg.toDoubleArray(), got = xr.grad().toDoubleArray();
                double[] want = new double[xv.length];
                for (int i = 0; i < xv.length; i++) want[i] = Math.max(xv[i], 0) <= 0 ? 0 : gv[i];
                assertArrayEquals(want, got, 0.0, t + " " + in.shape());
            }
            Tensor empty = Jt.zeros(0, 5).to(t).requiresGrad_(true);
            empty.relu().backward(Jt.zeros(0, 5).to(t));
            assertEquals(0, empty.grad().numel());
        }
    }
}
