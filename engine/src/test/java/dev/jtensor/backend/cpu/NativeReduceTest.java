package dev.jtensor.backend.cpu;

import static dev.jtensor.backend.cpu.NativeKernelsTest.F;
import static dev.jtensor.backend.cpu.NativeKernelsTest.copy;
import static dev.jtensor.backend.cpu.NativeKernelsTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.backend.Elements;
import dev.jtensor.backend.OptimizerStep;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.backend.plan.ReducePlan;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reduction-side C kernels of libjtensor_cpu.so (softmax rows, sums along a leading dim, the RMSprop,
 * Adagrad and amsgrad optimizer steps, integer casts) against their Java loops as oracle: odd sizes and
 * shapes, unaligned starts, special values, the same bits with 1 and 2 threads, bounds checks, and one
 * public-API check per family. Skipped, like {@link NativeKernelsTest}, where the library is not in use.
 */
class NativeReduceTest {
    @BeforeAll
    static void libraryLoaded() { NativeKernelsTest.libraryLoaded(); }

    // ---------------- softmax ----------------

    /** Rows holding NaN (either sign), +inf, -inf, only -inf, values far below the maximum, against the double oracle. */
    @Test
    void softmaxRowsWithSpecialValuesAgreeWithTheDoubleOracle() {
        long[][] shapes = {{1, 1}, {3, 7}, {1, 4097}, {4097, 1}, {9, 7}, {9, 1023}, {9, 4097}, {1000, 1000}, {2, 70001}};
        float negativeNaN = Float.intBitsToFloat(0xffc00000);
        for (long[] shape : shapes) {
            long rows = shape[0], len = shape[1];
            try (Arena arena = Arena.ofShared()) {
                MemorySegment in = random(arena, DType.FLOAT32, rows * len, 11);
                for (long i = 0; i < rows * len + 8; i++) in.setAtIndex(F, i, in.getAtIndex(F, i) * 60); // spans -120..120
                if (rows >= 9 && len >= 7) {
                    in.set(F, 4 * (1 + len + 3), Float.NaN);
                    in.set(F, 4 * (1 + 2 * len + len - 1), negativeNaN); // the last element: the tail path
                    in.set(F, 4 * (1 + 3 * len + 2), Float.POSITIVE_INFINITY);
                    for (long k = 0; k < len; k++) in.set(F, 4 * (1 + 4 * len + k), Float.NEGATIVE_INFINITY);
                    for (long k = 0; k < len; k += 2) in.set(F, 4 * (1 + 5 * len + k), Float.NEGATIVE_INFINITY);
                    in.set(F, 4 * (1 + 6 * len), 1e30f); // the rest underflow to exactly 0
                }
                for (boolean log : new boolean[] {false, true}) {
                    MemorySegment out = arena.allocate(4 * (rows * len + 8), 64);
                    assertTrue(NativeKernels.softmaxRows(log, in, 1, out, 3, rows, len));
                    double[] row = new double[(int) len];
                    for (long r = 0; r < rows; r++) {
                        for (int k = 0; k < len; k++) row[k] = in.get(F, 4 * (1 + r * len + k));
                        CpuSoftmax.normalizeRow(row, log);
                        for (int k = 0; k < len; k++) {
                            float want = (float) row[k], got = out.get(F, 4 * (3 + r * len + k));
                            String what = "log=" + log + " " + rows + "x" + len + " row " + r + " col " + k;
                            if (Float.isNaN(want) || Float.isInfinite(want) || want == 0 && !log) assertEquals(want, got, what); // exp underflow: exactly 0
                            else assertEquals(want, got, 1e-6 + 4e-6 * Math.abs(want), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void softmaxGivesTheSameBitsWithOneAndTwoThreads() {
        Tensor x = Jt.randn(333, 1001).mul(10);
        int before = Parallel.numThreads();
        try {
            Parallel.setNumThreads(1);
            float[] one = x.softmax(1).toFloatArray(), oneLog = x.logSoftmax(1).toFloatArray();
            Parallel.setNumThreads(2);
            float[] two = x.softmax(1).toFloatArray(), twoLog = x.logSoftmax(1).toFloatArray();
            for (int i = 0; i < one.length; i++) {
                assertEquals(Float.floatToRawIntBits(one[i]), Float.floatToRawIntBits(two[i]), "softmax element " + i);
                assertEquals(Float.floatToRawIntBits(oneLog[i]), Float.floatToRawIntBits(twoLog[i]), "logSoftmax element " + i);
            }
        } finally {
            Parallel.setNumThreads(before);
        }
    }

    // ---------------- sums along a leading dim ----------------

    /**
     * sum(dim=0) of a rows x cols view (row stride {@code stride} >= cols, first element at {@code offset}), C vs
     * the Java loop, bit for bit, float32/float64 in, float32/float64 out, with a mean's scale.
     */
    @Test
    void verticalSumsEqualTheJavaLoopBitForBit() {
        long[][] cases = {{1, 4097, 4097, 1}, {4097, 1, 3, 0}, {7, 1023, 1025, 3}, {1023, 7, 7, 1}, {4096, 3, 3, 0},
                          {5, 2100, 2111, 5}, {(1 << 20) + 3, 1, 2, 1}, {0, 9, 9, 0}, {9, 0, 9, 0}};
        int ran = 0;
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (DType outType : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (long[] c : cases) {
                    long rows = c[0], cols = c[1], stride = c[2], offset = c[3];
                    Layout view = new Layout(new long[] {rows, cols}, new long[] {stride, 1}, offset);
                    ReducePlan plan = ReducePlan.of(view, new boolean[] {true, false});
                    if (plan.innerShape.length != 1 || !plan.outerContiguous()) continue; // merged away: not the vertical case
                    try (Arena arena = Arena.ofShared()) {
                        MemorySegment in = random(arena, t, offset + Math.max(0, rows - 1) * stride + cols, 21);
                        double scale = rows == 0 ? 1 : 1.0 / rows;
                        MemorySegment want = arena.allocate(Math.max(1, cols) * 8 + 8, 64), got = arena.allocate(Math.max(1, cols) * 8 + 8, 64);
                        CpuSum.sumRowsJava(in, t, plan, scale, want, outType);
                        assertTrue(NativeKernels.sumRows(in, t, plan, scale, got, outType), "taken");
                        assertEquals(-1, want.mismatch(got), t + "->" + outType + " " + rows + "x" + cols + " stride " + stride);
                        ran++;
                    }
                }
            }
        }
        assertTrue(ran >= 4 * 5, "vertical cases run: " + ran);
    }

    @Test
    void verticalSumsGiveTheSameBitsWithOneAndTwoThreadsAndMatchTheJavaPath() {
        Tensor x = Jt.randn(4096, 3), y = Jt.randn(4099, 700).mul(1e3f);
        int before = Parallel.numThreads();
        try {
            Parallel.setNumThreads(1);
            float[] one = y.sum(0).toFloatArray();
            Parallel.setNumThreads(2);
            float[] two = y.sum(0).toFloatArray();
            for (int i = 0; i < one.length; i++) assertEquals(Float.floatToRawIntBits(one[i]), Float.floatToRawIntBits(two[i]), "column " + i);
        } finally {
            Parallel.setNumThreads(before);
        }
        float[] xs = x.sum(0).toFloatArray(), data = x.toFloatArray();
        for (int j = 0; j < 3; j++) { // the Java loop's order, written out: four rows in float, then into a double
            double acc = 0;
            for (int r = 0; r < 4096; r += 4) {
                acc += (data[r * 3 + j] + data[(r + 1) * 3 + j]) + (data[(r + 2) * 3 + j] + data[(r + 3) * 3 + j]);
            }
            assertEquals(Float.floatToRawIntBits((float) acc), Float.floatToRawIntBits(xs[j]), "x.sum(0) column " + j);
        }
    }

    /**
     * sum(-1)/mean(-1) of many rows in one C call per line: every output has the bits of that row summed alone
     * (x.select(..).sum(), one run), for contiguous rows, rows with gaps (narrowed), two outer dims, float64, and
     * 1 or 2 threads.
     */
    @Test
    void rowSumsInOneCallEqualEachRowSummedAlone() {
        Tensor[] cases = {Jt.randn(7, 4099).mul(100f), Jt.randn(6, 8198).narrow(1, 0, 4099), Jt.randn(new long[] {5, 2048}, DType.FLOAT64),
                Jt.randn(3, 5, 4099).narrow(1, 1, 3)};
        int before = Parallel.numThreads();
        try {
            for (Tensor x : cases) {
                Tensor rows = x.reshape(-1, x.size(-1)); // a view where the rows allow it, else a copy: the oracle either way
                for (int threads = 1; threads <= 2; threads++) {
                    Parallel.setNumThreads(threads);
                    double[] sums = x.sum(-1).reshape(-1).toDoubleArray(), means = x.mean(-1).reshape(-1).toDoubleArray();
                    for (int r = 0; r < sums.length; r++) {
                        String what = x.dtype() + " " + x.shape() + " row " + r + ", " + threads + " threads";
                        assertEquals(rows.select(0, r).sum().item(), sums[r], 0.0, "sum " + what);
                        assertEquals(rows.select(0, r).mean().item(), means[r], 0.0, "mean " + what);
                    }
                }
            }
        } finally {
            Parallel.setNumThreads(before);
        }
        try (Arena arena = Arena.ofShared()) { // the C range check names the run that would leave the segment
            MemorySegment in = arena.allocate(4L * 4096 * 2, 64), out = arena.allocate(8, 64);
            ReducePlan plan = ReducePlan.of(Layout.contiguous(new long[] {3, 4096}), new boolean[] {false, true});
            var e = assertThrows(IndexOutOfBoundsException.class, () -> NativeKernels.sumRuns(in, DType.FLOAT32, plan, 1, out, DType.FLOAT32, 0, 3));
            assertTrue(e.getMessage().contains("jt_cpu_sum_runs_f32") && e.getMessage().contains("operand x"), e.getMessage());
        }
    }

    @Test
    void verticalSumRangesAreCheckedAndOtherCasesDeclined() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment in = arena.allocate(4 * 100, 64), out = arena.allocate(4 * 100, 64);
            ReducePlan tooFar = ReducePlan.of(new Layout(new long[] {64, 4}, new long[] {4, 1}, 200), new boolean[] {true, false});
            assertThrows(IndexOutOfBoundsException.class, () -> NativeKernels.sumRows(in, DType.FLOAT32, tooFar, 1, out, DType.FLOAT32));
            ReducePlan fine = ReducePlan.of(new Layout(new long[] {64, 4}, new long[] {4, 1}, 0), new boolean[] {true, false});
            assertFalse(NativeKernels.sumRows(in, DType.INT32, fine, 1, out, DType.INT32));
            assertFalse(NativeKernels.sumRows(in, DType.FLOAT32, fine, 1, out, DType.FLOAT16));
            MemorySegment heap = MemorySegment.ofArray(new float[100]);
            assertFalse(NativeKernels.sumRows(heap, DType.FLOAT32, fine, 1, out, DType.FLOAT32));
        }
    }

    // ---------------- optimizer steps: amsgrad, RMSprop, Adagrad ----------------

    /** The state count of a step (as CpuOptimizerSteps reads them). */
    private static int states(OptimizerStep step) {
        return switch (step) {
            case OptimizerStep.Sgd s -> s.momentum() != 0 ? 1 : 0;
            case OptimizerStep.Adam a -> a.amsgrad() ? 3 : 2;
            case OptimizerStep.RMSprop r -> 1 + (r.centered() ? 1 : 0) + (r.momentum() > 0 ? 1 : 0);
            case OptimizerStep.Adagrad a -> 1;
        };
    }

    /**
     * Four steps in a row (state carried over) of every option, C vs the Java loops, bit for bit, float32 and
     * float64, odd sizes from unaligned starts; gradients hold a NaN, infinities and zeros of both signs.
     */
    @Test
    void remainingOptimizerStepsEqualTheJavaLoopsBitForBit() {
        OptimizerStep[] steps = {
            new OptimizerStep.Adam(1e-3, 0.9, 0.999, 1e-8, 0, false, true, false, 1e-3 / 0.1, Math.sqrt(1 - 0.999)),
            new OptimizerStep.Adam(1e-3, 0.9, 0.999, 1e-8, 0.01, true, true, true, 1e-3 / 0.19, Math.sqrt(1 - 0.998)),
            new OptimizerStep.Adam(1e-3, 0.9, 0.95, 1e-6, 0.1, false, true, false, 1e-3 / 0.271, Math.sqrt(1 - 0.857)),
            new OptimizerStep.RMSprop(1e-2, 0.99, 1e-8, 0, 0, false, false),
            new OptimizerStep.RMSprop(1e-2, 0.9, 1e-6, 1e-4, 0, true, false),
            new OptimizerStep.RMSprop(1e-2, 0.99, 1e-8, 0, 0.9, false, true),
            new OptimizerStep.RMSprop(3e-3, 0.95, 1e-8, 1e-2, 0.8, true, true),
            new OptimizerStep.Adagrad(1e-2, 1e-10, 0, false),
            new OptimizerStep.Adagrad(1e-2 / 1.5, 1e-10, 1e-3, true),
        };
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (long n : new long[] {1, 7, 1023, (1 << 18) + 3}) {
                for (OptimizerStep step : steps) {
                    try (Arena arena = Arena.ofShared()) {
                        int k = states(step), es = (int) t.byteSize();
                        MemorySegment p = random(arena, t, n, 6).asSlice(es), g = random(arena, t, n, 7).asSlice(es);
                        if (n > 7) { // specials in the gradient: NaN, +-inf, +-0
                            double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0};
                            for (int i = 0; i < specials.length; i++) set(g, t, 3 + 2L * i, specials[i]);
                        }
                        MemorySegment[] want = new MemorySegment[k], got = new MemorySegment[k];
                        for (int i = 0; i < k; i++) {
                            want[i] = random(arena, t, n, 8 + i).asSlice(es);
                            boolean squares = step instanceof OptimizerStep.Adam ? i >= 1 : i == 0; // v, v_max, square_avg, sum >= 0
                            if (squares) for (long j = 0; j < n; j++) set(want[i], t, j, Math.abs(get(want[i], t, j)));
                            got[i] = copy(arena, want[i]);
                        }
                        MemorySegment pWant = copy(arena, p);
                        for (int s = 0; s < 4; s++) {
                            CpuOptimizerSteps.run(step, t, (int) n, pWant, g, want);
                            assertTrue(NativeSteps.optimizerStep(step, t, n, p, g, got));
                            String what = step + " " + t + " n=" + n + " step " + s;
                            assertSameValues(pWant, p, t, n, what + " param");
                            for (int i = 0; i < k; i++) assertSameValues(want[i], got[i], t, n, what + " state " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void optimizerStepRangesAreChecked() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment big = arena.allocate(4 * 1024, 64), small = arena.allocate(4 * 100, 64);
            var amsgrad = new OptimizerStep.Adam(1e-3, 0.9, 0.999, 1e-8, 0, false, true, false, 1, 1);
            assertThrows(IndexOutOfBoundsException.class, () ->
                    NativeSteps.optimizerStep(amsgrad, DType.FLOAT32, 1024, big, big, new MemorySegment[] {big, big, small}));
            var rms = new OptimizerStep.RMSprop(1e-2, 0.99, 1e-8, 0, 0.9, true, false);
            assertThrows(IndexOutOfBoundsException.class, () ->
                    NativeSteps.optimizerStep(rms, DType.FLOAT32, 1024, big, big, new MemorySegment[] {big, big, small}));
            var adagrad = new OptimizerStep.Adagrad(1e-2, 1e-10, 0, false);
            assertThrows(IndexOutOfBoundsException.class, () ->
                    NativeSteps.optimizerStep(adagrad, DType.FLOAT32, 1024, big, small, new MemorySegment[] {big}));
        }
    }

    @Test
    void rmspropThroughThePublicApiMatchesTheJavaLoop() {
        // the public optimizer on a 3000-element parameter (above the native threshold) against CpuOptimizerSteps directly
        Tensor w = Jt.randn(3000).requiresGrad_(true);
        float[] start = w.toFloatArray();
        var opt = new dev.jtensor.optim.RMSprop(java.util.List.of(w), 1e-2);
        w.mul(w).sum().backward();
        opt.step();
        float[] got = w.toFloatArray();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment p = arena.allocate(4L * 3000, 64), g = arena.allocate(4L * 3000, 64), sq = arena.allocate(4L * 3000, 64);
            for (int i = 0; i < 3000; i++) {
                p.setAtIndex(F, i, start[i]);
                g.setAtIndex(F, i, 2 * start[i]);
            }
            CpuOptimizerSteps.run(new OptimizerStep.RMSprop(1e-2, 0.99, 1e-8, 0, 0, false, false), DType.FLOAT32, 3000, p, g,
                    new MemorySegment[] {sq});
            for (int i = 0; i < 3000; i++) assertEquals(Float.floatToRawIntBits(p.getAtIndex(F, i)), Float.floatToRawIntBits(got[i]), "element " + i);
        }
    }

    /** Bit for bit, except that any NaN equals any NaN: which operand's NaN an operation passes on is unspecified (Java and C alike). */
    private static void assertSameValues(MemorySegment want, MemorySegment got, DType t, long n, String what) {
        for (long i = 0; i < n; i++) {
            double w = get(want, t, i), g = get(got, t, i);
            if (Double.isNaN(w)) assertTrue(Double.isNaN(g), what + " element " + i + ": " + g + ", not NaN");
            else assertEquals(Double.doubleToRawLongBits(w), Double.doubleToRawLongBits(g), what + " element " + i);
        }
    }

    private static void set(MemorySegment s, DType t, long i, double v) {
        if (t == DType.FLOAT32) s.setAtIndex(F, i, (float) v);
        else s.setAtIndex(NativeKernelsTest.D, i, v);
    }

    private static double get(MemorySegment s, DType t, long i) {
        return t == DType.FLOAT32 ? s.getAtIndex(F, i) : s.getAtIndex(NativeKernelsTest.D, i);
    }

    // ---------------- casts: integers <-> floats, float64 <-> float16/bfloat16 ----------------

    private static final DType[] INTS = {DType.BOOL, DType.UINT8, DType.INT8, DType.INT16, DType.INT32, DType.INT64};

    /** Floats around every edge of Java's truncation: NaN, infinities, the int32/int64 limits and their neighbours, halves. */
    private static final double[] EDGES = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 0.5, -0.5,
        0.9999, -0.9999, 2.5, -2.5, 2147483647.0, 2147483647.5, 2147483648.0, -2147483648.0, -2147483648.5, -2147483649.0,
        3e9, -3e9, 0x1p63, -0x1p63, Math.nextDown(0x1p63), Math.nextUp(-0x1p63), 1e20, -1e20, Double.MAX_VALUE,
        Double.MIN_VALUE, 65504.0, 65520.0, 1e-8, -1e300};

    /** The conversion CpuCopy's Java loops make for a contiguous span (the typed loop where there is one, else through double). */
    private static void javaCast(MemorySegment src, DType st, MemorySegment dst, DType dt, long i) {
        if (st == DType.INT64 && dt == DType.FLOAT32) { // the typed loop: one rounding
            dst.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) src.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i));
        } else {
            Elements.setDouble(dst, dt, i * dt.byteSize(), Elements.getDouble(src, st, i * st.byteSize()));
        }
    }

    @Test
    void integerAndHalfCastsMatchTheJavaConversionsBitForBit() {
        SplittableRandom r = new SplittableRandom(9);
        for (long n : new long[] {0, 1, 7, 1023, (1 << 20) + 3}) {
            try (Arena arena = Arena.ofShared()) {
                MemorySegment raw = arena.allocate(8 * (n + 2), 64), f = arena.allocate(4 * (n + 2), 64), d = arena.allocate(8 * (n + 2), 64);
                for (long i = 0; i < 8 * (n + 2); i++) raw.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt()); // every bit pattern
                for (long i = 0; i < n + 2; i++) {
                    double v = i < EDGES.length ? EDGES[(int) i]
                            : i % 3 == 0 ? r.nextDouble(-1e19, 1e19) : i % 3 == 1 ? r.nextDouble(-3e9, 3e9) : r.nextDouble(-300, 300);
                    d.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
                    f.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
                }
                for (long start : new long[] {0, 1}) { // aligned and unaligned starts
                    for (DType st : INTS) for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) check(arena, raw, st, dt, start, n);
                    for (DType dt : new DType[] {DType.INT32, DType.INT64}) {
                        check(arena, f, DType.FLOAT32, dt, start, n);
                        check(arena, d, DType.FLOAT64, dt, start, n);
                    }
                    check(arena, d, DType.FLOAT64, DType.FLOAT16, start, n);
                    check(arena, d, DType.FLOAT64, DType.BFLOAT16, start, n);
                    check(arena, raw, DType.FLOAT16, DType.FLOAT64, start, n);
                    check(arena, raw, DType.BFLOAT16, DType.FLOAT64, start, n);
                }
            }
        }
    }

