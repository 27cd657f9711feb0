package dev.jtensor.bench;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.backend.cpu.Parallel;
import dev.jtensor.internal.Tensors;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
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
 * Contiguous float32 add/mul on 16M elements (64 MiB per operand: in this machine's 260 MiB L3, so the
 * figures are cache bandwidth, not DRAM) three ways: in place ({@code a.add_(b)}), into an {@code out}
 * ({@code add(a, b, out)}), allocating ({@code a.add(b)} then close). The baseline is a plain Java
 * {@link MemorySegment} loop doing the same work on the same intra-op pool ({@link Parallel}); the issue's
 * target is jtensor >= 0.9x of it. Also broadcast add (1000x1000 + 1000) against the same-size contiguous
 * add. Peers (DJL/libtorch, ND4J) run the same rows in {@code dev.jtensor.bench.peers} (bench/issue12-table.sh).
 *
 * <p>Bytes moved per op: in place and out read 2 and write 1 float (12 bytes/element, 201 MB per op);
 * GB/s = 0.201 / (ms/op) (see bench/results/elementwise.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class ElementwiseBench {
    static final int N = 16 * 1024 * 1024;
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    Tensor a, b, one, out, m, row, full, mOut;
    MemorySegment sa, sb, so;

    @Setup(Level.Trial)
    public void setup() {
        a = Jt.rand(N);
        b = Jt.rand(N);
        one = Jt.ones(N); // repeated in-place products by rand values would sink into slow subnormals
        out = Jt.zeros(N);
        sa = Tensors.storage(a).segment();
        sb = Tensors.storage(b).segment();
        so = Tensors.storage(out).segment();
        m = Jt.rand(1000, 1000);
        row = Jt.rand(1000);
        full = Jt.rand(1000, 1000);
        mOut = Jt.zeros(1000, 1000);
    }

    @TearDown(Level.Iteration)
    public void resetValues() {
        try (var g = Jt.noGrad()) {
            a.copy_(b); // keep in-place benchmarks' values bounded
        }
    }

    // ---------------- baseline: a plain MemorySegment loop on the same pool ----------------

    @Benchmark
    public void baselineAddInPlace() {
        MemorySegment x = sa, y = sb;
        Parallel.forRange(N, 1 << 15, (from, to) -> {
            for (long i = from; i < to; i++) x.set(F, 4 * i, x.get(F, 4 * i) + y.get(F, 4 * i));
        });
    }

    @Benchmark
    public void baselineAddOut() {
        MemorySegment x = sa, y = sb, z = so;
        Parallel.forRange(N, 1 << 15, (from, to) -> {
            for (long i = from; i < to; i++) z.set(F, 4 * i, x.get(F, 4 * i) + y.get(F, 4 * i));
        });
    }

    @Benchmark
    public void baselineMulOut() {
        MemorySegment x = sa, y = sb, z = so;
        Parallel.forRange(N, 1 << 15, (from, to) -> {
            for (long i = from; i < to; i++) z.set(F, 4 * i, x.get(F, 4 * i) * y.get(F, 4 * i));
        });
    }

    // ---------------- jtensor ----------------

    @Benchmark
    public Tensor addInPlace() { return a.add_(b); }

    @Benchmark
    public Tensor addOut() { return Jt.add(a, b, out); }

    @Benchmark
    public void addAllocating() { a.add(b).close(); }

    @Benchmark
    public Tensor mulInPlace() { return a.mul_(one); }

    @Benchmark
    public Tensor mulOut() { return Jt.mul(a, b, out); }

    @Benchmark
    public void mulAllocating() { a.mul(b).close(); }

    // ---------------- broadcast vs contiguous, 1000x1000 ----------------

    @Benchmark
    public Tensor broadcastAddOut() { return Jt.add(m, row, mOut); }

    @Benchmark
    public Tensor contiguousAddOut() { return Jt.add(m, full, mOut); }

    @Benchmark
    public void broadcastAddAllocating() { m.add(row).close(); }
}
