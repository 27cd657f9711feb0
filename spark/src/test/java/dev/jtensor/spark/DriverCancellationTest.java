package dev.jtensor.spark;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtensor.Tensor;
import dev.jtensor.io.Npy;
import dev.jtensor.io.Npz;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.MSELoss;
import dev.jtensor.nn.Sequential;
import dev.jtensor.optim.SGD;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a notebook or a job server does around a job: cancel it by its own job group; run too many ranks. */
class DriverCancellationTest {
    static JavaSparkContext sc;
    /** Batches and training steps the tasks have run (tasks run in this JVM under local[2]). */
    static final AtomicInteger WORK = new AtomicInteger();

    @BeforeAll
    static void start() { sc = LocalSpark.start("DriverCancellationTest"); }

    @AfterAll
    static void stop() { sc.stop(); }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Runs {@code job} on a thread that set the caller's job group {@code group}; returns what it threw. */
    static Thread inGroup(String group, Supplier<?> job, AtomicReference<Throwable> thrown, AtomicReference<String> groupAfter) {
        Thread t = new Thread(() -> {
            sc.setJobGroup(group, "a notebook cell", false);
            try {
                job.get();
            } catch (Throwable e) {
                thrown.set(e);
            } finally {
                groupAfter.set(sc.getLocalProperty("spark.jobGroup.id") + " " + sc.getLocalProperty("spark.job.interruptOnCancel")
                        + " " + sc.getLocalProperty("spark.job.description") + " " + sc.getJobTags());
            }
        });
        t.start();
        return t;
    }

    /** Cancels {@code group} once the tasks are working; returns the seconds until the call threw. */
    static double cancelWhenBusy(String group, Thread caller) throws InterruptedException {
        long waitStart = System.nanoTime();
        while (WORK.get() < 6 && System.nanoTime() - waitStart < 20_000_000_000L) Thread.sleep(10);
        assertTrue(WORK.get() >= 6, "the tasks never started working");
        long t0 = System.nanoTime();
        sc.cancelJobGroup(group);
        caller.join(10_000);
        assertFalse(caller.isAlive(), "the call did not return after the cancel");
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Nothing works any more, and both slots take a new job at once. */
    static void assertTasksGoneAndSlotsFree() {
        int work = WORK.get();
        pause(300);
        assertEquals(work, WORK.get(), "a task kept working after the call threw");
        long t0 = System.nanoTime();
        assertEquals(2, sc.parallelize(List.of(1, 2), 2).map(x -> x).count());
        // a slot still held would delay this job until the training's end, 20 s later
        assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "the slots were not free");
    }

    static String messages(Throwable e) {
        return Stream.iterate(e, t -> t != null, Throwable::getCause).map(String::valueOf).reduce("", (a, b) -> a + "\n" + b);
    }

    @Test
    void cancellingTheCallersGroupStopsInferenceAndLeavesNothing(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        for (int i = 0; i < 2; i++) Npy.save(in.resolve("s" + i + ".npy"), ones(400, 3));
        ShardDataset data = ShardDataset.open(sc, in.toString());
        Path out = tmp.resolve("out");
        WORK.set(0);
        var thrown = new AtomicReference<Throwable>();
        var groupAfter = new AtomicReference<String>();
        Thread caller = inGroup("cell-7", () -> BatchInference.of(x -> {
            WORK.incrementAndGet();
            pause(20); // 100 batches: 2 s per shard
            return x.mul(2);
        }).batchSize(4).run(sc, data, out.toString()), thrown, groupAfter);

        double seconds = cancelWhenBusy("cell-7", caller);

        assertNotNull(thrown.get(), "inference ran to completion despite the cancel");
        assertTrue(messages(thrown.get()).contains("cancel"), messages(thrown.get()));
        assertTrue(seconds < 2, "took " + seconds + " s");
        assertEquals("cell-7 false a notebook cell []", groupAfter.get(), "the caller's job group or properties changed");
        assertTasksGoneAndSlotsFree();
        try (Stream<Path> left = Files.walk(out)) {
            assertEquals(List.of(out), left.toList(), "output or _temporary left behind");
        }
    }

    static Sequential net() { return new Sequential(new Linear(3, 4), new Linear(4, 1)); }

    static Tensor slowLoss(Tensor out, Tensor y) {
        WORK.incrementAndGet();
        pause(30);
        return new MSELoss().forward(out, y);
    }

    static ShardDataset trainingShards(Path dir, int shards) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < shards; i++) Npz.save(dir.resolve("t" + i + ".npz"), Map.of("x", ones(64, 3), "y", zeros(64, 1)));
        return ShardDataset.open(sc, dir.toString());
    }

    @Test
    void cancellingTheCallersGroupStopsTheRanksAndFreesTheirSlots(@TempDir Path tmp) throws Exception {
        ShardDataset data = trainingShards(tmp.resolve("train"), 2);
        WORK.set(0);
        var thrown = new AtomicReference<Throwable>();
        var groupAfter = new AtomicReference<String>();
        var training = DataParallelTraining.of(DriverCancellationTest::net, p -> new SGD(p, 0.01), DriverCancellationTest::slowLoss)
                .batchSize(4).epochs(50).timeout(Duration.ofSeconds(30)); // 800 steps of 30 ms
        Thread caller = inGroup("cell-8", () -> training.fit(sc, data), thrown, groupAfter);

        double seconds = cancelWhenBusy("cell-8", caller);

        assertNotNull(thrown.get(), "training ran to completion despite the cancel");
        assertTrue(seconds < 2, "took " + seconds + " s");
        assertEquals("cell-8 false a notebook cell []", groupAfter.get(), "the caller's job group or properties changed");
        assertTasksGoneAndSlotsFree();
    }

    @Test
    void moreRanksThanSlotsFailsAtOnceNamingBothNumbers(@TempDir Path tmp) throws Exception {
        ShardDataset data = trainingShards(tmp.resolve("train"), 4);
        long t0 = System.nanoTime();
        var e = assertThrows(IllegalStateException.class,
                () -> DataParallelTraining.of(DriverCancellationTest::net, p -> new SGD(p, 0.01), (o, y) -> new MSELoss().forward(o, y))
                        .fit(sc, data)); // one rank per shard: 4 ranks on local[2]
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "the slot check took more than 5 s");
        assertTrue(e.getMessage().contains("with 4 ranks needs 4 task slots") && e.getMessage().contains("has only 2")
                && e.getMessage().contains("ranks(2)"), e.getMessage());
    }
}
