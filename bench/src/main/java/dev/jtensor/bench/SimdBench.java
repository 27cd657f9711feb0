package dev.jtensor.bench;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.backend.cpu.Parallel;
import dev.jtensor.backend.cpu.simd.Simd;
import dev.jtensor.backend.cpu.simd.SimdFloatLoops;
import dev.jtensor.backend.cpu.simd.SimdSum;
import dev.jtensor.internal.Tensors;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Vector API paths of {@code backend.cpu.simd} against their scalar twins, in one JMH run: methods
 * named {@code *Scalar} fork a JVM with {@code -Djtensor.simd=false}, the others with SIMD on (both with
 * {@code --add-modules jdk.incubator.vector}). Sum of 16M float32, softmax of 1000x1000 along dim 1,
 * contiguous 16M float32 add/mul in place and into an out (engine = C2's auto-vectorised loop, against
 * {@link SimdFloatLoops} on the same pool), and the physical baseline: a plain read loop over the 16M
 * floats on every core (8 scalar lanes per thread, and the 64-lane vector block loop). GB/s: sum 0.067 / (ms/op); add 0.201 / (ms/op).
 * The softmax result is closed each call (its 4 MB would otherwise wait for the GC's cleaner).
 * Run: {@code flock /tmp/jtensor-bench.lock ./jt bench SimdBench -f 1 -wi 3 -w 1s -i 5 -r 1s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class SimdBench {
    static final int N = 16 * 1024 * 1024;
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    Tensor flat, logits, a, b, out;
    MemorySegment sa, sb, so;

    @Setup(Level.Trial)
    public void setup() {
        Jt.manualSeed(0);
        flat = Jt.rand(N);
        logits = Jt.randn(1000, 1000);
        a = Jt.rand(N);
        b = Jt.rand(N);
        out = Jt.zeros(N);
        sa = Tensors.storage(a).segment();
        sb = Tensors.storage(b).segment();
        so = Tensors.storage(out).segment();
        System.out.println("\nSimd.ENABLED = " + Simd.ENABLED);
    }

    @TearDown(Level.Iteration)
    public void resetValues() {
        try (var g = Jt.noGrad()) {
            a.copy_(b); // keep in-place values bounded
        }
    }

    @Benchmark
    public double sum16M() { return flat.sum().item(); }

    @Benchmark
    @Fork(jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Xmx4g", "-Djtensor.simd=false"})
    public double sum16MScalar() { return flat.sum().item(); }

    @Benchmark
    public void softmax1000() { logits.softmax(1).close(); }

    @Benchmark
    @Fork(jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Xmx4g", "-Djtensor.simd=false"})
    public void softmax1000Scalar() { logits.softmax(1).close(); }

    /** Physical limit of the sum: the plain 8-lane read loop of ReduceBench, one slice per thread. */
    @Benchmark
    public double readLoopAllCores() {
        MemorySegment x = sa;
        DoubleAdder total = new DoubleAdder();
        Parallel.forRange(N, N / Parallel.numThreads(), (from, to) -> {
            float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
            for (long i = from; i + 8 <= to; i += 8) {
                long q = 4 * i;
                a0 += x.get(F, q);
                a1 += x.get(F, q + 4);
                a2 += x.get(F, q + 8);
                a3 += x.get(F, q + 12);
                a4 += x.get(F, q + 16);
                a5 += x.get(F, q + 20);
                a6 += x.get(F, q + 24);
                a7 += x.get(F, q + 28);
            }
            total.add(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
        });
        return total.sum();
    }

    /** The same read with the Vector API block loop (64 float lanes), no task bookkeeping: the vector read limit. */
    @Benchmark
    public double readLoopVectorAllCores() {
        MemorySegment x = sa;
        DoubleAdder total = new DoubleAdder();
        Parallel.forRange(N, N / Parallel.numThreads(), (from, to) -> {
            double s = 0;
            for (long i = from; i < to; i += 4096) s += SimdSum.blockF32(x, 4 * i, (int) Math.min(4096, to - i));
            total.add(s);
        });
        return total.sum();
    }

    @Benchmark
    public Tensor addInPlaceEngine() { return a.add_(b); }

    @Benchmark
    public Tensor addOutEngine() { return Jt.add(a, b, out); }

    @Benchmark
    public Tensor mulOutEngine() { return Jt.mul(a, b, out); }

    @Benchmark
    public void addInPlaceVector() {
        MemorySegment x = sa, y = sb;
        Parallel.forRange(N, 1 << 15, (from, to) -> SimdFloatLoops.add(x, 4 * from, x, 4 * from, y, 4 * from, (int) (to - from), 1f));
    }

    @Benchmark
    public void addOutVector() {
        MemorySegment x = sa, y = sb, z = so;
        Parallel.forRange(N, 1 << 15, (from, to) -> SimdFloatLoops.add(z, 4 * from, x, 4 * from, y, 4 * from, (int) (to - from), 1f));
    }

    @Benchmark
    public void mulOutVector() {
        MemorySegment x = sa, y = sb, z = so;
        Parallel.forRange(N, 1 << 15, (from, to) -> SimdFloatLoops.mul(z, 4 * from, x, 4 * from, y, 4 * from, (int) (to - from)));
    }
}
