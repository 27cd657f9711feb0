package dev.jtensor.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.Elements;
import dev.jtensor.backend.OptimizerStep;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The C kernels of libjtensor_cpu.so ({@link NativeKernels}) against the Java loops as oracle: odd sizes,
 * unaligned starts (element offsets 1 and 3 of 64-byte aligned blocks), every dtype each kernel takes,
 * the exactness promises (sums of ones, the same bits with 1 and 2 threads), optimizer steps bit for bit,
 * bounds checks, and the Java fallback with {@code -Djtensor.native=false}. Skipped where the library was
 * not built (no gcc).
 */
class NativeKernelsTest {
    static final long[] SIZES = {0, 1, 7, 1023, (1 << 20) + 3};
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    static final ValueLayout.OfShort S = ValueLayout.JAVA_SHORT_UNALIGNED;

    @BeforeAll
    static void libraryLoaded() {
        boolean built = NativeKernels.class.getResource("/dev/jtensor/native/linux-x86_64/libjtensor_cpu.so") != null;
        assumeTrue(built, "libjtensor_cpu.so not built (no gcc): " + NativeKernels.status());
        assumeTrue(!"false".equals(System.getProperty("jtensor.native")), "native kernels switched off (-Djtensor.native=false)");
        assertTrue(NativeKernels.enabled(), NativeKernels.status());
        assertTrue(Jt.info().contains("cpu kernels: " + NativeKernels.status()), Jt.info().toString());
    }

    /** A native block of {@code n + pad} random elements of {@code type} (values in [-2, 2), never 0). */
    static MemorySegment random(Arena arena, DType type, long n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long count = n + 8;
        MemorySegment s = arena.allocate(count * type.byteSize(), 64);
        for (long i = 0; i < count; i++) {
            double v = r.nextDouble(-2, 2);
            if (v == 0) v = 0.5;
            if (type == DType.FLOAT32) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
            else s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
        }
        return s;
    }

    static MemorySegment copy(Arena arena, MemorySegment s) {
        return arena.allocate(s.byteSize(), 64).copyFrom(s);
    }

