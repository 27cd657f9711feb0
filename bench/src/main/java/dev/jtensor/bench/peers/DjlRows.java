package dev.jtensor.bench.peers;

import static dev.jtensor.bench.peers.Workloads.BATCH;
import static dev.jtensor.bench.peers.Workloads.CLASSES;
import static dev.jtensor.bench.peers.Workloads.HIDDEN;
import static dev.jtensor.bench.peers.Workloads.IN;
import static dev.jtensor.bench.peers.Workloads.MATMUL;
import static dev.jtensor.bench.peers.Workloads.SOFTMAX;
import static dev.jtensor.bench.peers.Workloads.SQUARE;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * DJL's column of issue 12's side-by-side table: the rows of {@link JtensorRows} on DJL 0.32's PyTorch
 * engine (libtorch 2.5.1 from the pytorch-native-cpu jar, offline), libtorch's default thread count
 * (every core). Inputs are the same {@link Workloads} arrays, results checked against {@link Expected} in
 * each {@code @Setup}. Every state owns an {@link NDManager}, closed at the end; results are closed as
 * they are made, and each MLP step runs in a sub-manager closed after the step, as DJL's users release them.
 *
 * <p>No {@code add16MOut}: DJL's {@link NDArray} has no destination argument ({@code add} allocates,
 * {@code addi} overwrites {@code a}; {@code NDArrays.add} allocates too), so a DJL user writes the
 * allocating add, measured as {@code add16MAllocating}. A stand-in such as {@code a.copyTo(out); out.addi(b)}
 * would time DJL's copy, not its add: {@code copyTo} is {@code out.set(a.toByteBuffer())}, a round trip
 * through a Java buffer (125 ms for 16M floats in a smoke run). The MLP step is DJL's training API:
 * {@link SequentialBlock} of {@link Linear} blocks and ReLU, softmax cross entropy ({@link Loss}),
 * {@link Optimizer#sgd()} at a fixed rate, a {@link Trainer} and its {@link GradientCollector}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g", "-Dai.djl.offline=true",
        "-Dai.djl.default_engine=PyTorch"})
public class DjlRows {

    /** The 16M float32 operands (flat rows), checked: {@code a + b} exactly, the sum of {@code a}. */
    @State(Scope.Benchmark)
    public static class Flat {
        NDManager manager;
        NDArray a, b;

        @Setup(Level.Trial)
        public void setup() {
            manager = NDManager.newBaseManager("PyTorch");
            printThreads();
            float[] x = Workloads.flatA(), y = Workloads.flatB();
            a = manager.create(x);
            b = manager.create(y);
            try (NDArray sum = a.add(b)) {
                Expected.same("DJL add", Expected.add(x, y), sum.toFloatArray());
            }
            try (NDArray s = a.sum()) {
                Expected.sum("DJL sum", x, s.getFloat());
            }
        }

        @TearDown(Level.Trial)
        public void close() { manager.close(); }
    }

    /** The 4096 x 4096 matrix of the sums along a dim. */
    @State(Scope.Benchmark)
    public static class Square {
        NDManager manager;
        NDArray m;

        @Setup(Level.Trial)
        public void setup() {
            manager = NDManager.newBaseManager("PyTorch");
            printThreads();
            float[] x = Workloads.square();
            m = manager.create(x, new Shape(SQUARE, SQUARE));
            Expected.sumAlong("DJL sum(0)", x, SQUARE, 0, m.sum(new int[] {0}).toFloatArray());
            Expected.sumAlong("DJL sum(1)", x, SQUARE, 1, m.sum(new int[] {1}).toFloatArray());
        }

        @TearDown(Level.Trial)
        public void close() { manager.close(); }
    }

    /** The small rows' inputs: 2x2 operands, softmax logits, matmul operands, the creation source. */
    @State(Scope.Benchmark)
    public static class Small {
        NDManager manager;
        NDArray tinyA, tinyB, logits, x, y;
        float[] source;

