package dev.jtensor.spark;

import dev.jtensor.Tensor;
import dev.jtensor.nn.Module;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;

/** Everything a rank needs to train, shipped to the tasks; and the local step every rank runs. */
record TrainingPlan(ModelFactory model, OptimizerFactory optimizer, LossFunction loss, ShardDataset data, int worldSize,
                    int batchSize, int epochs, Duration timeout, long bucketBytes, String inputMember, String targetMember,
                    boolean shuffle, long seed, boolean pad)
        implements Serializable {

    RankData load(int rank) throws IOException { return RankData.load(data, rank, worldSize, inputMember, targetMember); }

    /**
     * The shape of every epoch, the same on every rank, from the ranks' fewest and most rows: without
     * padding, as many full batches as the smallest rank fills; with padding (PyTorch's
     * {@code DistributedSampler(drop_last=False)} with a {@code DataLoader} keeping its last batch), every
     * rank's order is padded to the largest rank's rows and the last batch may be partial.
     */
    Epochs epochs(long minRows, long maxRows) {
        if (pad) return new Epochs((maxRows + batchSize - 1) / batchSize, maxRows);
        long steps = minRows / batchSize;
        if (steps == 0) throw new IllegalArgumentException("a rank has only " + minRows + " rows, fewer than batchSize " + batchSize);
        return new Epochs(steps, steps * batchSize);
    }

    /** Steps per epoch and the number of positions of each rank's epoch order. */
    record Epochs(long steps, long positions) implements Serializable {
        long total(int epochs) { return steps * epochs; }

        /** The first and end positions of step {@code step} (counted over all epochs) within its epoch. */
        long[] rows(long step, int batchSize) {
            long from = step % steps * batchSize;
            return new long[] {from, Math.min(from + batchSize, positions)};
        }
    }

    /** Zeroes the gradients, then forward and backward on this rank's batch of {@code step}; returns the local loss. */
    double localBackward(Module m, RankData d, long step, Epochs e) {
        m.zeroGrad();
        long[] r = e.rows(step, batchSize);
        Tensor[] xy = d.batch(step / e.steps(), r[0], r[1], shuffle, seed);
        Tensor out = m.forward(xy[0]);
        Tensor l = loss.apply(out, xy[1]);
        l.backward();
        return l.item();
    }
}
