package dev.jtensor.bench;

import dev.jtensor.Tensor;
import dev.jtensor.io.Npy;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * .npy I/O on a 1 GiB float32 file (2^28 elements): {@code Npy.map} (+ close), summing a mapped file,
 * {@code Npy.load}, {@code Npy.save}. NumPy's side on the same file: bench/npy_numpy_bench.py.
 * Saves run with {@code -Djtensor.io.fsync=false}, as np.save does not fsync either.
 * The file lives in {@code -Djtensor.bench.dir} (default java.io.tmpdir) and is deleted at the end.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Djtensor.io.fsync=false", "-Xmx2g"})
public class NpyBench {
    @Param({"268435456"})
    public long elements;

    private Path file;
    private Path out;
    private Tensor loaded;

    @Setup(Level.Trial)
    public void writeFile() throws IOException {
        Path dir = Path.of(System.getProperty("jtensor.bench.dir", System.getProperty("java.io.tmpdir")));
        file = dir.resolve("npybench-1gib.npy");
        out = dir.resolve("npybench-out.npy");
        if (!Files.exists(file) || Files.size(file) != 128 + elements * 4) writeRamp(file, elements);
        Npy.map(file).close(); // first call: class loading and JIT, reported apart
        long rss0 = rssKiB();
        long t0 = System.nanoTime();
        Tensor m = Npy.map(file);
        long t1 = System.nanoTime();
        long rss1 = rssKiB();
        double sum = sumSegment(dev.jtensor.internal.Tensors.storage(m).segment());
        long rss2 = rssKiB();
        System.out.printf("%nNpy.map of %d bytes: %.1f us, VmRSS before %d KiB, after map %d KiB (+%d KiB),"
                + " after summing every element %d KiB (+%d KiB; sum %.0f)%n",
                Files.size(file), (t1 - t0) / 1e3, rss0, rss1, rss1 - rss0, rss2, rss2 - rss0, sum);
        m.close();
        loaded = Npy.load(file);
    }

    /** A real (not sparse) file: float32 values i % 1000, written in 4 MiB blocks. */
    static void writeRamp(Path p, long n) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ",), }";
            ByteBuffer h = ByteBuffer.allocate(128);
            h.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0}).put(dict.getBytes());
            while (h.position() < 127) h.put((byte) ' ');
            h.put((byte) '\n').flip();
            ch.write(h);
            ByteBuffer block = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < n; ) {
                block.clear();
                while (block.hasRemaining() && i < n) block.putFloat((float) (i++ % 1000));
                block.flip();
                while (block.hasRemaining()) ch.write(block);
            }
        }
    }

    static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return -1;
    }

    @TearDown(Level.Trial)
    public void deleteFiles() throws IOException {
        loaded.close();
        Files.deleteIfExists(out);
        if (!Boolean.getBoolean("jtensor.bench.keep")) Files.deleteIfExists(file);
    }

    /** Map and unmap: no data is read. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long mapAndClose() throws IOException {
        try (Tensor t = Npy.map(file)) {
            return t.numel();
        }
    }

    /**
     * Map, sum every element, unmap: page faults included. A plain segment loop with 8 accumulators
     * (the engine's t.sum() is still the bootstrap reference loop; see mappedTensorSum).
     */
    @Benchmark
    public double mapSumClose() throws IOException {
        try (Tensor t = Npy.map(file)) {
            return sumSegment(dev.jtensor.internal.Tensors.storage(t).segment());
        }
    }

    static double sumSegment(MemorySegment s) {
        long n = s.byteSize() / 4;
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        long i = 0;
        for (; i + 8 <= n; i += 8) {
            long b = i * 4;
            a0 += s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, b);
            a1 += s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, b + 4);
            a2 += s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, b + 8);
            a3 += s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, b + 12);
            a4 += s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, b + 16);
            a5 += s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, b + 20);
            a6 += s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, b + 24);
            a7 += s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, b + 28);
        }
        for (; i < n; i++) a0 += s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, i * 4);
        return (double) a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
    }

    /** The engine's own reduction on the mapped tensor. */
    @Benchmark
    public double mappedTensorSum() throws IOException {
        try (Tensor t = Npy.map(file)) {
            return t.sum().item();
        }
    }

    @Benchmark
    public long load() throws IOException {
        try (Tensor t = Npy.load(file)) {
            return t.numel();
        }
    }

    @Benchmark
    public void save() throws IOException {
        Npy.save(out, loaded);
    }
}
