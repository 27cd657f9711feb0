package dev.jtensor.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
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
 * The peers of {@link ReduceBench}'s {@code sum16M} and {@code softmax1000} (issue 12): DJL on PyTorch's
 * native library (offline, from the pytorch-native-cpu jar) and ND4J (nd4j-native), same sizes, same
 * results read back to Java (a sum's scalar; a softmax's new array, closed). Both use all cores.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g", "-Dai.djl.offline=true",
        "-Dai.djl.default_engine=PyTorch"})
public class ReducePeersBench {
    static final int N = ReduceBench.N;

    @State(Scope.Benchmark)
    public static class Djl {
        NDManager manager;
        NDArray flat, logits;

        @Setup(Level.Trial)
        public void setup() {
            manager = NDManager.newBaseManager("PyTorch");
            flat = manager.randomUniform(0, 1, new Shape(N));
            logits = manager.randomNormal(new Shape(1000, 1000));
        }

        @TearDown(Level.Trial)
        public void close() { manager.close(); }
    }

    @State(Scope.Benchmark)
    public static class Nd4jState {
        INDArray flat, logits;

        @Setup(Level.Trial)
        public void setup() {
            flat = Nd4j.rand(DataType.FLOAT, N);
            logits = Nd4j.randn(DataType.FLOAT, 1000, 1000);
        }
    }

    @Benchmark
    public float djlSum16M(Djl s) {
        try (NDArray r = s.flat.sum()) {
            return r.getFloat();
        }
    }

    @Benchmark
    public void djlSoftmax1000(Djl s) { s.logits.softmax(1).close(); }

    @Benchmark
    public double nd4jSum16M(Nd4jState s) { return s.flat.sumNumber().doubleValue(); }

    @Benchmark
    public void nd4jSoftmax1000(Nd4jState s) { Transforms.softmax(s.logits, true).close(); }
}
