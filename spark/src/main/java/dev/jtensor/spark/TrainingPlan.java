package dev.jtensor.spark;

import dev.jtensor.Tensor;
import dev.jtensor.nn.Module;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;

/** Everything a rank needs to train, shipped to the tasks; and the local step every rank runs. */
record TrainingPlan(ModelFactory model, OptimizerFactory optimizer, LossFunction loss, ShardDataset data, int worldSize,
                    int batchSize, int epochs, Duration timeout, long bucketBytes, String inputMember, String targetMember)
        implements Serializable {

    RankData load(int rank) throws IOException { return RankData.load(data, rank, worldSize, inputMember, targetMember); }

    /** The number of steps of one epoch when the smallest rank has {@code minRows} rows. */
    long stepsPerEpoch(long minRows) {
        long steps = minRows / batchSize;
        if (steps == 0) throw new IllegalArgumentException("a rank has only " + minRows + " rows, fewer than batchSize " + batchSize);
        return steps;
    }

    /** Zeroes the gradients, then forward and backward on this rank's batch of {@code step}; returns the local loss. */
    double localBackward(Module m, RankData d, long step, long stepsPerEpoch) {
        m.zeroGrad();
        Tensor out = m.forward(d.inputs(step, stepsPerEpoch, batchSize));
        Tensor l = loss.apply(out, d.targets(step, stepsPerEpoch, batchSize));
        l.backward();
        return l.item();
    }
}