        @Setup(Level.Trial)
        public void setup() {
            manager = NDManager.newBaseManager("PyTorch");
            printThreads();
            tinyA = manager.create(Workloads.TINY_A, new Shape(2, 2));
            tinyB = manager.create(Workloads.TINY_B, new Shape(2, 2));
            float[] l = Workloads.logits(), p = Workloads.matmulLeft(), q = Workloads.matmulRight();
            logits = manager.create(l, new Shape(SOFTMAX, SOFTMAX));
            x = manager.create(p, new Shape(MATMUL, MATMUL));
            y = manager.create(q, new Shape(MATMUL, MATMUL));
            source = Workloads.source();
            Expected.same("DJL 2x2 add", Expected.add(Workloads.TINY_A, Workloads.TINY_B), tinyA.add(tinyB).toFloatArray());
            Expected.softmax("DJL softmax", l, SOFTMAX, logits.softmax(1).toFloatArray());
            Expected.matmul("DJL matmul", p, q, MATMUL, x.matMul(y).toFloatArray());
            Expected.same("DJL create(float[])", source, manager.create(source).toFloatArray());
        }

        @TearDown(Level.Trial)
        public void close() { manager.close(); }
    }

    /** The MLP as a DJL user trains it, from {@link Workloads.Mlp}'s parameters. */
    @State(Scope.Benchmark)
    public static class Mlp {
        Model model;
        Trainer trainer;
        NDArray data, labels;

        @Setup(Level.Trial)
        public void setup() {
            printThreads();
            Expected.mlpLosses("DJL MLP", build(), step(), step());
        }

        /** The model, trainer and batch from {@link Workloads.Mlp}'s parameters (also ColdStart's); returns them. */
        Workloads.Mlp build() {
            Workloads.Mlp init = Workloads.Mlp.create();
            Linear first = Linear.builder().setUnits(HIDDEN).build(), second = Linear.builder().setUnits(CLASSES).build();
            model = Model.newInstance("mlp", "PyTorch");
            model.setBlock(new SequentialBlock().add(first).add(Activation.reluBlock()).add(second));
            trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(Workloads.LR)).build()));
            trainer.initialize(new Shape(BATCH, IN));
            first.getParameters().get("weight").getArray().set(init.w1());
            first.getParameters().get("bias").getArray().set(init.b1());
            second.getParameters().get("weight").getArray().set(init.w2());
            second.getParameters().get("bias").getArray().set(init.b2());
            NDManager manager = trainer.getManager();
            data = manager.create(init.data(), new Shape(BATCH, IN));
            labels = manager.create(init.labels()); // int64, as the loss picks by index
            return init;
        }

        /** Forward, softmax cross entropy, backward, SGD update; the loss before the update. */
        float step() {
            try (NDManager step = trainer.getManager().newSubManager()) {
                data.tempAttach(step);
                labels.tempAttach(step);
                float loss;
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDList predictions = trainer.forward(new NDList(data));
                    NDArray value = trainer.getLoss().evaluate(new NDList(labels), predictions);
                    collector.backward(value);
                    loss = value.getFloat();
                }
                trainer.step();
                return loss;
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            trainer.close();
            model.close();
        }
    }

    @Benchmark
    public void tinyAdd(Small s, Blackhole bh) {
        try (NDArray r = s.tinyA.add(s.tinyB)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public NDArray add16MInPlace(Flat s) { return s.a.addi(s.b); }

    @Benchmark
    public void add16MAllocating(Flat s, Blackhole bh) {
        try (NDArray r = s.a.add(s.b)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public float sum16M(Flat s) {
        try (NDArray r = s.a.sum()) {
            return r.getFloat();
        }
    }

    @Benchmark
    public void sumDim0(Square s, Blackhole bh) {
        try (NDArray r = s.m.sum(new int[] {0})) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void sumDim1(Square s, Blackhole bh) {
        try (NDArray r = s.m.sum(new int[] {1})) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void softmax1000(Small s, Blackhole bh) {
        try (NDArray r = s.logits.softmax(1)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void matmul1024(Small s, Blackhole bh) {
        try (NDArray r = s.x.matMul(s.y)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void create4M(Small s, Blackhole bh) {
        try (NDArray r = s.manager.create(s.source)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public float mlpStep(Mlp s) { return s.step(); }

    /** Into the JMH log: the threads this fork's rows run on (after the engine is loaded). */
    static void printThreads() {
        System.out.println("libtorch threads: intra-op " + JniUtils.getNumThreads() + ", inter-op " + JniUtils.getNumInteropThreads());
    }
}
