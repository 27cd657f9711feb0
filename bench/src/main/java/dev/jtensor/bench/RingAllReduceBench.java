package dev.jtensor.bench;

import dev.jtensor.spark.ProcessGroup;
import dev.jtensor.spark.RingProcessGroup;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
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
 * jtensor-spark's TCP ring all-reduce of {@code mib} MiB of float32 between 2 ranks on loopback (rank 0 in
 * the benchmark thread, rank 1 in a partner thread, started together through a barrier), against the
 * physical baseline of the same run: a plain blocking socket copy of the same bytes one way between two
 * threads, direct buffers both ends. With 2 ranks the ring sends {@code N/2} bytes each way twice
 * (reduce-scatter, all-gather) and adds {@code N/2} floats, so a ring at the socket limit takes about
 * one one-way copy of {@code N} when both directions overlap. MB/s = {@code mib * 1.048576 / ms * 1000}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Xmx1g"})
public class RingAllReduceBench {
    @Param({"4", "64"})
    public int mib;

    private Arena arena;
    private MemorySegment data0;
    private MemorySegment data1;
    private ProcessGroup rank0;
    private ProcessGroup rank1;
    private SocketChannel copyFrom;
    private SocketChannel copyTo;
    private Thread partner;
    private volatile String partnerWork = "";
    private volatile Throwable partnerFailure;
    private final CyclicBarrier start = new CyclicBarrier(2);
    private final CyclicBarrier done = new CyclicBarrier(2);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        arena = Arena.ofShared();
        long bytes = (long) mib << 20;
        data0 = arena.allocate(bytes, 64);
        data1 = arena.allocate(bytes, 64);
        ServerSocketChannel s0 = RingProcessGroup.listen();
        ServerSocketChannel s1 = RingProcessGroup.listen();
        List<InetSocketAddress> peers = List.of(
                new InetSocketAddress("127.0.0.1", ((InetSocketAddress) s0.getLocalAddress()).getPort()),
                new InetSocketAddress("127.0.0.1", ((InetSocketAddress) s1.getLocalAddress()).getPort()));
        var other = new Thread(() -> {
            try {
                rank1 = RingProcessGroup.connect(1, peers, s1, Duration.ofSeconds(30), 25L << 20);
            } catch (IOException e) {
                partnerFailure = e;
            }
        });
        other.start();
        rank0 = RingProcessGroup.connect(0, peers, s0, Duration.ofSeconds(30), 25L << 20);
        other.join();
        if (partnerFailure != null) throw new IllegalStateException(partnerFailure);

        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            copyFrom = SocketChannel.open(server.getLocalAddress());
            copyTo = server.accept();
        }
        partner = new Thread(this::partnerLoop, "rank-1");
        partner.setDaemon(true);
        partner.start();
    }

    private void partnerLoop() {
        try {
            while (true) {
                start.await();
                switch (partnerWork) {
                    case "ring" -> rank1.allReduceFloats(data1);
                    case "copy" -> {
                        ByteBuffer in = data1.asByteBuffer();
                        while (in.hasRemaining()) copyTo.read(in);
                    }
                    default -> { return; }
                }
                done.await();
            }
        } catch (Exception e) {
            partnerFailure = e;
        }
    }

    private void together(String work, Runnable mine) throws Exception {
        partnerWork = work;
        start.await(30, TimeUnit.SECONDS);
        mine.run();
        done.await(30, TimeUnit.SECONDS);
        if (partnerFailure != null) throw new IllegalStateException(partnerFailure);
    }

    @Benchmark
    public MemorySegment ringAllReduce() throws Exception {
        together("ring", () -> {
            try {
                rank0.allReduceFloats(data0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return data0;
    }

    @Benchmark
    public MemorySegment socketCopy() throws Exception {
        together("copy", () -> {
            try {
                ByteBuffer out = data0.asByteBuffer();
                while (out.hasRemaining()) copyFrom.write(out);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return data1;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        partnerWork = "stop";
        partner.interrupt();
        rank0.close();
        rank1.close();
        copyFrom.close();
        copyTo.close();
    }
}
