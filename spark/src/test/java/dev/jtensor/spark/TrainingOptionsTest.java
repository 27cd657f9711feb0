package dev.jtensor.spark;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.io.Npz;
import dev.jtensor.nn.Module;
import dev.jtensor.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-epoch shuffling and PyTorch's padding of uneven ranks, against one process on the same batches. */
class TrainingOptionsTest {
    static JavaSparkContext sc;
    @TempDir static Path tmp;

    @BeforeAll
    static void start() { sc = LocalSpark.start("TrainingOptionsTest", true); }

    @AfterAll
    static void stop() { sc.stop(); }

    /** Two shards with {@code rows[i]} rows each, stored as {@code dtype}; returns x and y per rank in float32. */
    static ShardDataset shards(String name, DType dtype, List<Tensor> xs, List<Tensor> ys, int... rows) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        manualSeed(8);
        Tensor w = tensor(new float[][] {{1.5f}, {-2f}, {0.5f}, {3f}});
        for (int i = 0; i < rows.length; i++) {
            Tensor x = randn(rows[i], 4);
            Tensor y = x.matmul(w).add(randn(rows[i], 1).mul(0.1));
            Npz.save(dir.resolve("shard-" + i + ".npz"), Map.of("x", x.to(dtype), "y", y.to(dtype)));
            xs.add(x.to(dtype).to(DType.FLOAT32));
            ys.add(y.to(dtype).to(DType.FLOAT32));
        }
        return ShardDataset.open(sc, dir.toString());
    }

    /**
     * One process: step {@code s} of epoch {@code e} concatenates each rank's rows at positions
     * {@code [sB, sB+B)} of its epoch order (its permutation when shuffling; position p past the rank's rows
     * repeats p mod rows), epochs as {@code positions} long.
     */
    static TrainingResult oneProcess(List<Tensor> xs, List<Tensor> ys, int batch, int epochs, long positions, Long seed) {
        Module m = DataParallelTrainingTest.model();
        Optimizer opt = DataParallelTrainingTest.sgd(m.parameters());
        long steps = (positions + batch - 1) / batch;
        List<Double> losses = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            for (long s = 0; s < steps; s++) {
                List<Tensor> bx = new ArrayList<>();
                List<Tensor> by = new ArrayList<>();
                for (int r = 0; r < xs.size(); r++) {
                    long n = xs.get(r).size(0);
                    long[] order = seed == null ? null : RankData.permutation(seed, e, r, n);
                    long to = Math.min(positions, (s + 1) * batch);
                    long[] idx = new long[(int) (to - s * batch)];
                    for (int i = 0; i < idx.length; i++) {
                        long p = (s * batch + i) % n;
                        idx[i] = order == null ? p : order[(int) p];
                    }
                    bx.add(xs.get(r).indexSelect(0, tensor(idx)));
                    by.add(ys.get(r).indexSelect(0, tensor(idx)));
                }
                opt.zeroGrad();
                Tensor loss = DataParallelTrainingTest.mse(m.forward(cat(bx, 0)), cat(by, 0));
                loss.backward();
                losses.add(loss.item());
                opt.step();
            }
        }
        return new TrainingResult(m.stateDict(), losses.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Test
    void shufflingPermutesEachRanksRowsDifferentlyEveryEpoch() throws IOException {
        List<Tensor> xs = new ArrayList<>();
        List<Tensor> ys = new ArrayList<>();
        ShardDataset data = shards("even", DType.FLOAT32, xs, ys, 48, 48);
        TrainingResult ring = DataParallelTrainingTest.training().shuffle(42).fit(sc, data);
        DataParallelTrainingTest.assertSameTraining(oneProcess(xs, ys, 16, 2, 48, 42L), ring, 1e-5);
        assertFalse(java.util.Arrays.equals(RankData.permutation(42, 0, 0, 48), RankData.permutation(42, 1, 0, 48)));
        assertFalse(java.util.Arrays.equals(RankData.permutation(42, 0, 0, 48), RankData.permutation(42, 0, 1, 48)));
        long[] sorted = RankData.permutation(42, 0, 0, 48).clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < 48; i++) assertEquals(i, sorted[i]);
    }

    @Test
    void unevenRanksArePaddedAsPyTorchsSamplerDoesWithAPartialLastBatch() throws IOException {
        List<Tensor> xs = new ArrayList<>();
        List<Tensor> ys = new ArrayList<>();
        // float64 shards: training converts floating-point data to float32
        ShardDataset data = shards("uneven", DType.FLOAT64, xs, ys, 40, 48);
        var training = DataParallelTrainingTest.training().batchSize(20).padUnevenRanks(true).shuffle(3);
        TrainingResult ring = training.fit(sc, data);
        assertEquals(3 * 2, ring.losses().length, "ceil(48 / 20) steps per epoch");
        DataParallelTrainingTest.assertSameTraining(oneProcess(xs, ys, 20, 2, 48, 3L), ring, 1e-5);

        TrainingResult dropped = DataParallelTrainingTest.training().batchSize(20).fit(sc, data);
        assertEquals(2 * 2, dropped.losses().length, "without padding: 40 / 20 full steps per epoch");
        DataParallelTrainingTest.assertSameTraining(oneProcess(xs, ys, 20, 2, 40, null), dropped, 1e-5);
    }
}
