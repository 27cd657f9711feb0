package dev.jtensor.spark;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One rank's share of a training set: shards {@code rank, rank + W, rank + 2W, ...} of a dataset of
 * {@code .npz} shards, their inputs and targets concatenated in shard order (as DDP's
 * {@code DistributedSampler} without shuffling). Step {@code s} uses rows {@code [sB, sB + B)} of an epoch.
 */
record RankData(Tensor inputs, Tensor targets) {

    static RankData load(ShardDataset data, int rank, int worldSize, String inputMember, String targetMember) throws IOException {
        List<Tensor> xs = new ArrayList<>();
        List<Tensor> ys = new ArrayList<>();
        for (Shard s : data.shards()) {
            if (s.index() % worldSize != rank) continue;
            try (ShardReader r = data.read(s)) {
                Tensor x = r.array(inputMember);
                Tensor y = r.array(targetMember);
                if (x.size(0) != y.size(0)) {
                    throw new IllegalArgumentException("shard " + s.uri() + ": '" + inputMember + "' has " + x.size(0)
                            + " rows but '" + targetMember + "' has " + y.size(0));
                }
                xs.add(x.clone());
                ys.add(y.clone());
            }
        }
        if (xs.isEmpty()) throw new IllegalArgumentException("rank " + rank + " of " + worldSize + " has no shard (" + data.size() + " shards)");
        return new RankData(xs.size() == 1 ? xs.get(0) : Jt.cat(xs, 0), ys.size() == 1 ? ys.get(0) : Jt.cat(ys, 0));
    }

    long rows() { return inputs.size(0); }

    /** The inputs of step {@code step} (counted over all epochs) with {@code stepsPerEpoch} steps an epoch. */
    Tensor inputs(long step, long stepsPerEpoch, int batchSize) { return inputs.narrow(0, step % stepsPerEpoch * batchSize, batchSize); }

    Tensor targets(long step, long stepsPerEpoch, int batchSize) { return targets.narrow(0, step % stepsPerEpoch * batchSize, batchSize); }
}
