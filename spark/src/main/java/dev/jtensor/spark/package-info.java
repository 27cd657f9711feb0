/**
 * jtensor on Apache Spark (DESIGN section 7): datasets of {@code .npy}/{@code .npz} shards, batch inference,
 * and data-parallel training with PyTorch DDP's semantics. Spark 4.2 is a {@code provided} dependency; user
 * code sees Java types only.
 *
 * <ul>
 *   <li>{@link dev.jtensor.spark.ShardDataset}, {@link dev.jtensor.spark.Shard},
 *       {@link dev.jtensor.spark.ShardReader}: listing on the driver, metadata to the tasks, each task maps
 *       its shard (zero-copy when local; copied from other Hadoop file systems).</li>
 *   <li>{@link dev.jtensor.spark.BatchInference} with {@link dev.jtensor.spark.ExecutorModel} (a
 *       {@code Module} from a {@code .npz} state dict once per executor JVM, or any
 *       {@link dev.jtensor.spark.TensorFunction}): one {@code part-NNNNN.npy} per shard, committed on the
 *       driver.</li>
 *   <li>{@link dev.jtensor.spark.TensorBroadcast}: tensors for shipped functions (a {@code Tensor} itself
 *       cannot be captured: its data is native memory); {@link dev.jtensor.spark.ShardFailureException}:
 *       a task's failure naming the shard, its partition and the rows.</li>
 *   <li>{@link dev.jtensor.spark.DataParallelTraining}: a barrier stage and a
 *       {@link dev.jtensor.spark.RingProcessGroup} behind the {@link dev.jtensor.spark.ProcessGroup}
 *       interface, or one {@code treeAggregate} job per step.</li>
 * </ul>
 *
 * <p>Choices written down here: ranks read shards round-robin ({@code r, r+W, ...}), in order unless
 * {@code shuffle(seed)} asks for a seeded permutation of each rank's rows per epoch; every rank takes the
 * same number of steps (DDP requires equal step counts), by default as many per epoch as the rank with the
 * fewest rows can fill, or with {@code padUnevenRanks(true)} PyTorch's padding to the largest rank; a
 * {@code fromStateDict} model receives floating-point batches in its parameters' dtype, training data is
 * converted to float32 (integers kept); jtensor's jobs keep the caller's job group and add a job tag, check
 * the task's kill state between batches and steps and inside ring waits, and the driver waits for every
 * task to end before it cleans up or returns after a failure or cancel; the initial
 * broadcast covers parameters (jtensor's {@code nn} has no buffers that train, such as batch-norm
 * statistics); gradients are summed in float32 and divided by the world size, as DDP does; a missing
 * gradient counts as zeros. Losses returned are the mean over ranks, carried in the last gradient bucket.
 * Everything that waits has a bound: the ring's idle timeout on every socket operation, and
 * {@code spark.barrier.sync.timeout} for the start-up {@code allGather}.
 */
package dev.jtensor.spark;
