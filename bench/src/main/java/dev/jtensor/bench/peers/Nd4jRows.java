package dev.jtensor.bench.peers;

import static dev.jtensor.bench.peers.Workloads.BATCH;
import static dev.jtensor.bench.peers.Workloads.CLASSES;
import static dev.jtensor.bench.peers.Workloads.HIDDEN;
import static dev.jtensor.bench.peers.Workloads.IN;
import static dev.jtensor.bench.peers.Workloads.MATMUL;
import static dev.jtensor.bench.peers.Workloads.SOFTMAX;
import static dev.jtensor.bench.peers.Workloads.SQUARE;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.autodiff.listeners.records.History;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * ND4J's column of issue 12's side-by-side table: the rows of {@link JtensorRows} on ND4J 1.0.0-M2.1
 * (nd4j-native, its bundled OpenBLAS), ND4J's default thread count (every core). Inputs are the same
 * {@link Workloads} arrays, results checked against {@link Expected} in each {@code @Setup}. Results are
 * closed as they are made ({@link INDArray#close()} frees the native buffer at once; otherwise ND4J frees
 * it when the garbage collector finds the array unreachable).
 *
 * <p>The MLP step is SameDiff (nd4j-api), ND4J's own autodiff: placeholders for the batch, variables for
 * the parameters (stored {@code [in, out]}: SameDiff layers multiply {@code x @ w}), ReLU, softmax cross
 * entropy on one-hot labels (ND4J's loss takes those), the {@link Sgd} updater, one {@code fit} per step.
 * Unlike the other libraries' steps, {@code fit} never computes the loss's value (it runs the loss's
 * gradient op only; asking for the value through a listener's required variables has no effect in this
 * version), so the check in {@code @Setup} reads the losses by inference passes around one {@code fit},
 * and the timed step does a 256x10 log-softmax less than the others (negligible beside its matrix products;
 * it also computes the gradient of the input batch, which the others skip).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class Nd4jRows {

    /** The 16M float32 operands (flat rows), checked: {@code a + b} exactly, the sum of {@code a}. */
    @State(Scope.Benchmark)
    public static class Flat {
        INDArray a, b, out;

        @Setup(Level.Trial)
        public void setup() {
            printThreads();
            float[] x = Workloads.flatA(), y = Workloads.flatB();
            a = Nd4j.createFromArray(x);
            b = Nd4j.createFromArray(y);
            out = Nd4j.zeros(DataType.FLOAT, x.length);
            Expected.same("ND4J add", Expected.add(x, y), floats(a.add(b, out)));
            Expected.sum("ND4J sum", x, a.sumNumber().doubleValue());
        }
    }

    /** The 4096 x 4096 matrix of the sums along a dim. */
    @State(Scope.Benchmark)
    public static class Square {
        INDArray m;

        @Setup(Level.Trial)
        public void setup() {
            printThreads();
            float[] x = Workloads.square();
            m = Nd4j.create(x, SQUARE, SQUARE);
            Expected.sumAlong("ND4J sum(0)", x, SQUARE, 0, floats(m.sum(0)));
            Expected.sumAlong("ND4J sum(1)", x, SQUARE, 1, floats(m.sum(1)));
        }
    }

    /** The small rows' inputs: 2x2 operands, softmax logits, matmul operands, the creation source. */
    @State(Scope.Benchmark)
    public static class Small {
        INDArray tinyA, tinyB, logits, x, y;
        float[] source;

        @Setup(Level.Trial)
        public void setup() {
            printThreads();
            tinyA = Nd4j.create(Workloads.TINY_A, 2, 2);
            tinyB = Nd4j.create(Workloads.TINY_B, 2, 2);
            float[] l = Workloads.logits(), p = Workloads.matmulLeft(), q = Workloads.matmulRight();
            logits = Nd4j.create(l, SOFTMAX, SOFTMAX);
            x = Nd4j.create(p, MATMUL, MATMUL);
            y = Nd4j.create(q, MATMUL, MATMUL);
            source = Workloads.source();
            Expected.same("ND4J 2x2 add", Expected.add(Workloads.TINY_A, Workloads.TINY_B), floats(tinyA.add(tinyB)));
            Expected.softmax("ND4J softmax", l, SOFTMAX, floats(Transforms.softmax(logits, true)));
            Expected.matmul("ND4J matmul", p, q, MATMUL, floats(x.mmul(y)));
            Expected.same("ND4J createFromArray(float[])", source, floats(Nd4j.createFromArray(source)));
        }
    }

    /** The MLP as a SameDiff graph, from {@link Workloads.Mlp}'s parameters. */
    @State(Scope.Benchmark)
    public static class Mlp {
        SameDiff graph;
        DataSet batch;

        @Setup(Level.Trial)
        public void setup() {
            printThreads();
            Workloads.Mlp init = Workloads.Mlp.create();
            graph = SameDiff.create();
            SDVariable input = graph.placeHolder("input", DataType.FLOAT, -1, IN);
            SDVariable label = graph.placeHolder("label", DataType.FLOAT, -1, CLASSES);
            SDVariable w1 = graph.var("w1", Nd4j.create(Workloads.transpose(init.w1(), HIDDEN, IN), IN, HIDDEN));
            SDVariable b1 = graph.var("b1", Nd4j.create(init.b1(), 1, HIDDEN));
            SDVariable w2 = graph.var("w2", Nd4j.create(Workloads.transpose(init.w2(), CLASSES, HIDDEN), HIDDEN, CLASSES));
            SDVariable b2 = graph.var("b2", Nd4j.create(init.b2(), 1, CLASSES));
            SDVariable hidden = graph.nn.relu(input.mmul(w1).add(b1), 0);
            SDVariable logits = hidden.mmul(w2).add(b2);
            graph.loss.softmaxCrossEntropy("loss", label, logits, null);
            graph.setLossVariables("loss");
            graph.setTrainingConfig(TrainingConfig.builder().updater(new Sgd(Workloads.LR))
                    .dataSetFeatureMapping("input").dataSetLabelMapping("label").build());
            batch = new DataSet(Nd4j.create(init.data(), BATCH, IN), Nd4j.create(init.oneHot(), BATCH, CLASSES));
            double first = loss();
            graph.fit(batch);
            Expected.mlpLosses("ND4J MLP", init, first, loss());
        }

        /** The loss at the current parameters, by an inference pass (for the check only). */
        private double loss() {
            return graph.outputSingle(Map.of("input", batch.getFeatures(), "label", batch.getLabels()), "loss").getDouble(0);
        }
    }

    @Benchmark
    public void tinyAdd(Small s, Blackhole bh) {
        try (INDArray r = s.tinyA.add(s.tinyB)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public INDArray add16MInPlace(Flat s) { return s.a.addi(s.b); }

    @Benchmark
    public INDArray add16MOut(Flat s) { return s.a.add(s.b, s.out); }

    @Benchmark
    public void add16MAllocating(Flat s, Blackhole bh) {
        try (INDArray r = s.a.add(s.b)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public double sum16M(Flat s) { return s.a.sumNumber().doubleValue(); }

    @Benchmark
    public void sumDim0(Square s, Blackhole bh) {
        try (INDArray r = s.m.sum(0)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void sumDim1(Square s, Blackhole bh) {
        try (INDArray r = s.m.sum(1)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void softmax1000(Small s, Blackhole bh) {
        try (INDArray r = Transforms.softmax(s.logits, true)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void matmul1024(Small s, Blackhole bh) {
        try (INDArray r = s.x.mmul(s.y)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void create4M(Small s, Blackhole bh) {
        try (INDArray r = Nd4j.createFromArray(s.source)) {
            bh.consume(r);
        }
    }

    /** One {@code fit} of the batch: forward, gradient of the loss, backward, SGD update (class comment). */
    @Benchmark
    public History mlpStep(Mlp s) { return s.graph.fit(s.batch); }

    /** The elements, row-major, as a Java array. */
    private static float[] floats(INDArray x) { return x.dup('c').data().asFloat(); }

    /** Into the JMH log: the threads this fork's rows run on. */
    static void printThreads() { System.out.println("ND4J max threads: " + Nd4j.getEnvironment().maxThreads()); }
}
