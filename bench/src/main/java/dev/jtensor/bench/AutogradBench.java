package dev.jtensor.bench;

import static dev.jtensor.Jt.*;

import dev.jtensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Autograd overhead on scalars: {@code y = (x * w + b).sum(); y.backward()} (three recorded ops, one
 * backward walk, two leaf accumulations). PyTorch's figure: bench/torch_bench.py.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AutogradBench {
    Tensor x, w, b;

    @Setup
    public void setup() {
        x = tensor(3.0);
        w = tensor(4.0, true);
        b = tensor(5.0, true);
    }

    @Benchmark
    public Tensor scalarForwardBackward() {
        Tensor y = x.mul(w).add(b).sum();
        y.backward();
        return w.grad();
    }
}
