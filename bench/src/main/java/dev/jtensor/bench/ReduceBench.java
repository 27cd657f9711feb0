package dev.jtensor.bench;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reductions: sum of 16M float32 (contiguous), sum along dim 0 and dim 1 of 4096x4096, softmax of
 * 1000x1000 along dim 1 (and along dim 0); and the physical-limit baselines: plain MemorySegment read loops summing the
 * same 16M floats, on one thread and on every core (8 float lanes per thread, as the sum kernel).
 * Run: {@code flock /tmp/jtensor-bench.lock ./jt bench ReduceBench -f 1 -wi 3 -w 1s -i 5 -r 1s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ReduceBench {
    static final int N = 16 * 1024 * 1024;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    Tensor flat, square, logits;
    Arena arena;
    MemorySegment raw;

    @Setup(Level.Trial)
    public void setup() {
        Jt.manualSeed(0);
        flat = Jt.rand(N);
        square = Jt.rand(4096, 4096);
        logits = Jt.randn(1000, 1000);
        arena = Arena.ofShared();
        raw = arena.allocate((long) N * 4, 64);
        for (long i = 0; i < N; i++) raw.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (i % 7));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        flat.close();
        square.close();
        logits.close();
        arena.close();
    }

    @Benchmark
    public double sum16M() { return flat.sum().item(); }

    @Benchmark
    public Tensor sumDim0() { return square.sum(0); }

    @Benchmark
    public Tensor sumDim1() { return square.sum(1); }

    @Benchmark
    public Tensor softmax1000() { return logits.softmax(1); }

    /** softmax1000 with its output closed at once, as the DJL twin closes its NDArray (the block is recycled, not left to the GC). */
    @Benchmark
    public void softmax1000Closed(Blackhole bh) {
        Tensor y = logits.softmax(1);
        bh.consume(y);
        y.close();
    }

    /** Softmax along the leading dim (strided lines: jt_cpu_softmax_cols_f32). */
    @Benchmark
    public Tensor softmaxDim0_1000() { return logits.softmax(0); }

    /** The baseline: one thread reading the 16M floats with 8 independent float accumulators. */
    @Benchmark
    public double segmentLoopOneThread() { return lanes(raw, 0, N); }

    /** The baseline on every core: the same loop over one slice per thread. */
    @Benchmark
    public double segmentLoopAllCores() {
        int threads = Jt.getNumThreads();
        long per = N / threads;
        return IntStream.range(0, threads).parallel()
                .mapToDouble(t -> lanes(raw, t * per, t == threads - 1 ? N : (t + 1) * per)).sum();
    }

    private static double lanes(MemorySegment s, long from, long to) {
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        long i = from;
        for (; i + 8 <= to; i += 8) {
            long q = i * 4;
            a0 += s.get(F32, q);
            a1 += s.get(F32, q + 4);
            a2 += s.get(F32, q + 8);
            a3 += s.get(F32, q + 12);
            a4 += s.get(F32, q + 16);
            a5 += s.get(F32, q + 20);
            a6 += s.get(F32, q + 24);
            a7 += s.get(F32, q + 28);
        }
        for (; i < to; i++) a0 += s.get(F32, i * 4);
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }
}
