package dev.jtensor.spark;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One rank's share of a training set: shards {@code rank, rank + W, rank + 2W, ...} of a dataset of
 * {@code .npz} shards, their inputs and targets concatenated in shard order. Floating-point arrays are
 * converted to float32 (the dtype data-parallel training requires of the model's parameters); integer
 * targets (class indices) stay as they are. An epoch visits the rows in order, or, with shuffling, in a
 * seeded permutation drawn for that epoch and rank ({@link #permutation}); position {@code p} of a padded
 * epoch (past the rank's rows) repeats position {@code p mod rows}.
 */
final class RankData implements AutoCloseable {
    private final int rank;
    private final Tensor inputs;
    private final Tensor targets;
    private final String shards;
    private long cachedEpoch = -1;
    private long[] cachedOrder;

    private RankData(int rank, Tensor inputs, Tensor targets, String shards) {
        this.rank = rank;
        this.inputs = inputs;
        this.targets = targets;
        this.shards = shards;
    }

    static RankData load(ShardDataset data, int rank, int worldSize, String inputMember, String targetMember) throws IOException {
        List<Tensor> xs = new ArrayList<>();
        List<Tensor> ys = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Shard s : data.shards()) {
            if (s.index() % worldSize != rank) continue;
            names.add(s.uri());
            try (ShardReader r = data.read(s)) {
                Tensor x = r.array(inputMember);
                Tensor y = r.array(targetMember);
                if (x.size(0) != y.size(0)) {
                    throw new IllegalArgumentException("shard " + s.uri() + ": '" + inputMember + "' has " + x.size(0)
                            + " rows but '" + targetMember + "' has " + y.size(0));
                }
                xs.add(asFloat32(x));
                ys.add(asFloat32(y));
            }
        }
        if (xs.isEmpty()) throw new IllegalArgumentException("rank " + rank + " of " + worldSize + " has no shard (" + data.size() + " shards)");
        Tensor x = xs.size() == 1 ? xs.get(0) : Jt.cat(xs, 0);
        Tensor y = ys.size() == 1 ? ys.get(0) : Jt.cat(ys, 0);
        return new RankData(rank, x, y, String.join(", ", names));
    }

    /** An owned copy of a mapped array: floating point as float32, anything else as stored. */
    private static Tensor asFloat32(Tensor t) {
        return t.dtype().isFloatingPoint() && t.dtype() != DType.FLOAT32 ? t.to(DType.FLOAT32) : t.clone();
    }

    long rows() { return inputs.size(0); }

    /** The URIs of this rank's shards, for messages. */
    String shards() { return shards; }

    /**
     * Inputs and targets at positions {@code [from, to)} of epoch {@code epoch}'s order.
     *
     * @param shuffle whether the epoch's order is {@link #permutation}{@code (seed, epoch, rank, rows)}
     */
    Tensor[] batch(long epoch, long from, long to, boolean shuffle, long seed) {
        long n = rows();
        if (!shuffle && to <= n) return new Tensor[] {inputs.narrow(0, from, to - from), targets.narrow(0, from, to - from)};
        long[] order = null;
        if (shuffle) {
            if (cachedEpoch != epoch) {
                cachedOrder = permutation(seed, epoch, rank, n);
                cachedEpoch = epoch;
            }
            order = cachedOrder;
        }
        long[] idx = new long[Math.toIntExact(to - from)];
        for (int i = 0; i < idx.length; i++) {
            long p = (from + i) % n;
            idx[i] = order == null ? p : order[(int) p];
        }
        Tensor index = Jt.tensor(idx);
        return new Tensor[] {inputs.indexSelect(0, index), targets.indexSelect(0, index)};
    }

    /**
     * The order of rank {@code rank}'s {@code rows} rows in epoch {@code epoch} with shuffling: a
     * Fisher-Yates permutation driven by a jtensor {@link Generator} seeded from {@code (seed, epoch, rank)}
     * (the role of {@code DistributedSampler(shuffle=True, seed)} with {@code set_epoch(epoch)}): the same
     * on every run and every machine, different each epoch.
     */
    static long[] permutation(long seed, long epoch, int rank, long rows) {
        long mixed = seed * 0x9E3779B97F4A7C15L + epoch;
        mixed = mixed * 0x9E3779B97F4A7C15L + rank;
        Generator g = new Generator(mixed);
        long[] order = new long[Math.toIntExact(rows)];
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int i = order.length - 1; i > 0; i--) {
            int j = (int) Long.remainderUnsigned(g.random64(), i + 1);
            long t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Frees the rank's copies of its data. */
    @Override
    public void close() {
        inputs.close();
        targets.close();
    }
}
