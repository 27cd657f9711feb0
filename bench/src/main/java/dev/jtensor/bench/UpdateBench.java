package dev.jtensor.bench;

import dev.jtensor.backend.cpu.Blas;
import dev.jtensor.backend.cpu.CpuUpdate;
import dev.jtensor.backend.cpu.simd.Simd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The plain SGD step {@code p += -lr * g} over float32: jtensor's fused loop ({@code CpuUpdate.axpy}, bit
 * for bit the same on every CPU) against OpenBLAS {@code saxpy} (what it replaced; rounding varies by
 * kernel) on the same memory. {@code n} = 203,530 is the MLP 784-256-10's parameter count, 16M a large
 * model. Methods named {@code *Default} fork without {@code jdk.incubator.vector} (the scalar
 * {@code Math.fma} loop a service gets with default flags), the others with it (the Vector API twin).
 * Run: {@code env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ./jt bench UpdateBench -f 1 -wi 3 -w 1s -i 5 -r 1s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class UpdateBench {
    @Param({"203530", "16777216"})
    public int n;

    Arena arena;
    MemorySegment p, g;

    @Setup
    public void setup() {
        arena = Arena.ofShared();
        p = arena.allocate(4L * n, 64);
        g = arena.allocate(4L * n, 64);
        for (int i = 0; i < n; i++) {
            p.setAtIndex(ValueLayout.JAVA_FLOAT, i, (i % 97) * 0.01f);
            g.setAtIndex(ValueLayout.JAVA_FLOAT, i, (i % 89) * 1e-3f);
        }
        System.out.println("\nSimd.ENABLED = " + Simd.ENABLED);
    }

    @TearDown
    public void tearDown() { arena.close(); }

    /** alpha alternates sign so the parameters do not drift over millions of calls. */
    private float alpha = 1e-3f;

    private float nextAlpha() { return alpha = -alpha; }

    @Benchmark
    public void fusedLoop() { CpuUpdate.axpy(nextAlpha(), g, p, n); }

    @Benchmark
    public void blasSaxpy() { Blas.saxpy(n, nextAlpha(), g, 0, 1, p, 0, 1); }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
    public void fusedLoopDefault() { CpuUpdate.axpy(nextAlpha(), g, p, n); }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
    public void blasSaxpyDefault() { Blas.saxpy(n, nextAlpha(), g, 0, 1, p, 0, 1); }
}