    @Test
    void binaryMatchesTheJavaLoopsBitForBit() {
        BinaryKernel[] kernels = {BinaryKernel.ADD, BinaryKernel.SUB, BinaryKernel.MUL, BinaryKernel.DIV};
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (long n : SIZES) {
                try (Arena arena = Arena.ofShared()) {
                    MemorySegment a = random(arena, t, n, 1), b = random(arena, t, n, 2);
                    for (BinaryKernel k : kernels) {
                        for (int bStride = 0; bStride <= 1; bStride++) {
                            MemorySegment want = arena.allocate((n + 8) * t.byteSize(), 64), got = copy(arena, want);
                            CpuFloatLoops.binary(k, 0.75, t, want, 3, 1, a, 1, 1, b, 3, bStride, (int) n);
                            assertTrue(NativeKernels.binary(k, 0.75, t, got, 3, a, 1, b, 3, bStride, n));
                            assertEquals(-1, want.mismatch(got), () -> k + " " + t + " n=" + n);
                        }
                        MemorySegment inPlace = copy(arena, a), want = copy(arena, a); // out is a: add_
                        CpuFloatLoops.binary(k, 1, t, want, 1, 1, want, 1, 1, b, 3, 1, (int) n);
                        assertTrue(NativeKernels.binary(k, 1, t, inPlace, 1, inPlace, 1, b, 3, 1, n));
                        assertEquals(-1, want.mismatch(inPlace), () -> "in place " + k + " " + t + " n=" + n);
                    }
                }
            }
        }
    }

    @Test
    void plannedRowsMatchFloatArithmeticBitForBit() { // CpuLoops.binary hands unit-strided rows to C
        Jt.manualSeed(1);
        var big = Jt.rand(300, 1400);
        var a = big.narrow(1, 101, 700); // rows 700 long, 1400 apart, from an odd element
        var row = Jt.rand(700);
        var col = Jt.rand(300, 1); // broadcast along the rows: stride 0 in C
        float[] bv = big.toFloatArray(), r = row.toFloatArray(), c = col.toFloatArray();
        float[] add = a.add(row, 0.75).toFloatArray(), sub = a.sub(row, 1.5).toFloatArray();
        float[] mul = a.mul(row).toFloatArray(), div = a.div(col).toFloatArray();
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 700; j++) {
                float x = bv[i * 1400 + 101 + j];
                int k = i * 700 + j;
                assertEquals(Float.floatToRawIntBits(x + 0.75f * r[j]), Float.floatToRawIntBits(add[k]), "add " + k);
                assertEquals(Float.floatToRawIntBits(x - 1.5f * r[j]), Float.floatToRawIntBits(sub[k]), "sub " + k);
                assertEquals(Float.floatToRawIntBits(x * r[j]), Float.floatToRawIntBits(mul[k]), "mul " + k);
                assertEquals(Float.floatToRawIntBits(x / c[i]), Float.floatToRawIntBits(div[k]), "div " + k);
            }
        }
        var bd = big.to(DType.FLOAT64);
        var rd = Jt.rand(1000).to(DType.FLOAT64);
        double[] bdv = bd.toDoubleArray(), rdv = rd.toDoubleArray(), sd = bd.narrow(1, 3, 1000).add(rd, 2).toDoubleArray();
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 1000; j++) {
                double want = bdv[i * 1400 + 3 + j] + 2.0 * rdv[j];
                assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(sd[i * 1000 + j]), "f64 add " + i + "," + j);
            }
        }
    }

    @Test
    void declinesWhatItDoesNotHandle() {
        MemorySegment heap = MemorySegment.ofArray(new float[64]);
        assertFalse(NativeKernels.binary(BinaryKernel.ADD, 1, DType.FLOAT32, heap, 0, heap, 0, heap, 0, 1, 64));
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s = arena.allocate(256);
            assertFalse(NativeKernels.binary(BinaryKernel.POW, 1, DType.FLOAT32, s, 0, s, 0, s, 0, 1, 64));
            assertFalse(NativeKernels.binary(BinaryKernel.ADD, 1, DType.INT32, s, 0, s, 0, s, 0, 1, 64));
        }
    }

    @Test
    void rangesAreCheckedBeforeAnyPointerReachesC() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment small = arena.allocate(4 * 100), big = arena.allocate(4 * 1000);
            var e = assertThrows(IndexOutOfBoundsException.class,
                    () -> NativeKernels.binary(BinaryKernel.ADD, 1, DType.FLOAT32, big, 0, big, 0, small, 5, 1, 100));
            assertTrue(e.getMessage().contains("operand b") && e.getMessage().contains("[5, 105)")
                    && e.getMessage().contains("400 bytes"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> NativeKernels.sum(small, DType.FLOAT32, 99, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> NativeKernels.sum(small, DType.FLOAT64, -1, 2));
        }
    }

    @Test
    void sumsAgreeWithTheJavaBlocksAndAreExact() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (long n : SIZES) {
                try (Arena arena = Arena.ofShared()) {
                    MemorySegment x = random(arena, t, n, 3);
                    double got = NativeKernels.sum(x, t, 1, n), want = 0;
                    for (long i = 1; i <= n; i++) want += t == DType.FLOAT32 ? x.getAtIndex(ValueLayout.JAVA_FLOAT, i) : x.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
                    double tol = (t == DType.FLOAT32 ? 1e-6 : 1e-13) * Math.sqrt(n + 1) * 2;
                    assertEquals(want, got, tol, t + " n=" + n);
                }
            }
        }
        try (Arena arena = Arena.ofShared()) { // float32 alone would stop counting at 2^24
            long n = 10_000_000;
            MemorySegment ones = arena.allocate(4 * n, 64);
            for (long i = 0; i < n; i++) ones.setAtIndex(ValueLayout.JAVA_FLOAT, i, 1f);
            assertEquals(1e7, NativeKernels.sum(ones, DType.FLOAT32, 0, n));
        }
        assertEquals(1e7, Jt.ones(10_000_000).sum().item()); // through CpuSum's tasks
    }

    @Test
    void sumDoesNotDependOnTheThreadCount() {
        var x = Jt.randn((1 << 20) + 3);
        int before = Parallel.numThreads();
        try {
            Parallel.setNumThreads(1);
            double one = x.sum().item();
            Parallel.setNumThreads(2);
            double two = x.sum().item();
            assertEquals(Double.doubleToRawLongBits(one), Double.doubleToRawLongBits(two));
        } finally {
            Parallel.setNumThreads(before);
        }
    }

    @Test
    void castsMatchTheJavaConversionsBitForBit() {
        try (Arena arena = Arena.ofShared()) {
            int n = 65536 + 7;
            float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE, 1e-40f,
                    Float.MAX_VALUE, 3.0000002f, 1.00390625f, 1.01171875f, -65504f, 65520f};
            MemorySegment f = arena.allocate(4L * (n + 1)), d = arena.allocate(8L * (n + 1)), h = arena.allocate(2L * (n + 1));
            SplittableRandom r = new SplittableRandom(5);
            for (int i = 0; i <= n; i++) {
                float v = i < special.length ? special[i] : Float.intBitsToFloat(r.nextInt());
                f.set(F, 4L * i, v);
                d.set(D, 8L * i, i % 3 == 0 ? r.nextDouble(-1e40, 1e40) : r.nextDouble(-3, 3));
                h.set(S, 2L * i, (short) i); // every float16/bfloat16 bit pattern
            }
            MemorySegment out = arena.allocate(8L * (n + 1));
            assertTrue(NativeKernels.cast(f, DType.FLOAT32, 1, out, DType.FLOAT64, 0, n));
            for (int i = 0; i < n; i++) assertSameFloat(f.get(F, 4L * (i + 1)), out.get(D, 8L * i), "f32->f64 " + i);
            assertTrue(NativeKernels.cast(d, DType.FLOAT64, 1, out, DType.FLOAT32, 0, n));
            for (int i = 0; i < n; i++) assertSameFloat((float) d.get(D, 8L * (i + 1)), out.get(F, 4L * i), "f64->f32 " + i);
            assertTrue(NativeKernels.cast(f, DType.FLOAT32, 0, out, DType.BFLOAT16, 1, n));
            for (int i = 0; i < n; i++) assertEquals(Elements.toBFloat16(f.get(F, 4L * i)), out.get(S, 2L * (i + 1)), "f32->bf16 " + i);
            assertTrue(NativeKernels.cast(h, DType.BFLOAT16, 0, out, DType.FLOAT32, 0, n));
            for (int i = 0; i < n; i++) assertSameFloat(Elements.fromBFloat16(h.get(S, 2L * i)), out.get(F, 4L * i), "bf16->f32 " + i);
            assertTrue(NativeKernels.cast(h, DType.FLOAT16, 1, out, DType.FLOAT32, 0, n));
            for (int i = 0; i < n; i++) assertSameFloat(Float.float16ToFloat(h.get(S, 2L * (i + 1))), out.get(F, 4L * i), "f16->f32 " + i);
            for (int i = 0; i <= n; i++) { // float16's range, its halfway points and subnormals, besides random bits
                if (i % 4 == 1) f.set(F, 4L * i, Float.float16ToFloat((short) i) + Math.ulp(Float.float16ToFloat((short) i)) * (i % 3 - 1));
                if (i % 4 == 2) f.set(F, 4L * i, (Float.float16ToFloat((short) i) + Float.float16ToFloat((short) (i + 1))) / 2);
            }
            assertTrue(NativeKernels.cast(f, DType.FLOAT32, 1, out, DType.FLOAT16, 0, n));
            for (int i = 0; i < n; i++) {
                short want = Float.floatToFloat16(f.get(F, 4L * (i + 1))), got = out.get(S, 2L * i);
                if (Float.isNaN(Float.float16ToFloat(want))) assertTrue(Float.isNaN(Float.float16ToFloat(got)), "f32->f16 NaN " + i);
                else assertEquals(want, got, "f32->f16 " + i + " " + f.get(F, 4L * (i + 1)));
            }
            assertFalse(NativeKernels.cast(h, DType.INT16, 0, out, DType.INT32, 0, n)); // integer to integer stays in Java
        }
    }

    /** Same bits, except that any NaN equals any NaN (Java leaves a NaN's payload unspecified). */
    static void assertSameFloat(double want, double got, String what) {
        if (Double.isNaN(want)) assertTrue(Double.isNaN(got), what);
        else assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), what);
    }

    @Test
    void optimizerStepsEqualTheJavaLoopsBitForBit() {
        OptimizerStep[] steps = {
            new OptimizerStep.Sgd(0.01, 0, 0, 0, false, false, false),
            new OptimizerStep.Sgd(0.01, 0, 0, 1e-4, false, true, false),
            new OptimizerStep.Sgd(0.03, 0.9, 0.1, 1e-4, false, false, true),
            new OptimizerStep.Sgd(0.03, 0.9, 0.1, 1e-4, false, false, false),
            new OptimizerStep.Sgd(0.03, 0.9, 0, 0, true, true, false),
            new OptimizerStep.Adam(1e-3, 0.9, 0.999, 1e-8, 0, false, false, false, 1e-3 / 0.1, Math.sqrt(1 - 0.999)),
            new OptimizerStep.Adam(1e-3, 0.9, 0.999, 1e-8, 0.01, false, false, true, 1e-3 / 0.19, Math.sqrt(1 - 0.998)),
            new OptimizerStep.Adam(1e-3, 0.9, 0.95, 1e-6, 0.1, true, false, false, 1e-3 / 0.271, Math.sqrt(1 - 0.857)),
        };
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (long n : new long[] {1, 7, 1023, (1 << 18) + 3}) {
                for (OptimizerStep step : steps) {
                    try (Arena arena = Arena.ofShared()) {
                        int states = step instanceof OptimizerStep.Adam ? 2 : ((OptimizerStep.Sgd) step).momentum() != 0 ? 1 : 0;
                        MemorySegment p = random(arena, t, n, 6), g = random(arena, t, n, 7);
                        MemorySegment[] want = new MemorySegment[states], got = new MemorySegment[states];
                        for (int i = 0; i < states; i++) {
                            want[i] = random(arena, t, n, 8 + i);
                            if (i == 1) for (long k = 0; k < n + 8; k++) absolute(want[i], t, k);
                            got[i] = copy(arena, want[i]);
                        }
                        MemorySegment pWant = copy(arena, p);
                        CpuOptimizerSteps.run(step, t, (int) n, pWant, g, want);
                        assertTrue(NativeSteps.optimizerStep(step, t, n, p, g, got));
                        assertEquals(-1, pWant.mismatch(p), () -> step + " " + t + " n=" + n + " param");
                        for (int i = 0; i < states; i++) assertEquals(-1, want[i].mismatch(got[i]), step + " state " + i);
                    }
                }
            }
        }
        // amsgrad, RMSprop and Adagrad: NativeReduceTest
    }

    private static void absolute(MemorySegment s, DType t, long k) {
        if (t == DType.FLOAT32) s.setAtIndex(ValueLayout.JAVA_FLOAT, k, Math.abs(s.getAtIndex(ValueLayout.JAVA_FLOAT, k)));
        else s.setAtIndex(ValueLayout.JAVA_DOUBLE, k, Math.abs(s.getAtIndex(ValueLayout.JAVA_DOUBLE, k)));
    }

    @Test
    void theJavaFallbackRunsWithNativeOff() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Djtensor.native=false",
                "-cp", System.getProperty("java.class.path"), FallbackMain.class.getName()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("native off, results ok"), out);
    }

    /** Run in a child JVM with -Djtensor.native=false: the Java loops compute the same ops. */
    public static final class FallbackMain {
        public static void main(String[] args) {
            if (NativeKernels.enabled() || !NativeKernels.status().startsWith("off")) throw new AssertionError(NativeKernels.status());
            var a = Jt.ones(1 << 20);
            double sum = a.add(a).sum().item();
            if (sum != 2.0 * (1 << 20)) throw new AssertionError("sum " + sum);
            double rows = Jt.ones(3, 5000).softmax(1).sum().item();
            if (Math.abs(rows - 3) > 1e-4) throw new AssertionError("softmax rows sum to " + rows);
            System.out.println("native off, results ok");
        }
    }
}
