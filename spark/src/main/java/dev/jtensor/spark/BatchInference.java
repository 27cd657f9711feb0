package dev.jtensor.spark;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
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
     * Runs the job and commits its output; returns the written files in shard order. The job keeps the
     * caller's job group and properties (jtensor adds a job tag of its own), so cancelling the caller's
     * group cancels it; tasks check their kill state between batches.
     *
     * @throws org.apache.spark.SparkException (unchecked as thrown by Spark) if a task fails: its cause is a
     *     {@link ShardFailureException} naming the shard, its partition and the rows; a bad file's message
     *     also names the byte offset. Before it throws, every task of the job has ended and the output
     *     directory holds no part file and no {@code _temporary}
     */
    public List<String> run(JavaSparkContext sc, ShardDataset input, String outputDirectory) {
        ClosureCheck.requireSerializable(model, "BatchInference's model");
        PartOutput output = PartOutput.create(outputDirectory, input.hadoopConf());
        ExecutorModel m = model;
        int rows = batchSize;
        try (JobScope scope = new JobScope(sc, "jtensor batch inference into " + outputDirectory, false)) {
            List<String> written;
            try {
                written = scope.await(input.rdd(sc).map(shard -> inferShard(input, shard, m, rows, output)).collectAsync(), END_WAIT_MILLIS);
            } catch (Throwable e) { // every task has ended (or END_WAIT_MILLIS passed): nothing writes any more
                output.abort();
                throw e;
            }
            return output.commit(written);
        }
    }

    /** How long a failed job's driver waits for its other tasks to end before deleting their output. */
    static final long END_WAIT_MILLIS = 60_000;

    /** One task: map the shard, run the model in batches, write this attempt's part file. */
    private static String inferShard(ShardDataset input, Shard shard, ExecutorModel model, int rows, PartOutput output) {
        TaskThreads.matchTaskCpus();
        TaskContext ctx = TaskContext.get();
        long[] at = {-1, -1, -1}; // first row, end row, rows of the shard: -1 until known
        String layout = null;
        try (ShardReader reader = input.read(shard)) {
            Tensor data = reader.array();
            layout = data.dtype() + " " + data.shape();
            at[2] = data.size(0);
            Tensor result = inBatches(model.get(), data, rows, at);
            try {
                at[0] = at[1] = -1;
                return output.write(shard.index(), ctx.partitionId(), ctx.attemptNumber(), result);
            } finally {
                result.close();
            }
        } catch (TaskKilledException e) {
            throw e;
        } catch (Exception | Error e) {
            if (TaskKill.requested()) TaskKill.check(); // failed because it was killed: report the kill
            throw new ShardFailureException(shard, ctx.partitionId(), layout, at[0], at[1], at[2], e);
        }
    }

    /**
     * The single-JVM twin of one task: {@code function} over {@code data}'s rows, {@code batchSize} at a
     * time, results concatenated along dim 0. Running it on a shard gives the bytes the job writes.
     */
    public static Tensor inBatches(TensorFunction function, Tensor data, int batchSize) {
        return inBatches(function, data, batchSize, new long[3]);
    }

    /** As above, keeping the current batch's rows in {@code at[0..1]}; inside a task, stops when killed. */
    private static Tensor inBatches(TensorFunction function, Tensor data, int batchSize, long[] at) {
        long n = data.size(0);
        at[0] = 0;
        at[1] = n;
        if (n == 0) return function.apply(data).clone();
        List<Tensor> outs = new ArrayList<>();
        for (long start = 0; start < n; start += batchSize) {
            TaskKill.check();
            at[0] = start;
            at[1] = Math.min(n, start + batchSize);
            outs.add(function.apply(data.narrow(0, start, at[1] - start)));
        }
        at[0] = 0;
        at[1] = n;
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
