package dev.jtensor.bench;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
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
 * float16/bfloat16 matrix products on the CPU (issue 26): jtensor's blockwise kernel ({@code a.mm(b)} on half
 * tensors: 256x256 panels converted to float32 around sgemm inside the kernel) against the float32-copy path
 * the op layer used before (both operands converted whole to float32, sgemm, the result rounded back), and
 * the float32 product of the same size as the ceiling. GFLOPS = 2 n^3 / time. Every result is closed at once,
 * so the pool serves both paths alike.
 *
 * <p>Names are {@code <case>_blockwise} / {@code <case>_f32copies} so that JMH runs each pair back to back.
 * <p>Run: {@code flock /tmp/jtensor-bench.lock ./jt bench HalfMatmulBench -f 1 -wi 3 -w 1s -i 5 -r 1s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HalfMatmulBench {
    @Param({"256", "1024", "2048"})
    public int n;

    @Param({"BFLOAT16", "FLOAT16"})
    public String dtype;

    Tensor a, b, a32, b32;

    @Setup(Level.Trial)
    public void setup() {
        DType t = DType.valueOf(dtype);
        Generator g = new Generator(26);
        a32 = Jt.randn(new long[] {n, n}, DType.FLOAT32, g);
        b32 = Jt.randn(new long[] {n, n}, DType.FLOAT32, g);
        a = a32.to(t);
        b = b32.to(t);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Tensor x : new Tensor[] {a, b, a32, b32}) x.close();
    }

    @Benchmark
    public double mm_blockwise() {
        try (Tensor c = a.mm(b)) {
            return c.numel();
        }
    }

    @Benchmark
    public double mm_f32copies() {
        try (Tensor fa = a.to(DType.FLOAT32); Tensor fb = b.to(DType.FLOAT32); Tensor fc = fa.mm(fb); Tensor c = fc.to(a.dtype())) {
            return c.numel();
        }
    }

    @Benchmark
    public double mm_float32Ceiling() {
        try (Tensor c = a32.mm(b32)) {
            return c.numel();
        }
    }
}