    private static void check(Arena arena, MemorySegment src, DType st, DType dt, long start, long n) {
        MemorySegment want = arena.allocate(8 * (n + 2), 64), got = arena.allocate(8 * (n + 2), 64);
        MemorySegment from = src.asSlice(start * st.byteSize());
        for (long i = 0; i < n; i++) javaCast(from, st, want, dt, i);
        assertTrue(NativeKernels.cast(src, st, start, got, dt, 0, n), st + "->" + dt + " taken");
        for (long i = 0; i < n; i++) {
            double w = Elements.getDouble(want, dt, i * dt.byteSize()), g = Elements.getDouble(got, dt, i * dt.byteSize());
            String what = st + "->" + dt + " n=" + n + " start " + start + " element " + i;
            if (dt.isFloatingPoint() && Double.isNaN(w)) assertTrue(Double.isNaN(g), what); // a NaN's payload is unspecified
            else assertEquals(-1, want.asSlice(i * dt.byteSize(), dt.byteSize()).mismatch(got.asSlice(i * dt.byteSize(), dt.byteSize())), what + ": " + w + " vs " + g);
        }
    }

    @Test
    void castRangesAreCheckedAndIntegerPairsDeclined() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocate(4 * 100, 64), b = arena.allocate(8 * 50, 64);
            assertThrows(IndexOutOfBoundsException.class, () -> NativeKernels.cast(a, DType.INT32, 1, b, DType.FLOAT64, 0, 100));
            assertThrows(IndexOutOfBoundsException.class, () -> NativeKernels.cast(a, DType.FLOAT32, 0, b, DType.INT64, 1, 50));
            assertFalse(NativeKernels.cast(a, DType.INT32, 0, b, DType.INT64, 0, 10));
            assertFalse(NativeKernels.cast(a, DType.FLOAT32, 0, b, DType.UINT8, 0, 10));
        }
    }

    @Test
    void castsThroughThePublicApiTruncateAsJava() {
        int n = 5003;
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = i < EDGES.length ? EDGES[i] : (i - 2500) * 1.37e6;
        Tensor x = Jt.tensor(values, DType.FLOAT64);
        long[] asLong = x.to(DType.INT64).toLongArray(), asInt = x.to(DType.INT32).toLongArray();
        for (int i = 0; i < n; i++) {
            assertEquals((long) values[i], asLong[i], "int64 " + values[i]);
            assertEquals((int) (long) values[i], asInt[i], "int32 " + values[i]);
        }
        float[] back = Jt.arange(0, n).to(DType.INT32).to(DType.FLOAT32).toFloatArray();
        for (int i = 0; i < n; i++) assertEquals(i, back[i]);
    }

    // ---------------- softmax along a strided dim ----------------

    /** softmax/logSoftmax along dim {@code dim} of a float32 tensor, against the double oracle line by line. */
    private static void assertSoftmaxAlong(Tensor x, int dim) {
        long[] shape = x.shape().toArray();
        float[] data = x.contiguous().toFloatArray();
        long length = shape[dim], after = 1, before = 1;
        for (int i = dim + 1; i < shape.length; i++) after *= shape[i];
        for (int i = 0; i < dim; i++) before *= shape[i];
        for (boolean log : new boolean[] {false, true}) {
            float[] got = (log ? x.logSoftmax(dim) : x.softmax(dim)).toFloatArray();
            double[] line = new double[(int) length];
            for (long b = 0; b < before; b++) {
                for (long c = 0; c < after; c++) {
                    long first = b * length * after + c;
                    for (int k = 0; k < length; k++) line[k] = data[(int) (first + k * after)];
                    CpuSoftmax.normalizeRow(line, log);
                    for (int k = 0; k < length; k++) {
                        float want = (float) line[k], g = got[(int) (first + k * after)];
                        String what = "dim " + dim + " log=" + log + " line (" + b + ", " + c + ") element " + k;
                        if (Float.isNaN(want) || Float.isInfinite(want) || want == 0 && !log) assertEquals(want, g, what);
                        else assertEquals(want, g, 1e-6 + 4e-6 * Math.abs(want), what);
                    }
                }
            }
        }
    }

    @Test
    void softmaxAlongALeadingDimAgreesWithTheDoubleOracle() {
        Jt.manualSeed(3);
        assertSoftmaxAlong(Jt.randn(1000, 1000).mul(10), 0);
        assertSoftmaxAlong(Jt.randn(7, 1023).mul(30), 0);
        assertSoftmaxAlong(Jt.randn(4097, 3).mul(30), 0);
        assertSoftmaxAlong(Jt.randn(1, 4097).mul(30), 0); // lines of one element
        assertSoftmaxAlong(Jt.randn(3, 1023, 5).mul(30), 1);
        assertSoftmaxAlong(Jt.randn(5, 3, 300).mul(30), 0);
        assertSoftmaxAlong(Jt.randn(300, 9, 2).mul(30), 1);
        // special values: a column with NaN (both signs), one with +inf, one all -inf, one with a huge value
        float[] v = Jt.randn(33, 40).mul(60).toFloatArray();
        v[5 * 40 + 1] = Float.NaN;
        v[7 * 40 + 2] = Float.intBitsToFloat(0xffc00000);
        v[32 * 40 + 3] = Float.POSITIVE_INFINITY;
        for (int r = 0; r < 33; r++) v[r * 40 + 4] = Float.NEGATIVE_INFINITY;
        for (int r = 0; r < 33; r += 2) v[r * 40 + 5] = Float.NEGATIVE_INFINITY;
        v[9 * 40 + 6] = 1e30f;
        assertSoftmaxAlong(Jt.tensor(v).reshape(33, 40), 0);
        // a transposed view: its columns are not contiguous, the Java loop runs (and must agree as well)
        assertSoftmaxAlong(Jt.randn(600, 500).t(), 0);
    }

    @Test
    void softmaxAlongALeadingDimGivesTheSameBitsWithOneAndTwoThreads() {
        Tensor x = Jt.randn(1001, 333).mul(10);
        int before = Parallel.numThreads();
        try {
            Parallel.setNumThreads(1);
            float[] one = x.softmax(0).toFloatArray();
            Parallel.setNumThreads(2);
            float[] two = x.softmax(0).toFloatArray();
            for (int i = 0; i < one.length; i++) assertEquals(Float.floatToRawIntBits(one[i]), Float.floatToRawIntBits(two[i]), "element " + i);
        } finally {
            Parallel.setNumThreads(before);
        }
    }

    @Test
    void softmaxColumnRangesAreChecked() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment in = arena.allocate(4 * 100, 64), out = arena.allocate(4 * 1000, 64);
            ReducePlan.AlongDim a = ReducePlan.alongDim(new Layout(new long[] {30, 10}, new long[] {10, 1}, 0), 0);
            assertThrows(IndexOutOfBoundsException.class, () ->
                    NativeKernels.softmaxColumns(false, in, a.plan(), a.length(), a.after(), 10, out));
            MemorySegment fits = arena.allocate(4 * 300, 64);
            assertTrue(NativeKernels.softmaxColumns(false, fits, a.plan(), a.length(), a.after(), 10, out)); // taken
            for (int c = 0; c < 10; c++) assertEquals(1f / 30, out.getAtIndex(F, 10 * 7 + c), 1e-7f, "zeros: uniform");
        }
    }
}
