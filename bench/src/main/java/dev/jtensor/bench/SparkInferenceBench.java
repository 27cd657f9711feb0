package dev.jtensor.bench;

import static dev.jtensor.Jt.*;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.io.Npy;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.Module;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import dev.jtensor.spark.BatchInference;
import dev.jtensor.spark.ExecutorModel;
import dev.jtensor.spark.ShardDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Inference throughput of jtensor-spark on {@code local[2]} (2 tasks, 1 jtensor thread each, one model
 * per JVM) against one JVM running the same loop over the same shards (with 1 and with 2 threads):
 * 8 shards of 16384 x 256 float32 (128 MiB), an MLP 256-1024-256 with ReLU, batches of 1024 rows, results
 * written as .npy in both cases. A measured harness, not JMH: each figure is the best of 3 runs after one
 * warm-up run; Spark's start-up (reported separately) is excluded. Run: {@code env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE bench/spark-bench.sh}.
 */
public final class SparkInferenceBench {
    static final int SHARDS = 8;
    static final int ROWS = 16384;
    static final int IN = 256;

    static Module mlp() { return new Sequential(new Linear(IN, 1024), new ReLU(), new Linear(1024, 256)); }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("jtensor-spark-bench");
        try {
            Path in = dir.resolve("in");
            Files.createDirectories(in);
            manualSeed(0);
            for (int i = 0; i < SHARDS; i++) Npy.save(in.resolve(String.format("s%02d.npy", i)), randn(ROWS, IN));
            Module reference = mlp();
            Path weights = dir.resolve("mlp.npz");
            reference.save(weights);
            reference.eval();
            double rows = (double) SHARDS * ROWS;

            for (int threads : new int[] {1, 2}) {
                Jt.setNumThreads(threads);
                double best = Double.MAX_VALUE;
                for (int run = 0; run < 4; run++) {
                    Path out = Files.createDirectories(dir.resolve("single-" + threads + "-" + run));
                    long t0 = System.nanoTime();
                    for (int i = 0; i < SHARDS; i++) {
                        try (var _ = Jt.noGrad()) {
                            Tensor x = Npy.map(in.resolve(String.format("s%02d.npy", i)));
                            Tensor y = BatchInference.inBatches(reference::forward, x, 1024);
                            Npy.save(out.resolve(String.format("part-%05d.npy", i)), y);
                            y.close();
                            x.close();
                        }
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    if (run > 0) best = Math.min(best, s);
                }
                System.out.printf("one JVM, %d thread(s): %.3f s, %.0f rows/s%n", threads, best, rows / best);
            }

            long t0 = System.nanoTime();
            SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("SparkInferenceBench")
                    .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
            try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                sc.setLogLevel("WARN");
                System.out.printf("Spark local[2] start-up: %.1f s%n", (System.nanoTime() - t0) / 1e9);
                ExecutorModel model = ExecutorModel.fromStateDict(sc, SparkInferenceBench::mlp, weights.toString());
                ShardDataset data = ShardDataset.open(sc, in.toString());
                double best = Double.MAX_VALUE;
                for (int run = 0; run < 4; run++) {
                    long r0 = System.nanoTime();
                    BatchInference.of(model).batchSize(1024).run(sc, data, dir.resolve("spark-" + run).toString());
                    double s = (System.nanoTime() - r0) / 1e9;
                    if (run > 0) best = Math.min(best, s);
                    else System.out.printf("Spark local[2] first job (loads the model once per JVM): %.3f s%n", s);
                }
                System.out.printf("Spark local[2], 2 tasks x 1 thread: %.3f s, %.0f rows/s%n", best, rows / best);
            }
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
