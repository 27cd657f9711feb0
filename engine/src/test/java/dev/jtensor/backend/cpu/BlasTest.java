package dev.jtensor.backend.cpu;

import dev.jtensor.backend.cpu.Blas.Transpose;
import dev.jtensor.backend.nativelib.NativeLibraries;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlasTest {
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /** Kinds of memory a tensor's storage may hand to Blas. */
    enum Memory {
        /** MemorySegment.ofArray(float[] / double[]) */ HEAP_TYPED,
        /** MemorySegment.ofArray(long[]), as Storage does for small blocks */ HEAP_LONGS,
        /** MemorySegment.ofArray(byte[]): only 1-byte aligned, so Blas copies it */ HEAP_BYTES,
        /** Arena-allocated */ NATIVE;

        MemorySegment floats(float[] data, Arena arena) {
            MemorySegment s = allocate(4L * data.length, arena, true);
            MemorySegment.copy(data, 0, s, F, 0, data.length);
            return s;
        }

        MemorySegment doubles(double[] data, Arena arena) {
            MemorySegment s = allocate(8L * data.length, arena, false);
            MemorySegment.copy(data, 0, s, D, 0, data.length);
            return s;
        }

        private MemorySegment allocate(long bytes, Arena arena, boolean isFloat) {
            return switch (this) {
                case HEAP_TYPED -> isFloat ? MemorySegment.ofArray(new float[(int) bytes / 4])
                        : MemorySegment.ofArray(new double[(int) bytes / 8]);
                case HEAP_LONGS -> MemorySegment.ofArray(new long[(int) (bytes + 7) / 8]).asSlice(0, bytes);
                case HEAP_BYTES -> MemorySegment.ofArray(new byte[(int) bytes]);
                case NATIVE -> arena.allocate(bytes, 64);
            };
        }
    }

    // ---------------------------------------------------------------- the library and the bindings

    @Test
    void infoReportsOpenBlas0328WithARunTimeCoreName() {
        BlasInfo info = Blas.info();
        assertTrue(Files.isRegularFile(info.library()), info.toString());
        assertTrue(info.config().contains("0.3.28"), info.config());
        assertFalse(info.coreName().isBlank(), info.toString());
        assertTrue(info.numThreads() >= 1, info.toString());
        assertEquals("pthreads", info.threading());
        assertEquals(NativeLibraries.BUNDLED_OPENBLAS_SOURCE, info.source());
        assertTrue(info.toString().contains("kernels " + info.coreName()), info.toString());
    }

    @Test
    void everyGeneratedSymbolResolvesToANonNullAddress() throws Exception {
        Blas.info(); // loads the library
        Class<?> header = Class.forName("dev.jtensor.bindings.openblas.cblas_h");
        List<String> resolved = new ArrayList<>();
        for (Method m : header.getMethods()) {
            if (!m.getName().endsWith("$address") || m.getParameterCount() != 0 || !Modifier.isStatic(m.getModifiers())) continue;
            MemorySegment address = (MemorySegment) m.invoke(null);
            assertNotEquals(0L, address.address(), m.getName());
            resolved.add(m.getName().substring(0, m.getName().length() - "$address".length()));
        }
        Set<String> listed = includedFunctions();
        assertEquals(listed, new TreeSet<>(resolved), "bindings/symbols/cblas.txt and the generated functions agree");
        assertTrue(listed.containsAll(List.of("cblas_sgemm", "cblas_dgemm", "cblas_somatcopy", "openblas_get_corename")));
        assertFalse(listed.contains("cblas_sgemm_batch"), "gemm_batch crashes on small matrices in this build");
    }

    private static Set<String> includedFunctions() throws IOException {
        Path list = Path.of("..", "bindings", "symbols", "cblas.txt");
        try (Stream<String> lines = Files.lines(list)) {
            return lines.map(String::strip).filter(l -> l.startsWith("--include-function "))
                    .map(l -> l.substring("--include-function ".length()).strip()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void threadCountRoundTrips() {
        int before = Blas.numThreads();
        try {
            Blas.setNumThreads(1);
            assertEquals(1, Blas.numThreads());
            assertEquals(1, Blas.info().numThreads());
            var e = assertThrows(IllegalArgumentException.class, () -> Blas.setNumThreads(0));
            assertTrue(e.getMessage().contains("threads = 0"), e.getMessage());
        } finally {
            Blas.setNumThreads(before);
        }
        assertEquals(before, Blas.numThreads());
    }

    // ---------------------------------------------------------------- level 3 against a triple loop

    static Stream<Arguments> gemmCases() {
        List<Arguments> cases = new ArrayList<>();
        int[][] sizes = {{5, 7, 3}, {67, 71, 73}}; // critical path; ordinary path (with heap copies)
        for (Memory memory : Memory.values()) {
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) {
                    for (int[] s : sizes) cases.add(Arguments.of(memory, ta, tb, s[0], s[1], s[2]));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} m={3} n={4} k={5}")
    @MethodSource("gemmCases")
    void sgemmMatchesTripleLoopOnSubMatrices(Memory memory, Transpose ta, Transpose tb, int m, int n, int k) {
        Gemm g = new Gemm(ta, tb, m, n, k, 42);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = memory.floats(g.aF(), arena), b = memory.floats(g.bF(), arena), c = memory.floats(g.cF(), arena);
            Blas.sgemm(ta, tb, m, n, k, 1.5f, a, g.aOff, g.lda, b, g.bOff, g.ldb, 0.5f, c, g.cOff, g.ldc);
            double[] expected = g.expected(1.5, 0.5);
            float[] actual = c.toArray(F);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), "C element " + i + " (padding must stay)");
            }
            assertArrayEquals(g.aF(), a.toArray(F), "a is not modified");
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} m={3} n={4} k={5}")
    @MethodSource("gemmCases")
    void dgemmMatchesTripleLoopOnSubMatrices(Memory memory, Transpose ta, Transpose tb, int m, int n, int k) {
        Gemm g = new Gemm(ta, tb, m, n, k, 7);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = memory.doubles(g.a, arena), b = memory.doubles(g.b, arena), c = memory.doubles(g.c, arena);
            Blas.dgemm(ta, tb, m, n, k, -0.75, a, g.aOff, g.lda, b, g.bOff, g.ldb, 2.0, c, g.cOff, g.ldc);
            assertArrayEquals(g.expected(-0.75, 2.0), c.toArray(D), 1e-12);
        }
    }

    /** Operands with offsets and padded leading dimensions; the expected C comes from a plain loop. */
    static final class Gemm {
        final Transpose ta, tb;
        final int m, n, k, aOff = 2, bOff = 5, cOff = 1;
        final int lda, ldb, ldc;
        final double[] a, b, c;

        Gemm(Transpose ta, Transpose tb, int m, int n, int k, long seed) {
            this.ta = ta; this.tb = tb; this.m = m; this.n = n; this.k = k;
            lda = (ta == Transpose.NO ? k : m) + 3;
            ldb = (tb == Transpose.NO ? n : k) + 1;
            ldc = n + 2;
            Random r = new Random(seed);
            a = random(r, aOff + (ta == Transpose.NO ? m : k) * lda);
            b = random(r, bOff + (tb == Transpose.NO ? k : n) * ldb);
            c = random(r, cOff + m * ldc + 4);
        }

        double opA(int i, int p) { return ta == Transpose.NO ? a[aOff + i * lda + p] : a[aOff + p * lda + i]; }
        double opB(int p, int j) { return tb == Transpose.NO ? b[bOff + p * ldb + j] : b[bOff + j * ldb + p]; }

        double[] expected(double alpha, double beta) {
            double[] out = c.clone();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) sum += opA(i, p) * opB(p, j);
                    out[cOff + i * ldc + j] = alpha * sum + beta * c[cOff + i * ldc + j];
                }
            }
            return out;
        }

        float[] aF() { return toFloats(a); }
        float[] bF() { return toFloats(b); }
        float[] cF() { return toFloats(c); }
    }

    @Test
    void gemmWithEmptyInnerDimensionScalesCAndBetaZeroOverwritesNaN() {
        float[] c = {1, 2, 3, 4};
        MemorySegment cs = MemorySegment.ofArray(c), empty = MemorySegment.ofArray(new float[0]);
        Blas.sgemm(Transpose.NO, Transpose.NO, 2, 2, 0, 1f, empty, 0, 1, empty, 0, 2, 3f, cs, 0, 2);
        assertArrayEquals(new float[] {3, 6, 9, 12}, c);

        double[] d = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        MemorySegment ones = MemorySegment.ofArray(new double[] {1, 1, 1, 1});
        Blas.dgemm(Transpose.NO, Transpose.NO, 2, 2, 2, 1, ones, 0, 2, ones, 0, 2, 0, MemorySegment.ofArray(d), 0, 2);
        assertArrayEquals(new double[] {2, 2, 2, 2}, d);
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void omatcopyTransposesAndScales(Memory memory) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = memory.floats(new float[] {1, 2, 3, 4, 5, 6, -1}, arena); // 2 x 3, lda 3, 1 spare
            MemorySegment b = memory.floats(new float[8], arena);
            Blas.somatcopy(Transpose.YES, 2, 3, 2f, a, 0, 3, b, 1, 2);
            assertArrayEquals(new float[] {0, 2, 8, 4, 10, 6, 12, 0}, b.toArray(F));
            MemorySegment d = memory.doubles(new double[] {1, 2, 3, 4}, arena);
            MemorySegment e = memory.doubles(new double[4], arena);
            Blas.domatcopy(Transpose.NO, 2, 2, -1, d, 0, 2, e, 0, 2);
            assertArrayEquals(new double[] {-1, -2, -3, -4}, e.toArray(D));
        }
    }

    static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    static double[] random(Random r, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = (float) (r.nextDouble() * 2 - 1); // exactly representable in float
        return d;
    }

    @Test
    void concurrentCallsFromSeveralThreadsAreCorrect() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Memory memory = Memory.values()[t];
                done.add(pool.submit(() -> {
                    for (int rep = 0; rep < 20; rep++) sgemmMatchesTripleLoopOnSubMatrices(memory, Transpose.NO, Transpose.YES, 48, 40, 150);
                }));
            }
            for (Future<?> f : done) f.get();
        }
    }
}
