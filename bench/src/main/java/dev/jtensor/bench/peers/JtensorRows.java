package dev.jtensor.bench.peers;

import static dev.jtensor.bench.peers.Workloads.CLASSES;
import static dev.jtensor.bench.peers.Workloads.HIDDEN;
import static dev.jtensor.bench.peers.Workloads.IN;
import static dev.jtensor.bench.peers.Workloads.MATMUL;
import static dev.jtensor.bench.peers.Workloads.SOFTMAX;
import static dev.jtensor.bench.peers.Workloads.SQUARE;

import dev.jtensor.Jt;
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
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * jtensor's column of issue 12's side-by-side table: every {@link Workloads} row, with the JVM flags a
 * service would run (no {@code jdk.incubator.vector}: the C kernels or the scalar Java loops), on the
 * intra-op pool's default thread count (every core). {@link DjlRows} and {@link Nd4jRows} have the same
 * methods; {@code bench/issue12-table.sh} runs the three classes and prints the table. Results are
 * closed with try-with-resources, as jtensor's users release them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class JtensorRows {

    /** The 16M float32 operands (flat rows), checked: {@code a + b} exactly, the sum of {@code a}. */
    @State(Scope.Benchmark)
    public static class Flat {
        Tensor a, b, out;

        @Setup(Level.Trial)
        public void setup() {
            printThreads();
            float[] x = Workloads.flatA(), y = Workloads.flatB();
            a = Jt.tensor(x);
            b = Jt.tensor(y);
            out = Jt.zeros(x.length);
            Expected.same("jtensor add", Expected.add(x, y), Jt.add(a, b, out).toFloatArray());
            try (Tensor s = a.sum()) {
                Expected.sum("jtensor sum", x, s.item());
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            a.close();
            b.close();
            out.close();
        }
    }

    /** The 4096 x 4096 matrix of the sums along a dim. */
    @State(Scope.Benchmark)
    public static class Square {
        Tensor m;

        @Setup(Level.Trial)
        public void setup() {
            printThreads();
            float[] x = Workloads.square();
            m = Jt.tensor(x).view(SQUARE, SQUARE);
            Expected.sumAlong("jtensor sum(0)", x, SQUARE, 0, m.sum(0).toFloatArray());
            Expected.sumAlong("jtensor sum(1)", x, SQUARE, 1, m.sum(1).toFloatArray());
        }

        @TearDown(Level.Trial)
        public void close() { m.close(); }
    }

    /** The small rows' inputs: 2x2 operands, softmax logits, matmul operands, the creation source. */
    @State(Scope.Benchmark)
    public static class Small {
        Tensor tinyA, tinyB, logits, x, y;
        float[] source;

        @Setup(Level.Trial)
        public void setup() {
            printThreads();
            tinyA = Jt.tensor(Workloads.TINY_A).view(2, 2);
            tinyB = Jt.tensor(Workloads.TINY_B).view(2, 2);
            float[] l = Workloads.logits(), p = Workloads.matmulLeft(), q = Workloads.matmulRight();
            logits = Jt.tensor(l).view(SOFTMAX, SOFTMAX);
            x = Jt.tensor(p).view(MATMUL, MATMUL);
            y = Jt.tensor(q).view(MATMUL, MATMUL);
            source = Workloads.source();
            Expected.same("jtensor 2x2 add", Expected.add(Workloads.TINY_A, Workloads.TINY_B), tinyA.add(tinyB).toFloatArray());
            Expected.softmax("jtensor softmax", l, SOFTMAX, logits.softmax(1).toFloatArray());
            Expected.matmul("jtensor matmul", p, q, MATMUL, x.matmul(y).toFloatArray());
            Expected.same("jtensor tensor(float[])", source, Jt.tensor(source).toFloatArray());
        }

        @TearDown(Level.Trial)
        public void close() {
            for (Tensor t : new Tensor[] {tinyA, tinyB, logits, x, y}) t.close();
        }
    }

    /** MlpTrainBench's model, batch and optimizer, from {@link Workloads.Mlp}'s parameters. */
    @State(Scope.Benchmark)
    public static class Mlp {
        Sequential model;
        SGD optimizer;
        CrossEntropyLoss lossFn;
        Tensor data, labels;

        @Setup(Level.Trial)
        public void setup() {
            printThreads();
            Expected.mlpLosses("jtensor MLP", build(), step(), step());
        }

        /** The model, batch and optimizer from {@link Workloads.Mlp}'s parameters (also ColdStart's); returns them. */
        Workloads.Mlp build() {
            Workloads.Mlp init = Workloads.Mlp.create();
            Linear first = new Linear(IN, HIDDEN), second = new Linear(HIDDEN, CLASSES);
            try (var _ = Jt.noGrad()) {
                first.weight().copy_(Jt.tensor(init.w1()).view(HIDDEN, IN));
                first.bias().copy_(Jt.tensor(init.b1()));
                second.weight().copy_(Jt.tensor(init.w2()).view(CLASSES, HIDDEN));
                second.bias().copy_(Jt.tensor(init.b2()));
            }
            model = new Sequential(first, new ReLU(), second);
            optimizer = new SGD(model.parameters(), Workloads.LR);
            lossFn = new CrossEntropyLoss();
            data = Jt.tensor(init.data()).view(Workloads.BATCH, IN);
            labels = Jt.tensor(init.labels());
            return init;
        }

        /** Forward, cross entropy, backward, SGD update, as MlpTrainBench; the loss before the update. */
        double step() {
            optimizer.zeroGrad();
            Tensor loss = lossFn.forward(model.forward(data), labels);
            loss.backward();
            optimizer.step();
            return loss.item();
        }
    }

    @Benchmark
    public void tinyAdd(Small s, Blackhole bh) {
        try (Tensor r = s.tinyA.add(s.tinyB)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public Tensor add16MInPlace(Flat s) { return s.a.add_(s.b); }

    @Benchmark
    public Tensor add16MOut(Flat s) { return Jt.add(s.a, s.b, s.out); }

    @Benchmark
    public void add16MAllocating(Flat s, Blackhole bh) {
        try (Tensor r = s.a.add(s.b)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public double sum16M(Flat s) {
        try (Tensor r = s.a.sum()) {
            return r.item();
        }
    }

    @Benchmark
    public void sumDim0(Square s, Blackhole bh) {
        try (Tensor r = s.m.sum(0)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void sumDim1(Square s, Blackhole bh) {
        try (Tensor r = s.m.sum(1)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void softmax1000(Small s, Blackhole bh) {
        try (Tensor r = s.logits.softmax(1)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void matmul1024(Small s, Blackhole bh) {
        try (Tensor r = s.x.matmul(s.y)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void create4M(Small s, Blackhole bh) {
        try (Tensor r = Jt.tensor(s.source)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public double mlpStep(Mlp s) { return s.step(); }

    /** Into the JMH log: the threads this fork's rows run on. */
    static void printThreads() { System.out.println("jtensor intra-op threads: " + Jt.getNumThreads()); }
}
