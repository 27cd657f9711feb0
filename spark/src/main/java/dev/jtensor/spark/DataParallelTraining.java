package dev.jtensor.spark;

import java.time.Duration;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Data-parallel training with PyTorch DDP's semantics on Spark: every rank builds the same model, rank 0's
 * initial weights are broadcast, each step every rank computes the gradient of its own batch and the
 * gradients are averaged before the optimizer steps, so the result equals (to float rounding) one process
 * training on the concatenation of the ranks' batches. Rank {@code r} of {@code W} reads shards
 * {@code r, r+W, ...} of a dataset of {@code .npz} shards holding inputs and targets.
 *
 * <pre>{@code
 * TrainingResult r = DataParallelTraining
 *         .of(() -> new Sequential(new Linear(8, 16), new Tanh(), new Linear(16, 1)),
 *             params -> new SGD(params, 0.05),
 *             (out, y) -> new MSELoss().forward(out, y))
 *         .batchSize(32).epochs(5)
 *         .fit(sc, ShardDataset.open(sc, "hdfs://nn/train"));
 * }</pre>
 *
 * <p>{@link Collective#RING} (the default) runs one Spark barrier stage: all ranks start together, find
 * each other with one {@code allGather}, and all-reduce over a {@link RingProcessGroup}. If any rank fails
 * or a peer is lost, the stage fails and Spark retries it whole. {@link Collective#TREE_AGGREGATE} is the
 * simple fallback: the driver holds the model and optimizer and runs one {@code treeAggregate} job of
 * gradient sums per step (no sockets between tasks, about ten times slower per step).
 */
public final class DataParallelTraining {

    /** How the ranks' gradients are combined. */
    public enum Collective {
        /** A barrier stage with a TCP ring all-reduce between the tasks. */
        RING,
        /** One Spark {@code treeAggregate} job per step, optimizer on the driver. */
        TREE_AGGREGATE
    }

    private final ModelFactory model;
    private final OptimizerFactory optimizer;
    private final LossFunction loss;
    private int batchSize = 32;
    private int epochs = 1;
    private int worldSize;
    private Collective collective = Collective.RING;
    private Duration timeout = Duration.ofSeconds(60);
    private long bucketBytes = 25L << 20;
    private String inputMember = "x";
    private String targetMember = "y";
    private boolean shuffle;
    private long seed;
    private boolean pad;
    private Duration slotWait = Duration.ofSeconds(30);

    private DataParallelTraining(ModelFactory model, OptimizerFactory optimizer, LossFunction loss) {
        this.model = model;
        this.optimizer = optimizer;
        this.loss = loss;
    }

    /** Training of the model {@code model} builds, with {@code optimizer} and {@code loss}. */
    public static DataParallelTraining of(ModelFactory model, OptimizerFactory optimizer, LossFunction loss) {
        return new DataParallelTraining(model, optimizer, loss);
    }

    /** Rows per rank per step (default 32); the global batch is {@code batchSize * ranks}. */
    public DataParallelTraining batchSize(int rows) {
        if (rows < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + rows);
        this.batchSize = rows;
        return this;
    }

    /** Passes over the data (default 1); an epoch is as many steps as the rank with fewest rows can fill. */
    public DataParallelTraining epochs(int epochs) {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        this.epochs = epochs;
        return this;
    }

    /** The number of ranks (default: one per shard). A barrier stage needs that many free task slots. */
    public DataParallelTraining ranks(int worldSize) {
        if (worldSize < 1) throw new IllegalArgumentException("ranks must be >= 1, got " + worldSize);
        this.worldSize = worldSize;
        return this;
    }

    /** The collective (default {@link Collective#RING}). */
    public DataParallelTraining collective(Collective collective) {
        this.collective = collective;
        return this;
    }

    /** The longest any socket operation of the ring may make no progress before the stage fails (default 60 s). */
    public DataParallelTraining timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** The largest gradient bucket (default 25 MiB, as DDP's {@code bucket_cap_mb}). */
    public DataParallelTraining bucketBytes(long bytes) {
        this.bucketBytes = bytes;
        return this;
    }

    /** The {@code .npz} members holding inputs and targets (default {@code x} and {@code y}). */
    public DataParallelTraining members(String inputs, String targets) {
        this.inputMember = inputs;
        this.targetMember = targets;
        return this;
    }

    /**
     * Shuffles every rank's rows each epoch (default off): epoch {@code e} of rank {@code r} visits its rows
     * in a permutation drawn from a jtensor {@code Generator} seeded from {@code (seed, e, r)}, as
     * {@code DistributedSampler(shuffle=True, seed=seed)} with {@code set_epoch(e)} each epoch; the same
     * seed gives the same training on every run. Rows stay on their rank (shard {@code i} belongs to rank
     * {@code i mod W}); only their order changes.
     */
    public DataParallelTraining shuffle(long seed) {
        this.shuffle = true;
        this.seed = seed;
        return this;
    }

    /**
     * PyTorch's rule for ranks with different row counts (default off: every epoch has as many full
     * batches as the rank with the fewest rows fills, and the other ranks' remaining rows wait for the
     * next epoch). On: as {@code DistributedSampler(drop_last=False)} with a {@code DataLoader} that keeps
     * its last batch, every rank's epoch order is padded to the largest rank's rows by repeating its own
     * first rows (after shuffling, if on), and the last batch of an epoch may be partial (the same size on
     * every rank).
     */
    public DataParallelTraining padUnevenRanks(boolean pad) {
        this.pad = pad;
        return this;
    }

    /**
     * How long {@link #fit} waits for executors still registering when the cluster has fewer task slots
     * than ranks (default 30 s; no wait on a local master, whose slots are all there from the start) before
     * it fails with a message naming both numbers. Interrupting the calling thread ends the wait at once.
     */
    public DataParallelTraining slotWait(Duration wait) {
        this.slotWait = wait;
        return this;
    }

    /**
     * Trains on {@code data} and returns rank 0's final weights and the loss of every step.
     *
     * <p>The jobs keep the caller's job group and properties (jtensor adds a job tag of its own), so
     * {@code sc.cancelJobGroup(...)} stops the training: the ranks are interrupted, check their kill state
     * between steps and inside every ring wait, close the ring and free their native memory; {@code fit}
     * throws once every rank has ended, with the slots free for the next job.
     *
     * @throws org.apache.spark.SparkException (unchecked as thrown by Spark) if a rank fails; its message
     *     names the rank, the step and the rank's shards
     * @throws IllegalStateException if the cluster has fewer task slots than ranks (RING), naming both
     * @throws IllegalArgumentException if the model, optimizer or loss captures a {@code Tensor}
     */
    public TrainingResult fit(JavaSparkContext sc, ShardDataset data) {
        int w = worldSize > 0 ? worldSize : data.size();
        if (w > data.size()) throw new IllegalArgumentException(w + " ranks but only " + data.size() + " shards: every rank needs one");
        ClosureCheck.requireSerializable(model, "the model factory");
        ClosureCheck.requireSerializable(optimizer, "the optimizer factory");
        ClosureCheck.requireSerializable(loss, "the loss function");
        var ranks = sc.parallelize(IntStream.range(0, w).boxed().toList(), w);
        var plan = new TrainingPlan(model, optimizer, loss, data, w, batchSize, epochs, timeout, bucketBytes, inputMember, targetMember,
                shuffle, seed, pad);
        if (collective == Collective.RING) TaskSlots.require(sc, w, slotWait);
        return switch (collective) {
            case RING -> RingTraining.fit(plan, sc, ranks);
            case TREE_AGGREGATE -> TreeAggregateTraining.fit(plan, sc, ranks);
        };
    }
}
