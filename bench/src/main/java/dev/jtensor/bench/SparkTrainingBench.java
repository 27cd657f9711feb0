package dev.jtensor.bench;

import static dev.jtensor.Jt.*;

import dev.jtensor.Tensor;
import dev.jtensor.io.Npz;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.MSELoss;
import dev.jtensor.nn.Module;
import dev.jtensor.optim.SGD;
import dev.jtensor.spark.DataParallelTraining;
import dev.jtensor.spark.DataParallelTraining.Collective;
import dev.jtensor.spark.ShardDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Time per data-parallel step on Spark {@code local[2]} (2 ranks) with 4 MiB of gradients (a 1024x1024
 * linear layer plus bias, batch 32 per rank), ring against treeAggregate, and the same step in one
 * process on the global batch of 64. Per-step time = (fit of 3 epochs - fit of 1 epoch) / the 32 extra
 * steps, so the barrier stage's start-up and the result's return cancel out. A measured harness, not JMH:
 * best of 2 pairs after a warm-up. Run: {@code env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE
 * bench/spark-bench.sh SparkTrainingBench}.
 */
public final class SparkTrainingBench {
    static final int ROWS = 512;
    static final int BATCH = 32;
    static final int WIDTH = 1024;

    static Module model() { manualSeed(7); return new Linear(WIDTH, WIDTH); }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("jtensor-spark-train-bench");
        try {
            manualSeed(0);
            Tensor[] xs = new Tensor[2];
            Tensor[] ys = new Tensor[2];
            for (int i = 0; i < 2; i++) {
                xs[i] = randn(ROWS, WIDTH);
                ys[i] = randn(ROWS, WIDTH);
                Npz.save(dir.resolve("s" + i + ".npz"), Map.of("x", xs[i], "y", ys[i]));
            }
            Module m = model();
            SGD opt = new SGD(m.parameters(), 0.01);
            MSELoss mse = new MSELoss();
            Tensor x = cat(xs[0].narrow(0, 0, BATCH), xs[1].narrow(0, 0, BATCH));
            Tensor y = cat(ys[0].narrow(0, 0, BATCH), ys[1].narrow(0, 0, BATCH));
            double single = Double.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                long t0 = System.nanoTime();
                for (int s = 0; s < 32; s++) {
                    opt.zeroGrad();
                    mse.forward(m.forward(x), y).backward();
                    opt.step();
                }
                if (round > 0) single = Math.min(single, (System.nanoTime() - t0) / 1e6 / 32);
            }
            System.out.printf("one process, global batch %d: %.2f ms/step (%d threads)%n", 2 * BATCH, single, getNumThreads());

            SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("SparkTrainingBench")
                    .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
            try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                sc.setLogLevel("WARN");
                ShardDataset data = ShardDataset.open(sc, dir.toString());
                for (Collective c : Collective.values()) {
                    double best = Double.MAX_VALUE;
                    for (int round = 0; round < 3; round++) {
                        double one = fitSeconds(sc, data, c, 1);
                        double three = fitSeconds(sc, data, c, 3);
                        if (round > 0) best = Math.min(best, (three - one) * 1000 / (2.0 * ROWS / BATCH));
                    }
                    System.out.printf("Spark local[2], 2 ranks, %s: %.2f ms/step%n", c, best);
                }
            }
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static double fitSeconds(JavaSparkContext sc, ShardDataset data, Collective c, int epochs) {
        long t0 = System.nanoTime();
        DataParallelTraining.of(SparkTrainingBench::model, p -> new SGD(p, 0.01), (o, t) -> new MSELoss().forward(o, t))
                .batchSize(BATCH).epochs(epochs).collective(c).fit(sc, data);
        return (System.nanoTime() - t0) / 1e9;
    }
}
