package dev.jtensor.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.UnaryKernel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The elementwise C kernels (unary.c, the strided binary.c) against the Java loops as oracle: odd sizes,
 * unaligned starts (element offsets 1 and 3), strided operands (2, -1 through a reversed base, 0 for a
 * broadcast), in place, special values (NaN, infinities, -0.0, huge, tiny, subnormal, rounding ties), every
 * dtype each kernel takes, the bounds checks, and the public API on transposed views. Exactly rounded kernels
 * must give Java's bits (any NaN for a NaN); exp, log, tanh, sigmoid, silu, erf, gelu within the bounds that
 * jtensor_cpu.h states: 1 float32 ulp, 6 float64 ulp (float64 gelu's cancelling tail below -4: 1e-15 |x|),
 * and exactly Java's infinities, NaNs and zeros.
 */
class NativeElementwiseTest {
    static final long[] SIZES = {0, 1, 7, 1023, (1 << 20) + 3};
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    static final UnaryKernel[] UNARY = {UnaryKernel.NEG, UnaryKernel.ABS, UnaryKernel.SQUARE, UnaryKernel.RELU,
        UnaryKernel.SQRT, UnaryKernel.RSQRT, UnaryKernel.RECIPROCAL, UnaryKernel.FLOOR, UnaryKernel.CEIL,
        UnaryKernel.TRUNC, UnaryKernel.ROUND, UnaryKernel.CLAMP, UnaryKernel.EXP, UnaryKernel.LOG, UnaryKernel.SIGMOID,
        UnaryKernel.TANH, UnaryKernel.SILU, UnaryKernel.ERF, UnaryKernel.GELU};
    static final Set<UnaryKernel> APPROXIMATE = EnumSet.of(UnaryKernel.EXP, UnaryKernel.LOG, UnaryKernel.SIGMOID,
            UnaryKernel.TANH, UnaryKernel.SILU, UnaryKernel.ERF, UnaryKernel.GELU);
    static final double[] SPECIALS = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
        Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40, -3e-39, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
        Double.MIN_VALUE, -1e-310, Double.MAX_VALUE, 1e300, -1e300, 0.5, -0.5, 1.5, 2.5, -2.5, 4503599627370497.0,
        8388609.5f, 88.72, 88.73, -87.33, -103.98, -104, 709.78, 709.79, -745.13, -745.14, 20, -20, 1e-9, -1e-9};

    @BeforeAll
    static void libraryLoaded() { NativeKernelsTest.libraryLoaded(); }

    /** {@code n + pad} elements: mostly uniform in [-6, 6), some over the whole exponent range, some specials. */
    static MemorySegment values(Arena arena, DType type, long n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long count = n + 8;
        MemorySegment s = arena.allocate(count * type.byteSize(), 64);
        for (long i = 0; i < count; i++) {
            int kind = r.nextInt(16);
            double v = kind == 0 ? SPECIALS[r.nextInt(SPECIALS.length)]
                    : kind == 1 ? Math.scalb(r.nextDouble(-1, 1), r.nextInt(-160, 140))
                    : kind == 2 ? Math.rint(r.nextDouble(-8, 8) * 2) / 2 // ties for round
                    : r.nextDouble(-6, 6);
            set(s, type, i, v);
        }
        return s;
    }

    static void set(MemorySegment s, DType t, long i, double v) {
        switch (t) {
            case FLOAT32 -> s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
            case FLOAT64 -> s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
            case INT32 -> s.setAtIndex(ValueLayout.JAVA_INT, i, (int) (long) v);
            default -> s.setAtIndex(ValueLayout.JAVA_LONG, i, (long) v);
        }
    }

    static double get(MemorySegment s, DType t, long i) {
        return t == DType.FLOAT32 ? s.getAtIndex(ValueLayout.JAVA_FLOAT, i) : s.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
    }

    static MemorySegment copy(Arena arena, MemorySegment s) { return arena.allocate(s.byteSize(), 64).copyFrom(s); }

    /** Distance in ulps of the dtype (0 for two NaNs, huge for NaN against a number or different signs of zero). */
    static long ulps(DType t, double want, double got) {
        if (want != want || got != got) return want != want && got != got ? 0 : Long.MAX_VALUE;
        if (t == DType.FLOAT32) {
            int a = Float.floatToRawIntBits((float) want), b = Float.floatToRawIntBits((float) got);
            return Math.abs((long) (a < 0 ? Integer.MIN_VALUE - a : a) - (b < 0 ? Integer.MIN_VALUE - b : b));
        }
        long a = Double.doubleToRawLongBits(want), b = Double.doubleToRawLongBits(got);
        return Math.abs((a < 0 ? Long.MIN_VALUE - a : a) - (b < 0 ? Long.MIN_VALUE - b : b));
    }

    /** Elements {@code off + i * stride} of want and got agree as the kernel promises. */
    static void assertAgree(UnaryKernel k, DType t, MemorySegment want, MemorySegment got, long off, long stride, long n,
                            MemorySegment x, long xo, long xs, String what) {
        long tol = !APPROXIMATE.contains(k) ? 0 : t == DType.FLOAT32 ? 1 : 6;
        for (long i = 0; i < n; i++) {
            double w = get(want, t, off + i * stride), g = get(got, t, off + i * stride);
            boolean special = Double.isNaN(w) || Double.isInfinite(w) || w == 0;
            long d = ulps(t, w, g);
            // float64 gelu below x = -4: 1 + erf cancels, Java's own result is only absolutely accurate (1e-16 |x|)
            boolean geluTail = k == UnaryKernel.GELU && t == DType.FLOAT64 && !special
                    && Math.abs(w - g) <= 1e-15 * Math.abs(get(x, t, xo + i * xs));
            if (d > (special ? 0 : tol) && !geluTail) {
                fail(what + " " + k + " " + t + " element " + i + " of x = " + get(x, t, xo + i * xs) + ": Java " + w + ", C " + g
                        + " (" + (d == Long.MAX_VALUE ? "NaN/sign" : d + " ulp") + ")");
            }
        }
    }

    @Test
    void unaryKernelsMatchTheJavaLoops() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (long n : SIZES) {
                boolean big = n > 10_000;
                try (Arena arena = Arena.ofShared()) {
                    MemorySegment x = values(arena, t, 2 * n + 8, n + 11);
                    for (UnaryKernel k : UNARY) {
                        double lo = k == UnaryKernel.CLAMP ? -0.5 : 0, hi = k == UnaryKernel.CLAMP ? 1.25 : 0;
                        // contiguous from unaligned offsets (out 3, x 1), on the pool
                        MemorySegment want = arena.allocate(x.byteSize(), 64), got = copy(arena, want);
                        CpuFloatLoops.unary(k, lo, hi, 0, t, want, 3, 1, x, 1, 1, (int) n);
                        assertTrue(NativeElementwise.unary(k, lo, hi, t, got, 3, x, 1, n));
                        assertAgree(k, t, want, got, 3, 1, n, x, 1, 1, "contiguous");
                        // x with stride 2
                        want = arena.allocate(x.byteSize(), 64);
                        got = copy(arena, want);
                        CpuFloatLoops.unary(k, lo, hi, 0, t, want, 1, 1, x, 3, 2, (int) n);
                        NativeElementwise.unarySpan(k, lo, hi, t, got, 1, 1, x, 3, 2, n);
                        assertAgree(k, t, want, got, 1, 1, n, x, 3, 2, "x stride 2");
                        if (big) continue;
                        // x reversed (stride -1 from its last element), out with stride 2
                        want = arena.allocate(x.byteSize(), 64);
                        got = copy(arena, want);
                        CpuFloatLoops.unary(k, lo, hi, 0, t, want, 1, 2, x, n, -1, (int) n);
                        NativeElementwise.unarySpan(k, lo, hi, t, got, 1, 2, x, n, -1, n);
                        assertAgree(k, t, want, got, 1, 2, n, x, n, -1, "reversed x, out stride 2");
                        // x broadcast (stride 0)
                        want = arena.allocate(x.byteSize(), 64);
                        got = copy(arena, want);
                        CpuFloatLoops.unary(k, lo, hi, 0, t, want, 0, 1, x, 5, 0, (int) n);
                        NativeElementwise.unarySpan(k, lo, hi, t, got, 0, 1, x, 5, 0, n);
                        assertAgree(k, t, want, got, 0, 1, n, x, 5, 0, "broadcast x");
                        // in place, contiguous and strided
                        want = copy(arena, x);
                        got = copy(arena, x);
                        CpuFloatLoops.unary(k, lo, hi, 0, t, want, 1, 1, want, 1, 1, (int) n);
                        assertTrue(NativeElementwise.unary(k, lo, hi, t, got, 1, got, 1, n));
                        assertAgree(k, t, want, got, 1, 1, n, x, 1, 1, "in place");
                        want = copy(arena, x);
                        got = copy(arena, x);
                        CpuFloatLoops.unary(k, lo, hi, 0, t, want, 2, 2, want, 2, 2, (int) n);
                        NativeElementwise.unarySpan(k, lo, hi, t, got, 2, 2, got, 2, 2, n);
                        assertAgree(k, t, want, got, 2, 2, n, x, 2, 2, "in place, stride 2");
                    }
                }
            }
        }
    }

    @Test
    void everySpecialValueAsJava() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            try (Arena arena = Arena.ofShared()) {
                int n = SPECIALS.length;
                MemorySegment x = arena.allocate(n * t.byteSize() + 8, 8);
                for (int i = 0; i < n; i++) set(x, t, i, SPECIALS[i]);
                for (UnaryKernel k : UNARY) {
                    MemorySegment want = arena.allocate(x.byteSize(), 8), got = arena.allocate(x.byteSize(), 8);
                    CpuFloatLoops.unary(k, -1, 1, 0, t, want, 0, 1, x, 0, 1, n);
                    NativeElementwise.unarySpan(k, -1, 1, t, got, 0, 1, x, 0, 1, n);
                    assertAgree(k, t, want, got, 0, 1, n, x, 0, 1, "specials");
                }
            }
        }
    }

    @Test
    void clampBoundsAsScalarMath() { // NaN bound = no bound, lo > hi gives hi, zeros of both signs as Java's max/min
        double[][] bounds = {{-0.5, 1.25}, {Double.NaN, 0.25}, {-0.25, Double.NaN}, {Double.NaN, Double.NaN}, {-0.0, 0.0},
            {0.0, -0.0}, {0.0, 0.0}, {-0.0, -0.0}, {2, -2}, {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}, {0.1, 0.3}};
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            try (Arena arena = Arena.ofShared()) {
                int n = 1023;
                MemorySegment x = values(arena, t, n, 7);
                for (int i = 0; i < 8; i++) set(x, t, 3 * i, i % 2 == 0 ? 0.0 : -0.0);
                for (double[] b : bounds) {
                    MemorySegment want = arena.allocate(x.byteSize(), 64), got = copy(arena, want);
                    CpuFloatLoops.unary(UnaryKernel.CLAMP, b[0], b[1], 0, t, want, 0, 1, x, 0, 1, n);
                    assertTrue(NativeElementwise.unary(UnaryKernel.CLAMP, b[0], b[1], t, got, 0, x, 0, n));
                    assertEquals(-1, canonicalNaNs(t, want, n).mismatch(canonicalNaNs(t, got, n)), () -> "clamp " + b[0] + ", " + b[1] + " " + t);
                }
            }
        }
    }

    static MemorySegment canonicalNaNs(DType t, MemorySegment s, long n) {
        for (long i = 0; i < n; i++) if (Double.isNaN(get(s, t, i))) set(s, t, i, Double.NaN);
        return s;
    }

    // ---------------- binary ----------------

    /** The Java oracle of one span: CpuFloatLoops' loops for floats, ScalarMath.binaryLong wrapped to the dtype for ints. */
    static void javaBinary(BinaryKernel k, double alpha, DType t, MemorySegment o, long oo, long so, MemorySegment a, long ao,
                           long sa, MemorySegment b, long bo, long sb, long n) {
        if (t == DType.FLOAT32 || t == DType.FLOAT64) {
            CpuFloatLoops.binary(k, alpha, t, o, oo, so, a, ao, sa, b, bo, sb, (int) n);
            return;
        }
        for (long i = 0; i < n; i++) {
            if (t == DType.INT32) {
                long r = ScalarMath.binaryLong(k, a.getAtIndex(ValueLayout.JAVA_INT, ao + i * sa),
                        b.getAtIndex(ValueLayout.JAVA_INT, bo + i * sb), (long) alpha);
                o.setAtIndex(ValueLayout.JAVA_INT, oo + i * so, (int) r);
            } else {
                long r = ScalarMath.binaryLong(k, a.getAtIndex(ValueLayout.JAVA_LONG, ao + i * sa),
                        b.getAtIndex(ValueLayout.JAVA_LONG, bo + i * sb), (long) alpha);
                o.setAtIndex(ValueLayout.JAVA_LONG, oo + i * so, r);
            }
        }
    }

    static MemorySegment ints(Arena arena, DType t, long n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        MemorySegment s = arena.allocate((n + 8) * t.byteSize(), 64);
        for (long i = 0; i < n + 8; i++) {
            long v = r.nextInt(4) == 0 ? r.nextLong() : r.nextLong(-1000, 1000); // some overflow and wrap
            if (t == DType.INT32) s.setAtIndex(ValueLayout.JAVA_INT, i, (int) v);
            else s.setAtIndex(ValueLayout.JAVA_LONG, i, v);
        }
        return s;
    }

    @Test
    void stridedBinaryMatchesTheJavaLoopsBitForBit() {
        record Case(BinaryKernel k, double alpha) {}
        Case[] floats = {new Case(BinaryKernel.ADD, 1), new Case(BinaryKernel.ADD, 0.3), new Case(BinaryKernel.SUB, 1.7),
            new Case(BinaryKernel.MUL, 1), new Case(BinaryKernel.DIV, 1), new Case(BinaryKernel.MAXIMUM, 1), new Case(BinaryKernel.MINIMUM, 1)};
        Case[] ints = {new Case(BinaryKernel.ADD, 1), new Case(BinaryKernel.ADD, -3), new Case(BinaryKernel.SUB, 7),
            new Case(BinaryKernel.MUL, 1)};
        // {out offset, out stride, a offset, a stride, b offset, b stride}; a's reversed base is element n + 1
        long[][] layouts = {{3, 1, 1, 1, 3, 1}, {1, 1, 3, 1, 2, 0}, {0, 1, 1, 2, 0, 1}, {1, 2, -1, -1, 1, 1}, {2, 3, 1, 1, 5, 0},
            {0, 1, 0, 0, 3, 2}};
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64}) {
            boolean floating = t == DType.FLOAT32 || t == DType.FLOAT64;
            for (long n : SIZES) {
                try (Arena arena = Arena.ofShared()) {
                    MemorySegment a = floating ? values(arena, t, 2 * n + 8, 1) : ints(arena, t, 2 * n + 8, 1);
                    MemorySegment b = floating ? values(arena, t, 2 * n + 8, 2) : ints(arena, t, 2 * n + 8, 2);
                    for (int z = 0; z < 6 && floating; z++) set(a, t, 2 * z + 1, z % 2 == 0 ? 0.0 : -0.0); // max/min of zeros
                    for (int z = 0; z < 12 && floating; z++) set(b, t, z + 3, z % 3 == 0 ? 0.0 : -0.0);
                    for (Case c : floating ? floats : ints) {
                        for (long[] l : layouts) {
                            boolean unit = l[1] == 1 && l[3] == 1 && (l[5] == 1 || l[5] == 0);
                            // unit-strided float32 add/sub with alpha != 1: the Java contiguous loop rounds alpha * b
                            // in float32; CpuLoops keeps those spans off the strided kernel
                            if (unit && t == DType.FLOAT32 && c.alpha() != 1 && (c.k() == BinaryKernel.ADD || c.k() == BinaryKernel.SUB)) continue;
                            if (n > 10_000 && l != layouts[0] && l != layouts[3]) continue;
                            long ao = l[2] < 0 ? n + 1 : l[2];
                            MemorySegment want = arena.allocate((3 * n + 16) * t.byteSize(), 64), got = copy(arena, want);
                            javaBinary(c.k(), c.alpha(), t, want, l[0], l[1], a, ao, l[3], b, l[4], l[5], n);
                            NativeElementwise.binaryStridedSpan(c.k(), c.alpha(), t, got, l[0], l[1], a, ao, l[3], b, l[4], l[5], n);
                            if (floating) {
                                canonicalNaNs(t, want, want.byteSize() / t.byteSize());
                                canonicalNaNs(t, got, got.byteSize() / t.byteSize());
                            }
                            long at = want.mismatch(got);
                            assertEquals(-1, at, () -> c + " " + t + " n=" + n + " layout " + java.util.Arrays.toString(l)
                                    + " differs at byte " + at);
                        }
                        // in place: out is a (a.add_(b) on strided views)
                        MemorySegment want = copy(arena, a), got = copy(arena, a);
                        javaBinary(c.k(), c.alpha(), t, want, 1, 2, want, 1, 2, b, 0, 1, n);
                        NativeElementwise.binaryStridedSpan(c.k(), c.alpha(), t, got, 1, 2, got, 1, 2, b, 0, 1, n);
                        if (floating) {
                            canonicalNaNs(t, want, want.byteSize() / t.byteSize());
                            canonicalNaNs(t, got, got.byteSize() / t.byteSize());
                        }
                        assertEquals(-1, want.mismatch(got), () -> "in place " + c + " " + t + " n=" + n);
                    }
                }
            }
        }
    }

    @Test
    void flatMaximumMinimumMatchTheContiguousJavaLoop() { // binaryFlat's maximum/minimum go to the strided kernel
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (long n : SIZES) {
                try (Arena arena = Arena.ofShared()) {
                    MemorySegment a = values(arena, t, n, 3), b = values(arena, t, n, 4);
                    for (BinaryKernel k : new BinaryKernel[] {BinaryKernel.MAXIMUM, BinaryKernel.MINIMUM}) {
                        for (int bStride = 0; bStride <= 1; bStride++) {
                            MemorySegment want = arena.allocate(a.byteSize(), 64), got = copy(arena, want);
                            CpuFloatLoops.binary(k, 1, t, want, 3, 1, a, 1, 1, b, 3, bStride, (int) n);
                            assertTrue(NativeKernels.binary(k, 1, t, got, 3, a, 1, b, 3, bStride, n));
                            int bs = bStride;
                            assertEquals(-1, canonicalNaNs(t, want, n + 8).mismatch(canonicalNaNs(t, got, n + 8)),
                                    () -> k + " " + t + " n=" + n + " bStride " + bs);
                        }
                    }
                }
            }
        }
    }

    // ---------------- bounds ----------------

    @Test
    void stridedRangesAreCheckedNamingTheOperand() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(400, 8); // 100 float32
            var e = assertThrows(IndexOutOfBoundsException.class,
                    () -> NativeElementwise.unarySpan(UnaryKernel.EXP, 0, 0, DType.FLOAT32, s, 0, 1, s, 1, 2, 51));
            assertTrue(e.getMessage().contains("jt_cpu_unary_f32: operand x"), e.getMessage());
            e = assertThrows(IndexOutOfBoundsException.class,
                    () -> NativeElementwise.unarySpan(UnaryKernel.RELU, 0, 0, DType.FLOAT32, s, 10, -1, s, 0, 1, 50));
            assertTrue(e.getMessage().contains("operand out"), e.getMessage());
            e = assertThrows(IndexOutOfBoundsException.class, () -> NativeElementwise.unary(UnaryKernel.NEG, 0, 0, DType.FLOAT64, s, 0, s, 1, 50));
            assertTrue(e.getMessage().contains("operand x"), e.getMessage());
            e = assertThrows(IndexOutOfBoundsException.class, () -> NativeElementwise.binaryStridedSpan(BinaryKernel.ADD, 1, DType.FLOAT32,
                    s, 0, 1, s, 0, 1, s, 99, 1, 2));
            assertTrue(e.getMessage().contains("jt_cpu_binary_strided_f32: operand b"), e.getMessage());
            e = assertThrows(IndexOutOfBoundsException.class, () -> NativeElementwise.binaryStridedSpan(BinaryKernel.MUL, 1, DType.INT64,
                    s, 0, 1, s, 5, -1, s, 0, 0, 7));
            assertTrue(e.getMessage().contains("jt_cpu_binary_strided_i64: operand a"), e.getMessage());
            e = assertThrows(IndexOutOfBoundsException.class, () -> NativeElementwise.binaryStridedSpan(BinaryKernel.SUB, 1, DType.INT32,
                    s, 0, Long.MAX_VALUE / 2, s, 0, 1, s, 0, 0, 3));
            assertTrue(e.getMessage().contains("operand out"), e.getMessage());
            NativeElementwise.binaryStridedSpan(BinaryKernel.ADD, 1, DType.INT32, s, 99, 1, s, 0, -1, s, 100, 0, 0); // nothing to do
        }
    }

    // ---------------- through the public API ----------------

    @Test
    void transposedViewsThroughThePublicApi() { // spans of the plan with a stride of 700 in C, beside a direct Java oracle
        Jt.manualSeed(3);
        var x = Jt.rand(700, 600).mul(20.0).sub(10.0); // values in [-10, 10)
        var y = Jt.rand(600, 700);
        float[] xv = x.toFloatArray(), yv = y.toFloatArray();
        var xt = x.t(); // 600 x 700, strides (1, 600)
        float[] exp = xt.exp().toFloatArray(), relu = xt.relu().toFloatArray(), tanh = xt.tanh().toFloatArray();
        float[] add = xt.add(y).toFloatArray(), add2 = xt.add(y, 0.3).toFloatArray(), max = xt.maximum(y).toFloatArray();
        float[] clamp = xt.clamp(-1.5, 2.5).toFloatArray();
        for (int i = 0; i < 600; i++) {
            for (int j = 0; j < 700; j++) {
                float v = xv[j * 600 + i], w = yv[i * 700 + j];
                int k = i * 700 + j;
                assertTrue(ulps(DType.FLOAT32, (float) Math.exp(v), exp[k]) <= 1, "exp " + v);
                assertTrue(ulps(DType.FLOAT32, (float) Math.tanh(v), tanh[k]) <= 1, "tanh " + v);
                assertEquals(Float.floatToRawIntBits(v <= 0 ? 0f : v), Float.floatToRawIntBits(relu[k]), "relu " + v);
                assertEquals(Float.floatToRawIntBits(v + w), Float.floatToRawIntBits(add[k]), "add " + k);
                assertEquals(Float.floatToRawIntBits((float) (v + 0.3 * w)), Float.floatToRawIntBits(add2[k]), "add alpha " + k);
                assertEquals(Float.floatToRawIntBits(Math.max(v, w)), Float.floatToRawIntBits(max[k]), "max " + k);
                assertEquals(Float.floatToRawIntBits(Math.min(Math.max(v, -1.5f), 2.5f)), Float.floatToRawIntBits(clamp[k]), "clamp " + k);
            }
        }
        var xi = x.mul(1e8).to(DType.INT32); // int32 add on a transposed view, wrapping
        var yi = y.mul(2e9).sub(1e9).to(DType.INT32);
        long[] xiv = xi.toLongArray(), yiv = yi.toLongArray(), sum = xi.t().add(yi, 5).toLongArray();
        for (int i = 0; i < 600; i++) {
            for (int j = 0; j < 700; j++) {
                int want = (int) xiv[j * 600 + i] + 5 * (int) yiv[i * 700 + j];
                assertEquals(want, sum[i * 700 + j], "int32 add " + i + "," + j);
            }
        }
    }
}
