package dev.jtensor.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * The peers of {@link ElementwiseBench} on the same work (16M float32 add): DJL on PyTorch's native
 * library (offline, from the pytorch-native-cpu jar) and ND4J (nd4j-native). Each peer has its own
 * state, so one that cannot start fails only its own benchmarks. Thread counts: both use all cores.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g", "-Dai.djl.offline=true",
        "-Dai.djl.default_engine=PyTorch"})
public class ElementwisePeersBench {
    static final int N = ElementwiseBench.N;

    @State(Scope.Benchmark)
    public static class Djl {
        NDManager manager;
        NDArray a, b;

        @Setup(Level.Trial)
        public void setup() {
            manager = NDManager.newBaseManager("PyTorch");
            a = manager.randomUniform(0, 1, new Shape(N));
            b = manager.randomUniform(0, 1, new Shape(N));
        }

        @TearDown(Level.Trial)
        public void close() { manager.close(); }
    }

    @State(Scope.Benchmark)
    public static class Nd4jState {
        INDArray a, b, out;

        @Setup(Level.Trial)
        public void setup() {
            a = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, N);
            b = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, N);
            out = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, N);
        }
    }

    @Benchmark
    public NDArray djlAddInPlace(Djl s) { return s.a.addi(s.b); }

    @Benchmark
    public void djlAddAllocating(Djl s) { s.a.add(s.b).close(); }

    @Benchmark
    public INDArray nd4jAddInPlace(Nd4jState s) { return s.a.addi(s.b); }

    @Benchmark
    public INDArray nd4jAddOut(Nd4jState s) { return s.a.addi(s.b, s.out); }

    @Benchmark
    public void nd4jAddAllocating(Nd4jState s) { s.a.add(s.b).close(); }
}
