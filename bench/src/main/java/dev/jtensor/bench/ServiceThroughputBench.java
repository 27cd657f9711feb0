package dev.jtensor.bench;

import static dev.jtensor.Jt.inferenceMode;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issue 24 item 1: request throughput of a shared eval-mode MLP {@code 256-512-10}, batch 32, each request
 * a {@code float[]} in and the logits as a {@code float[]} out, as a service sees it. jtensor (one shared
 * {@link Sequential}, {@code inferenceMode()}), DJL 0.32 / libtorch 2.5.1 (one shared model, one
 * {@link Predictor} per thread, as DJL documents) and ND4J (shared weight arrays, {@code mmul}), default
 * thread settings of each.
 *
 * <p>Platform threads: the {@code *Request} methods, one request per operation, run with JMH's {@code -t N}
 * (JMH sums the threads' throughput): {@code bench/service-throughput.sh} runs 1, 2, 4, 8, 16 and 64.
 * Virtual threads: the {@code *Virtual} methods start {@code vthreads} virtual threads that each make
 * {@link #PER_THREAD} requests; the {@code requests} counter is the requests/s figure.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g", "-Dai.djl.offline=true",
        "-Dai.djl.default_engine=PyTorch"})
public class ServiceThroughputBench {
    static final int BATCH = 32, IN = 256, HIDDEN = 512, OUT = 10, PER_THREAD = 20;

    /** The shared models, with the same weights. */
    @State(Scope.Benchmark)
    public static class Models {
        Sequential jtensor;
        Model djl;
        INDArray w1, b1, w2, b2;

        @Setup(Level.Trial)
        public void setup() {
            Jt.manualSeed(0);
            jtensor = new Sequential(new dev.jtensor.nn.Linear(IN, HIDDEN), new ReLU(), new dev.jtensor.nn.Linear(HIDDEN, OUT));
            jtensor.eval();
            var lin1 = (dev.jtensor.nn.Linear) jtensor.get(0);
            var lin2 = (dev.jtensor.nn.Linear) jtensor.get(2);
            float[] fw1 = lin1.weight().toFloatArray(), fb1 = lin1.bias().toFloatArray();
            float[] fw2 = lin2.weight().toFloatArray(), fb2 = lin2.bias().toFloatArray();

            Linear first = Linear.builder().setUnits(HIDDEN).build(), second = Linear.builder().setUnits(OUT).build();
            djl = Model.newInstance("mlp", "PyTorch");
            djl.setBlock(new SequentialBlock().add(first).add(Activation.reluBlock()).add(second));
            djl.getBlock().initialize(djl.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(BATCH, IN));
            first.getParameters().get("weight").getArray().set(fw1);
            first.getParameters().get("bias").getArray().set(fb1);
            second.getParameters().get("weight").getArray().set(fw2);
            second.getParameters().get("bias").getArray().set(fb2);

            w1 = Nd4j.create(fw1, new long[] {HIDDEN, IN}, 'c').transpose().dup('c');
            b1 = Nd4j.create(fb1, new long[] {1, HIDDEN}, 'c');
            w2 = Nd4j.create(fw2, new long[] {OUT, HIDDEN}, 'c').transpose().dup('c');
            b2 = Nd4j.create(fb2, new long[] {1, OUT}, 'c');
            checkSame();
        }

        private void checkSame() {
            float[] x = input(1);
            float[] a = jtensorForward(x), b, c = nd4jForward(x);
            try (Predictor<float[], float[]> p = djl.newPredictor(new Logits())) {
                b = p.predict(x);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < a.length; i++) {
                if (Math.abs(a[i] - b[i]) > 1e-3 || Math.abs(a[i] - c[i]) > 1e-3) {
                    throw new IllegalStateException("logit " + i + " differs: jtensor " + a[i] + ", DJL " + b[i] + ", ND4J " + c[i]);
                }
            }
        }

        float[] jtensorForward(float[] x) {
            try (var g = inferenceMode(); var scope = Jt.scope()) {
                Tensor in = Jt.tensor(x).view(BATCH, IN);
                return jtensor.forward(in).toFloatArray();
            }
        }

        float[] nd4jForward(float[] x) {
            try (INDArray in = Nd4j.create(x, new long[] {BATCH, IN}, 'c');
                 INDArray h = in.mmul(w1).addiRowVector(b1);
                 INDArray r = Transforms.relu(h, false);
                 INDArray out = r.mmul(w2).addiRowVector(b2)) {
                return out.reshape(out.length()).toFloatVector();
            }
        }

        @TearDown(Level.Trial)
        public void close() { djl.close(); }
    }

    /** DJL's float[] -> logits translator (input made in the predictor's per-call manager, closed after). */
    static final class Logits implements NoBatchifyTranslator<float[], float[]> {
        @Override
        public NDList processInput(TranslatorContext ctx, float[] input) {
            return new NDList(ctx.getNDManager().create(input, new Shape(BATCH, IN)));
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            NDArray out = list.singletonOrThrow();
            return out.toFloatArray();
        }
    }

    static float[] input(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[BATCH * IN];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
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
    public float[] jtensorRequest(Models m, PerThread t) { return m.jtensorForward(t.x); }

    @Benchmark
    public float[] djlRequest(Models m, PerThread t) throws Exception { return t.predictor.predict(t.x); }

    @Benchmark
    public float[] nd4jRequest(Models m, PerThread t) { return m.nd4jForward(t.x); }

    // ---------------------------------------------------------------- virtual threads

    /** Requests served per second, counted over the iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Served {
        public long requests;

        @Setup(Level.Iteration)
        public void reset() { requests = 0; }
    }

    @State(Scope.Benchmark)
    public static class VirtualLoad {
        @Param({"64", "1000"})
        public int vthreads;
        List<float[]> inputs;

        @Setup(Level.Trial)
        public void setup() {
            inputs = new ArrayList<>();
            for (int i = 0; i < vthreads; i++) inputs.add(input(1000 + i));
        }
    }

    /** One virtual thread's session: {@link #PER_THREAD} requests on its input. */
    @FunctionalInterface
    interface Session {
        void serve(float[] x) throws Exception;
    }

    private static void burst(VirtualLoad load, Served served, Session session) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>(load.vthreads);
            for (int t = 0; t < load.vthreads; t++) {
                float[] x = load.inputs.get(t);
                fs.add(pool.submit(() -> { session.serve(x); return null; }));
            }
            for (Future<?> f : fs) f.get();
        }
        served.requests += (long) load.vthreads * PER_THREAD;
    }

    @Benchmark
    public void jtensorVirtual(Models m, VirtualLoad load, Served served) throws Exception {
        burst(load, served, x -> { for (int r = 0; r < PER_THREAD; r++) m.jtensorForward(x); });
    }

    @Benchmark
    public void djlVirtual(Models m, VirtualLoad load, Served served) throws Exception {
        burst(load, served, x -> {
            try (Predictor<float[], float[]> p = m.djl.newPredictor(new Logits())) { // one predictor per thread
                for (int r = 0; r < PER_THREAD; r++) p.predict(x);
            }
        });
    }

    @Benchmark
    public void nd4jVirtual(Models m, VirtualLoad load, Served served) throws Exception {
        burst(load, served, x -> { for (int r = 0; r < PER_THREAD; r++) m.nd4jForward(x); });
    }
}
