package dev.jtensor.bench;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.backend.cpu.Blas;
import dev.jtensor.backend.cpu.Blas.Transpose;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Matrix products through jtensor against cblas_sgemm called directly ({@code Blas.sgemm}) on the very
 * same buffers: the tensors wrap the segments the direct calls use, so any gap is jtensor's own cost
 * (planning, allocation of the result, hidden copies). GFLOPS = 2 m n k / time.
 *
 * Benchmarks are named {@code <case>_blas} / {@code <case>_jtensor} so that JMH (alphabetical) runs each
 * pair back to back, which keeps the ratio meaningful on a busy machine.
 *
 * <p>Run: {@code flock /tmp/jtensor-bench.lock ./jt bench MatmulBench -f 1 -wi 3 -w 1s -i 5 -r 1s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MatmulBench {
    static final int N = 1024, BATCH = 64, BN = 128, TINY = 4;

    Arena arena;
    MemorySegment a, b, c, ba, bb, bc;
    Tensor ta, tb, tc, tba, tbb, tinyA, tinyB;
    MemorySegment tinySa, tinySb, tinySc;

    /** OpenBLAS threads: 2 uses both cores of this machine; 1 is steadier when other processes compete for them. */
    @Param({"2", "1"})
    public int threads;

    @Setup(Level.Trial)
    public void setup() {
        Blas.setNumThreads(threads);
        arena = Arena.ofShared();
        a = random(arena, (long) N * N, 1);
        b = random(arena, (long) N * N, 2);
        c = arena.allocate(4L * N * N, 64);
        ta = Tensor.wrap(a, DType.FLOAT32, N, N);
        tb = Tensor.wrap(b, DType.FLOAT32, N, N);
        tc = Tensor.wrap(c, DType.FLOAT32, N, N);
        ba = random(arena, (long) BATCH * BN * BN, 3);
        bb = random(arena, (long) BATCH * BN * BN, 4);
        bc = arena.allocate(4L * BATCH * BN * BN, 64);
        tba = Tensor.wrap(ba, DType.FLOAT32, BATCH, BN, BN);
        tbb = Tensor.wrap(bb, DType.FLOAT32, BATCH, BN, BN);
        tinyA = Jt.rand(TINY, TINY); // 64 bytes: heap-backed storage, as every tiny tensor
        tinyB = Jt.rand(TINY, TINY);
        tinySa = MemorySegment.ofArray(new float[TINY * TINY]);
        tinySb = MemorySegment.ofArray(new float[TINY * TINY]);
        tinySc = MemorySegment.ofArray(new float[TINY * TINY]);
    }

    @TearDown(Level.Trial)
    public void tearDown() { arena.close(); }

    static MemorySegment random(Arena arena, long n, long seed) {
        MemorySegment s = arena.allocate(4 * n, 64);
        Random r = new Random(seed);
        for (long i = 0; i < n; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, r.nextFloat() - 0.5f);
        return s;
    }

    // ---- 1024 x 1024 x 1024 ----

    @Benchmark
    public MemorySegment mm1024_blas() {
        Blas.sgemm(Transpose.NO, Transpose.NO, N, N, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, N);
        return c;
    }

    /** {@code a.matmul(b)}: allocates the 4 MiB result (pooled) and closes it, as a scoped caller would. */
    @Benchmark
    public double mm1024_jtensor() {
        try (Tensor r = ta.matmul(tb)) {
            return r.storageOffset();
        }
    }

    /** {@code matmul(a, b, out)} into the buffer sgemmDirect writes. */
    @Benchmark
    public Tensor mm1024_jtensorOut() { return Jt.matmul(ta, tb, tc); }

    @Benchmark
    public MemorySegment mm1024T_blas() {
        Blas.sgemm(Transpose.YES, Transpose.NO, N, N, N, 1f, a, 0, N, b, 0, N, 0f, c, 0, N);
        return c;
    }

    /** {@code a.t().matmul(b)}: the transpose reaches BLAS as a flag (no copy). */
    @Benchmark
    public double mm1024T_jtensor() {
        try (Tensor r = ta.t().matmul(tb)) {
            return r.storageOffset();
        }
    }

    // ---- batched 64 x 128 x 128 x 128 ----

    @Benchmark
    public MemorySegment bmm64x128_blas() {
        long step = (long) BN * BN;
        for (int i = 0; i < BATCH; i++) {
            Blas.sgemm(Transpose.NO, Transpose.NO, BN, BN, BN, 1f, ba, i * step, BN, bb, i * step, BN, 0f, bc, i * step, BN);
        }
        return bc;
    }

    @Benchmark
    public double bmm64x128_jtensor() {
        try (Tensor r = tba.bmm(tbb)) {
            return r.storageOffset();
        }
    }

    // ---- tiny 4 x 4 (latency) ----

    @Benchmark
    public MemorySegment tiny4x4_blas() {
        Blas.sgemm(Transpose.NO, Transpose.NO, TINY, TINY, TINY, 1f, tinySa, 0, TINY, tinySb, 0, TINY, 0f, tinySc, 0, TINY);
        return tinySc;
    }

    @Benchmark
    public Tensor tiny4x4_jtensor() { return tinyA.matmul(tinyB); }
}
