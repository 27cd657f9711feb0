package dev.jtensor.spark;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Maps a model over every row of a {@link ShardDataset} in batches and writes one
 * {@code part-NNNNN.npy} per input shard (shard {@code i} gives part {@code i}, rows in order).
 * The output appears only when every task has succeeded: a failed job leaves no partial file.
 *
 * <pre>{@code
 * ExecutorModel model = ExecutorModel.fromStateDict(sc, () -> new Sequential(new Linear(64, 32), new ReLU()),
 *         "hdfs://nn/models/mlp.npz");
 * List<String> parts = BatchInference.of(model).batchSize(1024)
 *         .run(sc, ShardDataset.open(sc, "hdfs://nn/features"), "hdfs://nn/scores");
 * }</pre>
 *
 * <p>Each task maps its shard (zero-copy when local), sets jtensor's threads to {@code spark.task.cpus}
 * and feeds the model {@code batchSize} rows at a time; the model is loaded once per executor JVM.
 */
public final class BatchInference {
    private final ExecutorModel model;
    private int batchSize = 1024;

    private BatchInference(ExecutorModel model) { this.model = model; }

    /** Inference with {@code model}. */
    public static BatchInference of(ExecutorModel model) { return new BatchInference(model); }

    /** Inference with any batch function. */
    public static BatchInference of(TensorFunction function) { return new BatchInference(ExecutorModel.of(function)); }

    /** Rows per forward call (default 1024); bounds the memory of one batch's activations. */
    public BatchInference batchSize(int rows) {
        if (rows < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + rows);
        this.batchSize = rows;
        return this;
    }

    /**
     * Runs the job and commits its output; returns the written files in shard order.
     *
     * @throws org.apache.spark.SparkException (unchecked as thrown by Spark) if a task fails: a bad shard's
     *     message names its file and byte offset; the output directory then holds no part file
     */
    public List<String> run(JavaSparkContext sc, ShardDataset input, String outputDirectory) {
        PartOutput output = PartOutput.create(outputDirectory, input.hadoopConf());
        ExecutorModel m = model;
        int rows = batchSize;
        try (JobGroup group = new JobGroup(sc, "jtensor batch inference into " + outputDirectory)) {
            try {
                List<String> written = input.rdd(sc).map(shard -> inferShard(input, shard, m, rows, output)).collect();
                return output.commit(written);
            } catch (Throwable e) { // Spark throws the checked SparkException undeclared; rethrown as it is
                group.cancelAndWait(60_000); // tasks still running must not write after the abort
                output.abort();
                throw e;
            }
        }
    }

    /** One task: map the shard, run the model in batches, write this attempt's part file. */
    private static String inferShard(ShardDataset input, Shard shard, ExecutorModel model, int rows, PartOutput output)
            throws IOException {
        TaskThreads.matchTaskCpus();
        TaskContext ctx = TaskContext.get();
        try (ShardReader reader = input.read(shard)) {
            Tensor result = inBatches(model.get(), reader.array(), rows);
            try {
                return output.write(shard.index(), ctx.partitionId(), ctx.attemptNumber(), result);
            } finally {
                result.close();
            }
        }
    }

    /**
     * The single-JVM twin of one task: {@code function} over {@code data}'s rows, {@code batchSize} at a
     * time, results concatenated along dim 0. Running it on a shard gives the bytes the job writes.
     */
    public static Tensor inBatches(TensorFunction function, Tensor data, int batchSize) {
        long n = data.size(0);
        if (n == 0) return function.apply(data).clone();
        List<Tensor> outs = new ArrayList<>();
        for (long start = 0; start < n; start += batchSize) {
            outs.add(function.apply(data.narrow(0, start, Math.min(batchSize, n - start))));
        }
        // results may be views of the mapped shard (an identity model): copy, never close them here
        return outs.size() == 1 ? outs.get(0).clone() : Jt.cat(outs, 0);
    }

    /** Reads the parts of a job's output back in order, as one tensor (for checks and small results). */
    public static Tensor collect(JavaSparkContext sc, String outputDirectory) throws IOException {
        ShardDataset parts = ShardDataset.open(sc, outputDirectory);
        List<Tensor> arrays = new ArrayList<>();
        for (Shard s : parts.shards()) {
            try (ShardReader r = parts.read(s)) {
                arrays.add(r.array().clone());
            }
        }
        return Jt.cat(arrays, 0);
    }
}
