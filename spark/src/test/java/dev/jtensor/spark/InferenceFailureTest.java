package dev.jtensor.spark;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.io.Npy;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.Module;
import dev.jtensor.nn.MSELoss;
import dev.jtensor.nn.Sequential;
import dev.jtensor.optim.SGD;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failed inference cleans up after every task, failures name the shard, dtypes and captured tensors. */
class InferenceFailureTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void start() { sc = LocalSpark.start("InferenceFailureTest"); }

    @AfterAll
    static void stop() { sc.stop(); }

    static String messages(Throwable e) { return DriverCancellationTest.messages(e); }

    static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).toList();
        }
    }

    /** Shard 1 fails at its last batch (a negative row) while shard 0 is mid-way through 30 slow batches. */
    static Tensor slowOrFail(Tensor x) {
        if (x.min().item() < 0) throw new IllegalArgumentException("a negative feature");
        DriverCancellationTest.pause(5);
        return x.mul(2);
    }

    @Test
    void aFailingShardWhileAnotherIsMidwayNeverLeavesLeftovers(@TempDir Path tmp) throws IOException {
        List<Path> outs = new ArrayList<>();
        for (int run = 0; run < 20; run++) {
            Path in = tmp.resolve("in" + run);
            Files.createDirectories(in);
            Npy.save(in.resolve("s0.npy"), ones(300, 8));
            int badRows = 1 + run % 4 * 10; // the failure comes at different points of shard 0's work
            Tensor bad = ones(badRows, 8);
            bad.narrow(0, badRows - 1, 1).fill_(-1);
            Npy.save(in.resolve("s1.npy"), bad);
            Path out = tmp.resolve("out" + run);
            outs.add(out);
            var data = ShardDataset.open(sc, in.toString());
            Exception e = assertThrows(Exception.class,
                    () -> BatchInference.of(InferenceFailureTest::slowOrFail).batchSize(10).run(sc, data, out.toString()));
            String m = messages(e);
            long from = (badRows - 1) / 10 * 10;
            assertTrue(m.contains("ShardFailureException: shard 1 file:") && m.contains(in.resolve("s1.npy") + " (torch.float32 [" + badRows
                    + ", 8]) in partition 1, rows " + from + ".." + badRows + " of " + badRows)
                    && m.contains("a negative feature"), m);
            assertEquals(List.of(), filesUnder(out), "run " + run + " left files behind when run() threw");
        }
        DriverCancellationTest.pause(300); // a late task would write now
        for (Path out : outs) assertEquals(List.of(), filesUnder(out), "a task wrote after the abort");
    }

    static Module mlp() { return new Sequential(new Linear(8, 16), new Linear(16, 2)); }

    @Test
    void aFloat64ShardIsConvertedToTheModelsDtype(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        manualSeed(21);
        Tensor x64 = randn(new long[] {30, 8}, DType.FLOAT64);
        Npy.save(in.resolve("s0.npy"), x64);
        manualSeed(4);
        Module reference = mlp();
        Path weights = tmp.resolve("w.npz");
        reference.save(weights);
        reference.eval();
        ExecutorModel model = ExecutorModel.fromStateDict(sc, InferenceFailureTest::mlp, weights.toString());
        String out = tmp.resolve("out").toString();
        BatchInference.of(model).batchSize(8).run(sc, ShardDataset.open(sc, in.toString()), out);
        Tensor got = Npy.load(Path.of(out, "part-00000.npy"));
        Tensor expected;
        try (var _ = Jt.noGrad()) {
            expected = BatchInference.inBatches(reference::forward, x64.to(DType.FLOAT32), 8);
        }
        assertEquals(DType.FLOAT32, got.dtype());
        assertTrue(got.equal(expected), "the converted shard's result differs from the float32 model's");
    }

    @Test
    void aFloat64ShardThroughAFloat32FunctionNamesTheShardAndRows(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        Npy.save(in.resolve("a.npy"), ones(new long[] {12, 4}, DType.FLOAT32));
        Npy.save(in.resolve("b.npy"), ones(new long[] {12, 4}, DType.FLOAT64));
        TensorBroadcast w = TensorBroadcast.of(sc, Map.of("w", ones(4, 2)));
        try {
            var data = ShardDataset.open(sc, in.toString());
            Exception e = assertThrows(Exception.class, () -> BatchInference.of(x -> x.matmul(w.get("w"))).batchSize(5)
                    .run(sc, data, tmp.resolve("out").toString()));
            String m = messages(e);
            assertTrue(m.contains("ShardFailureException: shard 1 file:") && m.contains("b.npy (torch.float64 [12, 4]) in partition 1, rows 0..5 of 12")
                    && m.contains("dtype"), m);
            assertEquals(List.of(), filesUnder(tmp.resolve("out")));

            Path alone = tmp.resolve("alone"); // the float32 shard alone: the broadcast weights work
            Files.createDirectories(alone);
            Files.copy(in.resolve("a.npy"), alone.resolve("a.npy"));
            String out = tmp.resolve("out2").toString();
            BatchInference.of(x -> x.matmul(w.get("w"))).batchSize(5).run(sc, ShardDataset.open(sc, alone.toString()), out);
            assertTrue(BatchInference.collect(sc, out).equal(full(new long[] {12, 2}, 4.0)));
        } finally {
            w.destroy();
        }
    }

    @Test
    void aTensorCapturedInAClosureGetsTheDocumentedWay(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        Npy.save(in.resolve("a.npy"), ones(4, 4));
        var data = ShardDataset.open(sc, in.toString());
        Tensor w = ones(4, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> BatchInference.of(x -> x.matmul(w)).run(sc, data, tmp.resolve("o").toString()));
        assertTrue(e.getMessage().contains("captures a dev.jtensor.Tensor") && e.getMessage().contains("TensorBroadcast.of(sc"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("o")), "output prepared before the check");

        Module captured = mlp();
        var t = assertThrows(IllegalArgumentException.class, () -> DataParallelTraining.of(() -> captured, p -> new SGD(p, 0.1),
                (o, y) -> new MSELoss().forward(o, y)).fit(sc, data));
        assertTrue(t.getMessage().startsWith("the model factory captures a dev.jtensor.nn."), t.getMessage());
    }
}
