package dev.jtensor.bench;

import static dev.jtensor.Jt.*;

import dev.jtensor.Scope;
import dev.jtensor.Tensor;
import dev.jtensor.models.ResNet;
import dev.jtensor.nn.Conv2d;
import dev.jtensor.nn.F;
import dev.jtensor.optim.SGD;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 22's CPU rows: a 3x3 convolution 64->64 (padding 1) on {@code [batch, 64, 56, 56]} (FLOP per image:
 * 2 * 64 * 64 * 9 * 56 * 56 = 231 MFLOP), ResNet-18 forward on 224x224 in eval
 * mode (1.8 GMAC per image) at batch 1 (latency) and 32 (throughput), and one ResNet-18 training step at batch 32
 * (SGD). Run by the lead on a quiet machine, with the classpath {@code bench/round3-bench.sh} builds, e.g.
 * {@code env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE java --enable-native-access=ALL-UNNAMED -cp
 * "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main 'CnnBench.resnet18(Batch1|TrainStep32)'
 * -p threads=2 -f 1 -wi 3 -w 2s -i 5 -r 2s}; GFLOP/s = FLOP above / measured time. DJL's rows of the same model:
 * {@link DjlCnnBench} (after {@code /usr/bin/python3 bench/make_resnet_trace.py}); PyTorch's:
 * {@code bench/torch_round2_bench.py}; a one-off run with the training step's native-memory peak: {@link ResNetStepMain}.
 */
@org.openjdk.jmh.annotations.State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Xmx8g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class CnnBench {
    @Param({"2"})
    int threads;

    Conv2d conv;
    Tensor convInput1, convInput32;
    ResNet resnet;
    Tensor image1, images32;
    Tensor labels32;
    SGD sgd;

    @Setup
    public void setup() {
        setNumThreads(threads);
        manualSeed(0);
        conv = new Conv2d(64, 64, 3, 1, 1, 1, 1, false, "zeros");
        convInput1 = randn(1, 64, 56, 56);
        convInput32 = randn(32, 64, 56, 56);
        resnet = ResNet.resnet18();
        image1 = randn(1, 3, 224, 224);
        images32 = randn(32, 3, 224, 224);
        labels32 = randint(0, 1000, 32);
        sgd = new SGD(resnet.parameters(), 0.01).momentum(0.9);
    }

    /** 3x3 conv 64->64 on 56x56, batch 1 (231 MFLOP). */
    @Benchmark
    public double conv3x3Batch1() {
        try (var g = noGrad(); Scope s = scope()) {
            return conv.forward(convInput1).sum().item();
        }
    }

    /** 3x3 conv 64->64 on 56x56, batch 32 (7.4 GFLOP). */
    @Benchmark
    public double conv3x3Batch32() {
        try (var g = noGrad(); Scope s = scope()) {
            return conv.forward(convInput32).sum().item();
        }
    }

    /** ResNet-18 eval forward, one 224x224 image (3.6 GFLOP). */
    @Benchmark
    public double resnet18Batch1() {
        resnet.eval();
        try (var g = noGrad(); Scope s = scope()) {
            return resnet.forward(image1).sum().item();
        }
    }

    /** ResNet-18 eval forward, 32 images. */
    @Benchmark
    public double resnet18Batch32() {
        resnet.eval();
        try (var g = noGrad(); Scope s = scope()) {
            return resnet.forward(images32).sum().item();
        }
    }

    /** One ResNet-18 training step at batch 32: forward (batch statistics), cross entropy, backward, SGD. */
    @Benchmark
    public double resnet18TrainStep32() {
        resnet.train();
        try (Scope s = scope()) {
            sgd.zeroGrad();
            Tensor loss = F.crossEntropy(resnet.forward(images32), labels32);
            loss.backward();
            sgd.step();
            return loss.item();
        }
    }
}
