package dev.jtensor.bench.peers;

import static dev.jtensor.bench.peers.Workloads.BATCH;
import static dev.jtensor.bench.peers.Workloads.CLASSES;
import static dev.jtensor.bench.peers.Workloads.HIDDEN;
import static dev.jtensor.bench.peers.Workloads.IN;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.nn.CrossEntropyLoss;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import dev.jtensor.optim.SGD;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.DoubleSupplier;

/**
 * Issue 24 item 6: cold start of the MLP 784-256-10 training loop (Workloads.Mlp: batch 256, SGD, cross
 * entropy) in a fresh JVM, for jtensor or DJL: {@code ColdStart jtensor|djl [steps]} prints one line of
 * facts, in milliseconds: JVM start to the first result (the first step's loss on the host), the first
 * step, the sums of steps 1-10, 1-100, 1-300, the median of the last 100 steps ("steady"), and the first
 * step from which a 20-step window's median stays within 1.2x of steady. {@code bench/cold-start.sh} runs
 * it in several fresh JVMs per configuration, with and without a JDK 25 AOT cache.
 */
public final class ColdStart {
    private ColdStart() {}

    public static void main(String[] args) {
        String lib = args.length > 0 ? args[0] : "jtensor";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        DoubleSupplier step = switch (lib) {
            case "jtensor" -> jtensor();
            case "djl" -> djl();
            default -> throw new IllegalArgumentException("ColdStart: library must be jtensor or djl, not " + lib);
        };
        double[] ms = new double[steps];
        double firstResultMs = 0;
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            double loss = step.getAsDouble();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (i == 0) {
                firstResultMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
                if (!Double.isFinite(loss)) throw new IllegalStateException("loss " + loss);
            }
        }
        double steady = median(Arrays.copyOfRange(ms, Math.max(0, steps - 100), steps));
        System.out.printf("coldstart lib=%s firstResultMs=%.0f step1=%.1f steps1_10=%.1f steps1_100=%.1f steps1_300=%.1f "
                        + "steadyMs=%.3f stepsTo1.2x=%d%n", lib, firstResultMs, ms[0], sum(ms, 10), sum(ms, 100), sum(ms, 300),
                steady, stepsToSteady(ms, steady));
    }

    private static double sum(double[] ms, int n) {
        double s = 0;
        for (int i = 0; i < Math.min(n, ms.length); i++) s += ms[i];
        return s;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length == 0 ? Double.NaN : c[c.length / 2];
    }

    /** The first step i from which every later 20-step window's median is within 1.2x of steady. */
    private static int stepsToSteady(double[] ms, double steady) {
        int last = -1;
        for (int i = 0; i + 20 <= ms.length; i++) {
            if (median(Arrays.copyOfRange(ms, i, i + 20)) > 1.2 * steady) last = i;
        }
        return last + 1;
    }

    private static DoubleSupplier jtensor() {
        Workloads.Mlp init = Workloads.Mlp.create();
        Linear first = new Linear(IN, HIDDEN), second = new Linear(HIDDEN, CLASSES);
        try (var g = Jt.noGrad()) {
            first.weight().copy_(Jt.tensor(init.w1()).view(HIDDEN, IN));
            first.bias().copy_(Jt.tensor(init.b1()));
            second.weight().copy_(Jt.tensor(init.w2()).view(CLASSES, HIDDEN));
            second.bias().copy_(Jt.tensor(init.b2()));
        }
        Sequential model = new Sequential(first, new ReLU(), second);
        SGD optimizer = new SGD(model.parameters(), Workloads.LR);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        Tensor data = Jt.tensor(init.data()).view(BATCH, IN), labels = Jt.tensor(init.labels());
        return () -> {
            try (var scope = Jt.scope()) {
                optimizer.zeroGrad();
                Tensor loss = lossFn.forward(model.forward(data), labels);
                loss.backward();
                optimizer.step();
                return loss.item();
            }
        };
    }

    private static DoubleSupplier djl() {
        Workloads.Mlp init = Workloads.Mlp.create();
        var first = ai.djl.nn.core.Linear.builder().setUnits(HIDDEN).build();
        var second = ai.djl.nn.core.Linear.builder().setUnits(CLASSES).build();
        Model model = Model.newInstance("mlp", "PyTorch");
        model.setBlock(new SequentialBlock().add(first).add(Activation.reluBlock()).add(second));
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(Workloads.LR)).build()));
        trainer.initialize(new Shape(BATCH, IN));
        first.getParameters().get("weight").getArray().set(init.w1());
        first.getParameters().get("bias").getArray().set(init.b1());
        second.getParameters().get("weight").getArray().set(init.w2());
        second.getParameters().get("bias").getArray().set(init.b2());
        NDManager manager = trainer.getManager();
        NDArray data = manager.create(init.data(), new Shape(BATCH, IN)), labels = manager.create(init.labels());
        return () -> {
            try (NDManager step = manager.newSubManager()) {
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
        };
    }
}
