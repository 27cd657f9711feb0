package dev.jtensor.example.spark;

import static dev.jtensor.Jt.*;

import dev.jtensor.Tensor;
import dev.jtensor.io.Npy;
import dev.jtensor.io.Npz;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.MSELoss;
import dev.jtensor.nn.Module;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import dev.jtensor.optim.SGD;
import dev.jtensor.spark.BatchInference;
import dev.jtensor.spark.DataParallelTraining;
import dev.jtensor.spark.ExecutorModel;
import dev.jtensor.spark.ShardDataset;
import dev.jtensor.spark.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * jtensor on Spark end to end: writes a small dataset of .npz shards, trains an MLP data-parallel on two
 * ranks (DDP semantics, ring all-reduce between the tasks), saves it, then scores feature shards with it
 * (one model per executor JVM) into part-NNNNN.npy files.
 *
 * <p>Arguments: {@code [work-dir]}. The master comes from spark-submit, or is {@code local[2]} when run
 * directly (run.sh). On a cluster the work directory must be one every executor can reach (HDFS, S3, NFS).
 */
public final class SparkJob {
    static final int FEATURES = 16;

    static Module mlp() { return new Sequential(new Linear(FEATURES, 32), new ReLU(), new Linear(32, 1)); }

    public static void main(String[] args) throws Exception {
        Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("jtensor-spark-job");
        SparkConf conf = new SparkConf().setAppName("jtensor-spark-job").setIfMissing("spark.master", "local[2]")
                .setIfMissing("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            writeData(work);

            long t0 = System.nanoTime();
            TrainingResult trained = DataParallelTraining
                    .of(SparkJob::mlp, params -> new SGD(params, 0.05), (out, y) -> new MSELoss().forward(out, y))
                    .batchSize(64).epochs(3).ranks(2)
                    .fit(sc, ShardDataset.open(sc, work.resolve("train").toString()));
            double[] losses = trained.losses();
            System.out.printf("trained on 2 ranks: %d steps, loss %.4f -> %.4f, %.1f s%n",
                    losses.length, losses[0], losses[losses.length - 1], (System.nanoTime() - t0) / 1e9);
            Path weights = work.resolve("mlp.npz");
            Npz.save(weights, trained.stateDict());

            t0 = System.nanoTime();
            ExecutorModel model = ExecutorModel.fromStateDict(sc, SparkJob::mlp, weights.toString());
            ShardDataset features = ShardDataset.open(sc, work.resolve("features").toString());
            List<String> parts = BatchInference.of(model).batchSize(1024)
                    .run(sc, features, work.resolve("scores-" + System.currentTimeMillis()).toString());
            Tensor scores = BatchInference.collect(sc, parts.get(0).substring(0, parts.get(0).lastIndexOf('/')));
            System.out.printf("scored %d rows from %d shards into %d parts in %.1f s (mean score %.4f)%n",
                    scores.size(0), features.size(), parts.size(), (System.nanoTime() - t0) / 1e9, scores.mean().item());
            System.out.println("spark job OK");
        }
    }

    /** Two training shards (x, y = a fixed linear map of x plus noise) and four feature shards. */
    static void writeData(Path work) throws Exception {
        manualSeed(1);
        Tensor w = randn(FEATURES, 1);
        Files.createDirectories(work.resolve("train"));
        Files.createDirectories(work.resolve("features"));
        for (int i = 0; i < 2; i++) {
            Tensor x = randn(1024, FEATURES);
            Npz.save(work.resolve("train/shard-" + i + ".npz"), Map.of("x", x, "y", x.matmul(w).add(randn(1024, 1).mul(0.1))));
        }
        for (int i = 0; i < 4; i++) Npy.save(work.resolve(String.format("features/part-%05d.npy", i)), randn(5000, FEATURES));
    }
}
