package dev.jtensor.bench;

import static dev.jtensor.Jt.*;

import dev.jtensor.Scope;
import dev.jtensor.Tensor;
import dev.jtensor.backend.cpu.NativeMemory;
import dev.jtensor.models.ResNet;
import dev.jtensor.nn.F;
import dev.jtensor.optim.SGD;
import java.util.Arrays;

/**
 * One quick, single run of issue 22's ResNet-18 rows outside JMH, for a first look (JMH's {@link CnnBench} gives the
 * figures to report): eval forward at 224x224 batch 1 (median of 10 after 3 warm-ups) and batch 32 (median of 2 after
 * 1), and one training step at batch 32 (SGD, momentum 0.9) with the native-memory high-water mark
 * ({@link NativeMemory#peakLiveBytes}: bytes held from libc, live tensors plus the allocator's pool) over that step.
 * <pre>
 * env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
 *     -cp engine/target/classes:bench/target/classes:$OPENBLAS_JAR dev.jtensor.bench.ResNetStepMain [threads] [batch]
 * </pre>
 */
public final class ResNetStepMain {
    private ResNetStepMain() {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        setNumThreads(threads);
        manualSeed(0);
        ResNet model = ResNet.resnet18();
        Tensor one = randn(1, 3, 224, 224), many = randn(batch, 3, 224, 224), labels = randint(0, 1000, batch);
        model.eval();
        System.out.printf("threads %d; resnet18 eval batch 1: %.2f ms (median of 10)%n", threads, median(3, 10, () -> forward(model, one)));
        System.out.printf("resnet18 eval batch %d: %.1f ms (median of 2)%n", batch, median(1, 2, () -> forward(model, many)));
        model.train();
        SGD sgd = new SGD(model.parameters(), 0.01).momentum(0.9);
        step(model, sgd, many, labels); // first step: optimizer state, pools
        System.gc();
        long before = NativeMemory.liveBytes();
        NativeMemory.resetPeakLiveBytes();
        long t0 = System.nanoTime();
        double loss = step(model, sgd, many, labels);
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf("resnet18 train step batch %d: %.0f ms, loss %.4f; native bytes before %d MiB, peak %d MiB (limit %d MiB)%n", batch, ms,
                loss, before >> 20, NativeMemory.peakLiveBytes() >> 20, NativeMemory.limitBytes() >> 20);
    }

    private static void forward(ResNet model, Tensor x) {
        try (var g = noGrad(); Scope s = scope()) {
            model.forward(x).sum().item();
        }
    }

    private static double step(ResNet model, SGD sgd, Tensor x, Tensor y) {
        try (Scope s = scope()) {
            sgd.zeroGrad();
            Tensor loss = F.crossEntropy(model.forward(x), y);
            loss.backward();
            sgd.step();
            return loss.item();
        }
    }

    private static double median(int warm, int reps, Runnable r) {
        for (int i = 0; i < warm; i++) r.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }
}
