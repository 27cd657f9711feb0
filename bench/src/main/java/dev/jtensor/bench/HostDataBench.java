package dev.jtensor.bench;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
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

/**
 * Host bytes through the one door (issue 21, {@code internal.HostData}): tensors from Java arrays, the
 * {@code toXxxArray()} copies and {@code item()}, tiny and large. Compare a commit before the door with one
 * after in the same run: no path may get slower (none gained a copy; {@code toFloatArray} of float32 lost one).
 * Run: {@code java -jar bench/target/benchmarks.jar HostDataBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED"})
public class HostDataBench {
    @Param({"4", "1048576"})
    int n;

    float[] floats;
    Tensor f32, f32Strided, scalar;

    @Setup
    public void setup() {
        floats = new float[n];
        for (int i = 0; i < n; i++) floats[i] = i;
        f32 = Jt.tensor(floats);
        f32Strided = Jt.tensor(floats).view(2, n / 2).t();
        scalar = Jt.tensor(3.5).to(DType.FLOAT64);
    }

    @Benchmark
    public Tensor tensorFromFloatArray() { return Jt.tensor(floats); }

    @Benchmark
    public Tensor tensorFromFloatArrayAsDouble() { return Jt.tensor(floats, DType.FLOAT64); }

    @Benchmark
    public float[] toFloatArray() { return f32.toFloatArray(); }

    @Benchmark
    public double[] toDoubleArray() { return f32.toDoubleArray(); }

    @Benchmark
    public float[] toFloatArrayStrided() { return f32Strided.toFloatArray(); }

    @Benchmark
    public double item() { return scalar.item(); }
}
