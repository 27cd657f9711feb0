package dev.jtensor.bench;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-op overhead: 2x2 float32 ops allocating their result (heap-backed tensors, Storage.HEAP_MAX_BYTES).
 * Target: under 1 us, aim under NumPy's 0.4 us. Run with {@code -prof gc} for bytes allocated per op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED"})
public class TinyOpBench {
    Tensor a, b, out, row, mask;
    float[] fa = {1, 2, 3, 4}, fb = {5, 6, 7, 8};

    @Setup
    public void setup() {
        a = Jt.tensor(new float[][] {{1, 2}, {3, 4}});
        b = Jt.tensor(new float[][] {{5, 6}, {7, 8}});
        out = Jt.zeros(2, 2);
        row = Jt.tensor(new float[] {10, 20});
        mask = Jt.tensor(new boolean[][] {{true, false}, {false, true}});
    }

    @Benchmark
    public Tensor add2x2() { return a.add(b); }

    @Benchmark
    public Tensor mul2x2() { return a.mul(b); }

    @Benchmark
    public Tensor addScalar2x2() { return a.add(1.0); }

    @Benchmark
    public Tensor exp2x2() { return a.exp(); }

    @Benchmark
    public Tensor add2x2Out() { return Jt.add(a, b, out); }

    /** A broadcast add: the planned path of the binary verb (operands with layouts, the walk planned by the backend). */
    @Benchmark
    public Tensor addRow2x2() { return a.add(row); }

    /** The where verb: four operands, planned by the backend. */
    @Benchmark
    public Tensor where2x2() { return Jt.where(mask, a, b); }

    /** Java floor: a new float[4] holding the sums. */
    @Benchmark
    public float[] javaArrayAdd2x2() {
        float[] r = new float[4];
        for (int i = 0; i < 4; i++) r[i] = fa[i] + fb[i];
        return r;
    }
}
