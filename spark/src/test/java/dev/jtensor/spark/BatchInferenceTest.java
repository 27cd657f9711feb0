package dev.jtensor.spark;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.io.Npy;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.Module;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sharded inference on embedded Spark against the same loop in this JVM. */
class BatchInferenceTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void start() { sc = LocalSpark.start("BatchInferenceTest"); }

    @AfterAll
    static void stop() { sc.stop(); }

    static Module mlp() { return new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 4)); }

    static void writeShards(Path dir, long... rows) throws IOException {
        manualSeed(3);
        Files.createDirectories(dir);
        for (int i = 0; i < rows.length; i++) Npy.save(dir.resolve(String.format("shard-%02d.npy", i)), randn(rows[i], 8));
    }

    @Test
    void inferenceOverShardsEqualsOneJvmBitForBit(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        writeShards(in, 100, 37, 64);
        manualSeed(11);
        Module reference = mlp();
        Path weights = tmp.resolve("mlp.npz");
        reference.save(weights);
        reference.eval();

        ExecutorModel model = ExecutorModel.fromStateDict(sc, BatchInferenceTest::mlp, weights.toString());
        String out = tmp.resolve("out").toString();
        List<String> parts = BatchInference.of(model).batchSize(32).run(sc, ShardDataset.open(sc, in.toString()), out);

        assertEquals(3, parts.size());
        for (int i = 0; i < 3; i++) {
            Path part = Path.of(out, String.format("part-%05d.npy", i));
            assertTrue(parts.get(i).endsWith(part.getFileName().toString()), parts.get(i));
            Tensor expected;
            try (var _ = Jt.noGrad()) {
                expected = BatchInference.inBatches(reference::forward, Npy.load(in.resolve(String.format("shard-%02d.npy", i))), 32);
            }
            Tensor got = Npy.load(part);
            assertArrayEquals(expected.shape().toArray(), got.shape().toArray());
            assertTrue(got.equal(expected), "part " + i + " differs from the single-JVM result");
        }
        assertFalse(Files.exists(Path.of(out, "_temporary")), "temporary files left behind");
        assertEquals(1, Jt.getNumThreads(), "threads not matched to spark.task.cpus=1");
    }

    @Test
    void aFunctionOverNpzMembersAndCollect(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        for (int i = 0; i < 2; i++) {
            dev.jtensor.io.Npz.save(in.resolve("s" + i + ".npz"),
                    java.util.Map.of("x", arange(6 * (i + 1)).view(-1, 2).to(dev.jtensor.DType.FLOAT32), "y", zeros(1)));
        }
        String out = tmp.resolve("out").toString();
        BatchInference.of(x -> x.mul(2).sum(1)).batchSize(2).run(sc, ShardDataset.open(sc, in.toString(), "x"), out);
        Tensor all = BatchInference.collect(sc, out);
        assertArrayEquals(new float[] {2, 10, 18, 2, 10, 18, 26, 34, 42}, all.toFloatArray());
    }

    @Test
    void shardsAndOutputOnANonLocalFileSystem(@TempDir Path tmp) throws IOException {
        sc.hadoopConfiguration().set("fs.remote.impl", RemoteLikeFileSystem.class.getName());
        sc.hadoopConfiguration().setBoolean("fs.remote.impl.disable.cache", true);
        Path in = tmp.resolve("in");
        writeShards(in, 10, 7);
        String out = "remote://" + tmp.resolve("out");
        List<String> parts = BatchInference.of(x -> x.add(1)).batchSize(4).run(sc, ShardDataset.open(sc, "remote://" + in), out);
        assertEquals(2, parts.size());
        assertTrue(parts.get(0).startsWith("remote:"), parts.get(0));
        for (int i = 0; i < 2; i++) {
            Tensor expected = Npy.load(in.resolve(String.format("shard-%02d.npy", i))).add(1);
            assertTrue(Npy.load(tmp.resolve("out").resolve(String.format("part-%05d.npy", i))).equal(expected), "part " + i);
        }
        assertFalse(Files.exists(tmp.resolve("out/_temporary")));
    }

    @Test
    void aCorruptShardFailsNamingFileAndOffsetAndLeavesNoOutput(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        writeShards(in, 50, 50);
        Path bad = in.resolve("shard-01.npy");
        byte[] bytes = Files.readAllBytes(bad);
        Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length - 100)); // data truncated
        String out = tmp.resolve("out").toString();
        var data = ShardDataset.open(sc, in.toString());
        Exception e = assertThrows(Exception.class, () -> BatchInference.of(x -> x.mul(3)).run(sc, data, out));
        String message = Stream.iterate((Throwable) e, t -> t != null, Throwable::getCause)
                .map(String::valueOf).reduce("", (a, b) -> a + "\n" + b);
        assertTrue(message.contains("shard-01.npy") && message.contains("byte offset"), message);
        try (Stream<Path> left = Files.walk(Path.of(out))) {
            assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "partial output left behind");
        }
    }

    @Test
    void anExistingOutputIsRefused(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        writeShards(in, 4);
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.write(out.resolve("part-00000.npy"), ByteBuffer.allocate(1).array());
        var data = ShardDataset.open(sc, in.toString());
        var e = assertThrows(java.io.UncheckedIOException.class, () -> BatchInference.of(x -> x).run(sc, data, out.toString()));
        assertTrue(e.getMessage().contains("already holds part-00000.npy"), e.getMessage());
    }
}
