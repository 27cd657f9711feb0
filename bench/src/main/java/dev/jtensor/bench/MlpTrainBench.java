package dev.jtensor.bench;

import static dev.jtensor.Jt.*;

import dev.jtensor.Tensor;
import dev.jtensor.nn.CrossEntropyLoss;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import dev.jtensor.optim.SGD;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of an MLP 784-256-10 (ReLU) on a batch of 256 float32 rows: forward, cross
 * entropy, backward, SGD update; one thread unless {@code -p threads=2} (intra-op pool and OpenBLAS).
 * PyTorch's figure: bench/torch_bench.py (TORCH_THREADS for more threads).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Djtensor.threads=1"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MlpTrainBench {
    @Param({"1"})
    int threads;

    Sequential model;
    SGD optimizer;
    CrossEntropyLoss lossFn;
    Tensor data, labels;

    @Setup
    public void setup() {
        setNumThreads(threads);
        manualSeed(0);
        model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
        optimizer = new SGD(model.parameters(), 0.01);
        lossFn = new CrossEntropyLoss();
        data = randn(256, 784);
        labels = randint(0, 10, 256);
    }

    @Benchmark
    public double trainStep() {
        optimizer.zeroGrad();
        Tensor loss = lossFn.forward(model.forward(data), labels);
        loss.backward();
        optimizer.step();
        return loss.item();
    }
}
