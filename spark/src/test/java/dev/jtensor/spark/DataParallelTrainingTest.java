package dev.jtensor.spark;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtensor.Generator;
import dev.jtensor.Tensor;
import dev.jtensor.io.Npz;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.MSELoss;
import dev.jtensor.nn.Module;
import dev.jtensor.nn.Sequential;
import dev.jtensor.nn.Tanh;
import dev.jtensor.optim.Optimizer;
import dev.jtensor.optim.SGD;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two ranks on embedded Spark against one process training on the whole batch. */
class DataParallelTrainingTest {
    static final int ROWS = 48;
    static final int BATCH = 16;
    static final int EPOCHS = 2;
    static JavaSparkContext sc;
    @TempDir static Path tmp;
    static ShardDataset data;
    static List<Tensor> xs = new ArrayList<>();
    static List<Tensor> ys = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        sc = LocalSpark.start("DataParallelTrainingTest", true); // Kryo here, Java serialization in BatchInferenceTest
        manualSeed(5);
        Path dir = tmp.resolve("train");
        Files.createDirectories(dir);
        Tensor w = tensor(new float[][] {{1.5f}, {-2f}, {0.5f}, {3f}});
        for (int i = 0; i < 2; i++) {
            Tensor x = randn(ROWS, 4);
            Tensor y = x.matmul(w).add(randn(ROWS, 1).mul(0.1));
            xs.add(x);
            ys.add(y);
            Npz.save(dir.resolve("shard-" + i + ".npz"), Map.of("x", x, "y", y));
        }
        data = ShardDataset.open(sc, dir.toString());
    }

    @AfterAll
    static void stop() { sc.stop(); }

    /**
     * Each rank seeds differently: only rank 0's weights may survive the initial broadcast. The tasks of
     * one executor share the JVM's default generator (as PyTorch's threads share theirs), so seeding and
     * drawing hold it together: no other task's draws come in between.
     */
    static Module model() {
        TaskContext ctx = TaskContext.get();
        return Generator.defaultGenerator().locked(() -> {
            manualSeed(100 + (ctx == null ? 0 : ctx.partitionId()));
            return new Sequential(new Linear(4, 8), new Tanh(), new Linear(8, 1));
        });
    }

    static Optimizer sgd(List<Tensor> params) { return new SGD(params, 0.05); }

    static Tensor mse(Tensor out, Tensor y) { return new MSELoss().forward(out, y); }

    static DataParallelTraining training() {
        return DataParallelTraining.of(DataParallelTrainingTest::model, DataParallelTrainingTest::sgd, DataParallelTrainingTest::mse)
                .batchSize(BATCH).epochs(EPOCHS).timeout(Duration.ofSeconds(20)).bucketBytes(128);
    }

    /** One process, global batch = rank 0's rows then rank 1's rows of the same step. */
    static TrainingResult singleProcess() {
        Module m = model();
        Optimizer opt = sgd(m.parameters());
        int perEpoch = ROWS / BATCH;
        double[] losses = new double[perEpoch * EPOCHS];
        for (int s = 0; s < losses.length; s++) {
            int from = s % perEpoch * BATCH;
            Tensor x = cat(xs.get(0).narrow(0, from, BATCH), xs.get(1).narrow(0, from, BATCH));
            Tensor y = cat(ys.get(0).narrow(0, from, BATCH), ys.get(1).narrow(0, from, BATCH));
            opt.zeroGrad();
            Tensor loss = mse(m.forward(x), y);
            loss.backward();
            losses[s] = loss.item();
            opt.step();
        }
        return new TrainingResult(m.stateDict(), losses);
    }

    static void assertSameTraining(TrainingResult expected, TrainingResult got, double tol) {
        assertEquals(expected.stateDict().keySet(), got.stateDict().keySet());
        expected.stateDict().forEach((k, v) ->
                assertTrue(got.stateDict().get(k).allclose(v, tol, tol), k + ": " + got.stateDict().get(k) + " vs " + v));
        assertArrayEquals(expected.losses(), got.losses(), tol * 10);
    }

    @Test
    void twoRanksOverTheRingEqualOneProcess() {
        TrainingResult ring = training().fit(sc, data);
        assertEquals(ROWS / BATCH * EPOCHS, ring.losses().length);
        assertTrue(ring.losses()[ring.losses().length - 1] < ring.losses()[0], "loss did not fall");
        assertSameTraining(singleProcess(), ring, 1e-5);
    }

    @Test
    void ringAndTreeAggregateAgree() {
        TrainingResult ring = training().fit(sc, data);
        TrainingResult tree = training().collective(DataParallelTraining.Collective.TREE_AGGREGATE).fit(sc, data);
        assertSameTraining(ring, tree, 1e-6);
    }

    /** Throws on rank 1 at step 2 of the stage's first {@code failingAttempts} attempts, as a rank whose task dies. */
    static final class DyingLoss implements LossFunction {
        private final int failingAttempts;
        private int calls;

        DyingLoss(int failingAttempts) { this.failingAttempts = failingAttempts; }

        @Override
        public Tensor apply(Tensor out, Tensor y) {
            TaskContext ctx = TaskContext.get();
            if (ctx.partitionId() == 1 && ctx.stageAttemptNumber() < failingAttempts && calls++ == 2) {
                throw new IllegalStateException("rank 1 lost its executor");
            }
            return mse(out, y);
        }
    }

    @Test
    void aRankThatDiesOnceIsRetriedWithTheWholeStage() {
        var training = DataParallelTraining.of(DataParallelTrainingTest::model, DataParallelTrainingTest::sgd, new DyingLoss(1))
                .batchSize(BATCH).epochs(EPOCHS).timeout(Duration.ofSeconds(5));
        assertSameTraining(singleProcess(), training.fit(sc, data), 1e-5);
    }

    @Test
    void aRankThatDiesFailsTheStageNamingTheRank() {
        var training = DataParallelTraining.of(DataParallelTrainingTest::model, DataParallelTrainingTest::sgd, new DyingLoss(Integer.MAX_VALUE))
                .batchSize(BATCH).timeout(Duration.ofSeconds(5));
        long t0 = System.nanoTime();
        Exception e = assertThrows(Exception.class, () -> training.fit(sc, data));
        String message = Stream.iterate((Throwable) e, t -> t != null, Throwable::getCause)
                .map(String::valueOf).reduce("", (a, b) -> a + "\n" + b);
        // whichever Spark reports first: rank 1's own failure, or rank 0 losing rank 1 mid all-reduce
        assertTrue(message.contains("rank 1 of 2 failed at step 2 (epoch 0, batch rows 32..48 of the rank's 48; shards file:")
                || message.contains("rank 0 of 2 failed at step 2") && message.contains("java.io.IOException: rank 0: rank 1 closed the connection"), message);
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "failure took too long");
        // the context survives for the next job
        assertEquals(2, sc.parallelize(List.of(1, 2), 2).count());
    }
}
