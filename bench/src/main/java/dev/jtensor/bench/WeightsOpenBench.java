package dev.jtensor.bench;

import dev.jtensor.Tensor;
import dev.jtensor.io.MappedWeights;
import dev.jtensor.io.Npz;
import dev.jtensor.io.Safetensors;
import dev.jtensor.io.TorchFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Opening a large checkpoint and reading one tensor, per format: wall time and RSS growth, each measurement in a
 * fresh JVM (so that nothing earlier is resident), beside {@code torch.load} of the same {@code .pt} by PyTorch
 * 1.13 ({@code /usr/bin/python3}; it reads the whole file, having no mmap loading). A measured harness, not JMH:
 * opening happens once per process, and RSS is the point.
 *
 * <pre>
 * source tools/jdk-env.sh
 * mvn_plain -o -q -B -pl bench -am compile
 * mvn_plain -o -q -B -pl bench dependency:build-classpath -Dmdep.outputFile=target/bench.cp
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/classes:engine/target/classes:$(cat bench/target/bench.cp) \
 *     dev.jtensor.bench.WeightsOpenBench [MiB] [dir]
 * </pre>
 * ({@code dir} needs about 3 x MiB free: the three formats are kept between runs; delete them after.)
 * {@code MiB} (default 2048) sizes the checkpoint: 64 float32 tensors {@code layers.<i>.weight} of MiB/64 each. The
 * files ({@code weights-bench.safetensors}, {@code .pt}, {@code .npz}) are generated in {@code dir} (default
 * java.io.tmpdir) at the first run, the safetensors file streamed and the others written from its mapping, and are
 * kept for later runs. The page cache is warm for every row alike (the files were just written or read).
 */
public final class WeightsOpenBench {
    private static final int TENSORS = 64;
    private static final String PROBE = "layers.37.weight";

    private WeightsOpenBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--measure")) {
            measure(args[1], Path.of(args[3]), Path.of(args[2]));
            return;
        }
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 2048;
        Path dir = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir"));
        Path[] big = generate(dir, mib), warm = generate(dir, 1);
        System.out.printf("checkpoint: %d tensors of %d float32 (%d MiB); reading %s%n", TENSORS, mib * (1L << 18) / TENSORS, mib, PROBE);
        String[] formats = {"safetensors", "torch", "npz"};
        for (int i = 0; i < formats.length; i++) System.out.println(child(formats[i], warm[i], big[i]));
        System.out.println(torchLoad(warm[1], big[1]));
    }

    /** The checkpoint of {@code mib} MiB in each format (safetensors, .pt, .npz), written unless already there. */
    private static Path[] generate(Path dir, long mib) throws IOException {
        Path st = dir.resolve("weights-bench-" + mib + ".safetensors");
        Path pt = dir.resolve("weights-bench-" + mib + ".pt");
        Path npz = dir.resolve("weights-bench-" + mib + ".npz");
        if (!Files.exists(st)) writeSafetensors(st, mib * (1L << 20) / TENSORS / 4);
        try (MappedWeights m = Safetensors.map(st)) {
            if (!Files.exists(pt)) TorchFiles.save(pt, m);
            if (!Files.exists(npz)) Npz.save(npz, m);
        }
        return new Path[] {st, pt, npz};
    }

    /** Runs {@link #measure} in a fresh JVM with this one's class path and options. */
    private static String child(String format, Path warm, Path file) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WeightsOpenBench.class.getName(), "--measure", format, warm.toString(),
                file.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out;
    }

    /** Opens {@code warm} (a 1 MiB checkpoint: class loading and first compilation are not the format's cost), then measures {@code file}. */
    private static void measure(String format, Path file, Path warm) throws IOException {
        for (int i = 0; i < 3; i++) open(format, warm).get(PROBE).sum().item();
        long rss0 = rssKiB(), t0 = System.nanoTime();
        Map<String, Tensor> m = open(format, file);
        long t1 = System.nanoTime(), rss1 = rssKiB();
        double sum = m.get(PROBE).sum().item();
        long t2 = System.nanoTime(), rss2 = rssKiB();
        System.out.printf("jtensor %-11s open %9.3f ms  RSS +%8d KiB | read %s %8.3f ms  RSS +%8d KiB (sum %.1f)%n", format,
                (t1 - t0) / 1e6, rss1 - rss0, PROBE, (t2 - t1) / 1e6, rss2 - rss0, sum);
    }

    private static Map<String, Tensor> open(String format, Path file) throws IOException {
        return switch (format) {
            case "safetensors" -> Safetensors.map(file);
            case "npz" -> Npz.load(file);
            default -> TorchFiles.loadStateDict(file);
        };
    }

    /** PyTorch 1.13's torch.load of the same file, measured the same way in its own process (after loading {@code warm}). */
    private static String torchLoad(Path warm, Path pt) throws IOException, InterruptedException {
        String py = String.join("\n", "import time, torch",
                "def rss():",
                "    return int([l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1])",
                "torch.load('" + warm + "', weights_only=True)['" + PROBE + "'].sum().item()",
                "r0 = rss(); t0 = time.perf_counter()",
                "sd = torch.load('" + pt + "', weights_only=True)",
                "t1 = time.perf_counter(); r1 = rss()",
                "s = sd['" + PROBE + "'].sum().item()",
                "t2 = time.perf_counter(); r2 = rss()",
                "print('torch.load  %-11s open %9.3f ms  RSS +%8d KiB | read %s %8.3f ms  RSS +%8d KiB (sum %.1f)' % ('(1.13)',"
                        + " (t1-t0)*1e3, r1-r0, '" + PROBE + "', (t2-t1)*1e3, r2-r0, s))");
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", py).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "torch.load: /usr/bin/python3 not runnable (" + e.getMessage() + ")";
        }
    }

    /** Streams a safetensors file of TENSORS float32 tensors (values i % 1000) without holding them in memory. */
    static void writeSafetensors(Path p, long perTensor) throws IOException {
        StringBuilder json = new StringBuilder("{");
        long bytes = perTensor * 4;
        for (int i = 0; i < TENSORS; i++) {
            if (i > 0) json.append(',');
            json.append("\"layers.").append(i).append(".weight\":{\"dtype\":\"F32\",\"shape\":[").append(perTensor)
                    .append("],\"data_offsets\":[").append(i * bytes).append(',').append((i + 1) * bytes).append("]}");
        }
        json.append('}');
        while (json.length() % 8 != 0) json.append(' ');
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length()).flip());
            ch.write(ByteBuffer.wrap(json.toString().getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer block = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
            long total = perTensor * TENSORS;
            for (long i = 0; i < total; ) {
                block.clear();
                while (block.hasRemaining() && i < total) block.putFloat((float) (i++ % 1000));
                block.flip();
                while (block.hasRemaining()) ch.write(block);
            }
        }
    }

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }
}
