package dev.jtensor.bench;

import static dev.jtensor.Jt.inferenceMode;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.nn.Flatten;
import dev.jtensor.nn.MaxPool2d;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import java.util.SplittableRandom;
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
 * Issue 24 item 1 on a convolutional model: requests/s of a shared eval CNN (conv 1->16 3x3, ReLU, max pool 2,
 * conv 16->32 3x3, ReLU, max pool 2, flatten, linear 1568->10; batch 8 of 1x28x28), a {@code float[]} in and the
 * logits out, as {@link ServiceThroughputBench} does for the MLP: jtensor (one shared {@link Sequential},
 * {@code inferenceMode()}) and DJL 0.32 / libtorch 2.5.1 (one shared model, one {@link Predictor} per thread),
 * the same weights, default thread settings. {@code bench/service-throughput.sh} runs it at 1 to 64 threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g", "-Dai.djl.offline=true",
        "-Dai.djl.default_engine=PyTorch"})
public class ServiceCnnThroughputBench {
    static final int BATCH = 8, SIDE = 28, C1 = 16, C2 = 32, OUT = 10;
    static final Shape INPUT = new Shape(BATCH, 1, SIDE, SIDE);

    /** The shared models, with the same weights. */
    @State(Scope.Benchmark)
    public static class Models {
        Sequential jtensor;
        Model djl;

        @Setup(Level.Trial)
        public void setup() {
            Jt.manualSeed(0);
            var conv1 = new dev.jtensor.nn.Conv2d(1, C1, 3, 1, 1);
            var conv2 = new dev.jtensor.nn.Conv2d(C1, C2, 3, 1, 1);
            var fc = new dev.jtensor.nn.Linear((long) C2 * 7 * 7, OUT);
            jtensor = new Sequential(conv1, new ReLU(), new MaxPool2d(2), conv2, new ReLU(), new MaxPool2d(2), new Flatten(), fc);
            jtensor.eval();

            Conv2d d1 = conv(C1), d2 = conv(C2);
            Linear dfc = Linear.builder().setUnits(OUT).build();
            djl = Model.newInstance("cnn", "PyTorch");
            djl.setBlock(new SequentialBlock().add(d1).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(d2).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(Blocks.batchFlattenBlock()).add(dfc));
            djl.getBlock().initialize(djl.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, INPUT);
            copy(d1, conv1.weight(), conv1.bias());
            copy(d2, conv2.weight(), conv2.bias());
            copy(dfc, fc.weight(), fc.bias());
            checkSame();
        }

        private static Conv2d conv(int filters) {
            return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters).build();
        }

        private static void copy(ai.djl.nn.Block block, Tensor weight, Tensor bias) {
            block.getParameters().get("weight").getArray().set(weight.toFloatArray());
            block.getParameters().get("bias").getArray().set(bias.toFloatArray());
        }

        private void checkSame() {
            float[] x = input(1);
            float[] a = jtensorForward(x), b;
            try (Predictor<float[], float[]> p = djl.newPredictor(new Logits())) {
                b = p.predict(x);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < a.length; i++) {
                if (Math.abs(a[i] - b[i]) > 1e-3) throw new IllegalStateException("logit " + i + " differs: jtensor " + a[i] + ", DJL " + b[i]);
            }
        }

        float[] jtensorForward(float[] x) {
            try (var g = inferenceMode(); var scope = Jt.scope()) {
                Tensor in = Jt.tensor(x).view(BATCH, 1, SIDE, SIDE);
                return jtensor.forward(in).toFloatArray();
            }
        }

        @TearDown(Level.Trial)
        public void close() { djl.close(); }
    }

    /** DJL's float[] -> logits translator (input made in the predictor's per-call manager, closed after). */
    static final class Logits implements NoBatchifyTranslator<float[], float[]> {
        @Override
        public NDList processInput(TranslatorContext ctx, float[] input) {
            return new NDList(ctx.getNDManager().create(input, INPUT));
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            return list.singletonOrThrow().toFloatArray();
        }
    }

    static float[] input(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[BATCH * SIDE * SIDE];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        return x;
    }

    /** Each platform thread's own input and DJL predictor. */
    @State(Scope.Thread)
    public static class PerThread {
        float[] x;
        Predictor<float[], float[]> predictor;

        @Setup(Level.Trial)
        public void setup(Models m) {
            x = input(Thread.currentThread().threadId());
            predictor = m.djl.newPredictor(new Logits());
        }

        @TearDown(Level.Trial)
        public void close() { predictor.close(); }
    }

    @Benchmark
    public float[] jtensorCnnRequest(Models m, PerThread t) { return m.jtensorForward(t.x); }

    @Benchmark
    public float[] djlCnnRequest(Models m, PerThread t) throws Exception { return t.predictor.predict(t.x); }
}
