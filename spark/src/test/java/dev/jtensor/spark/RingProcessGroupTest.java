package dev.jtensor.spark;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The TCP ring on loopback, ranks as threads of this JVM (no Spark). */
class RingProcessGroupTest {

    interface RankBody { Object run(ProcessGroup g) throws Exception; }

    /** Runs {@code body} on {@code w} connected ranks; returns each rank's result (or its exception). */
    static List<Object> onRanks(int w, Duration timeout, long bucketBytes, RankBody body) throws Exception {
        List<ServerSocketChannel> servers = new ArrayList<>();
        List<InetSocketAddress> peers = new ArrayList<>();
        for (int r = 0; r < w; r++) {
            ServerSocketChannel s = RingProcessGroup.listen();
            servers.add(s);
            peers.add(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) s.getLocalAddress()).getPort()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(w);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (int r = 0; r < w; r++) {
                int rank = r;
                futures.add(pool.submit(() -> {
                    try (ProcessGroup g = RingProcessGroup.connect(rank, peers, servers.get(rank), timeout, bucketBytes)) {
                        return body.run(g);
                    } catch (Exception e) {
                        return e;
                    }
                }));
            }
            List<Object> out = new ArrayList<>();
            for (Future<Object> f : futures) out.add(f.get(60, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void allReduceSumsOverThreeRanksInSeveralBuckets() throws Exception {
        int n = 250_007; // not a multiple of the world size; 1 MB over 64 KiB buckets
        List<Object> results = onRanks(3, Duration.ofSeconds(20), 64 << 10, g -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment s = a.allocate(4L * n, 64);
                for (int i = 0; i < n; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (g.rank() + 1) * (i % 1000));
                g.allReduceFloats(s);
                return s.toArray(ValueLayout.JAVA_FLOAT);
            }
        });
        for (Object r : results) {
            assertInstanceOf(float[].class, r, () -> "rank failed: " + r);
            float[] f = (float[]) r;
            for (int i = 0; i < n; i++) assertEquals(6f * (i % 1000), f[i], "element " + i); // integers: exact in any order
        }
    }

    @Test
    void broadcastCopiesTheRootsBytesToEveryRank() throws Exception {
        int bytes = (5 << 20) / 2 + 3; // several pieces, odd length
        List<Object> results = onRanks(3, Duration.ofSeconds(20), 1 << 20, g -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment s = a.allocate(bytes);
                for (int i = 0; i < bytes; i++) s.set(ValueLayout.JAVA_BYTE, i, (byte) (g.rank() == 1 ? i * 7 : -1));
                g.broadcastBytes(s, 1);
                g.barrier();
                return s.toArray(ValueLayout.JAVA_BYTE);
            }
        });
        for (Object r : results) {
            byte[] b = assertInstanceOf(byte[].class, r, () -> "rank failed: " + r);
            for (int i = 0; i < bytes; i++) assertEquals((byte) (i * 7), b[i], "byte " + i);
        }
    }

    @Test
    void tensorCollectivesWorkOnParametersThatRequireGrad() throws Exception {
        List<Object> results = onRanks(2, Duration.ofSeconds(20), 1 << 20, g -> {
            dev.jtensor.Tensor p = dev.jtensor.Jt.full(new long[] {3, 2}, g.rank() + 1.0).requiresGrad_();
            dev.jtensor.Tensor q = dev.jtensor.Jt.full(new long[] {5}, 10.0 * (g.rank() + 1));
            g.allReduce(p);
            g.broadcast(q, 1);
            return new float[][] {p.toFloatArray(), q.toFloatArray(), {p.requiresGrad() ? 1 : 0}};
        });
        for (Object r : results) {
            float[][] f = assertInstanceOf(float[][].class, r, () -> "rank failed: " + r);
            assertArrayEquals(new float[] {3, 3, 3, 3, 3, 3}, f[0]);
            assertArrayEquals(new float[] {20, 20, 20, 20, 20}, f[1]);
            assertEquals(1, f[2][0], "requires_grad lost");
        }
    }

    @Test
    void aLostPeerFailsTheOthersWithItsRank() throws Exception {
        List<Object> results = onRanks(2, Duration.ofSeconds(20), 1 << 20, g -> {
            if (g.rank() == 1) {
                g.close(); // dies before the collective
                return "gone";
            }
            try (Arena a = Arena.ofConfined()) {
                g.allReduceFloats(a.allocate(4L << 20, 64));
            }
            return "finished";
        });
        IOException e = assertInstanceOf(IOException.class, results.get(0));
        assertTrue(e.getMessage().contains("rank 0") && e.getMessage().contains("rank 1"), e.getMessage());
    }

    @Test
    void aSilentPeerTimesOut() throws Exception {
        long t0 = System.nanoTime();
        List<Object> results = onRanks(2, Duration.ofMillis(700), 1 << 20, g -> {
            if (g.rank() == 1) {
                Thread.sleep(3000); // alive but never joins the collective
                return "slept";
            }
            try (Arena a = Arena.ofConfined()) {
                g.allReduceFloats(a.allocate(4L << 20, 64));
            }
            return "finished";
        });
        IOException e = assertInstanceOf(java.net.SocketTimeoutException.class, results.get(0));
        assertTrue(e.getMessage().contains("700 ms"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
    }

    @Test
    void anInterruptedRankStopsWithinItsPollAndClosesTheRing() throws Exception {
        var rank0 = new java.util.concurrent.atomic.AtomicReference<Thread>();
        var stoppedAfter = new java.util.concurrent.atomic.AtomicLong();
        List<Object> results = onRanks(2, Duration.ofSeconds(20), 1 << 20, g -> {
            if (g.rank() == 1) {
                Thread.sleep(300);
                rank0.get().interrupt(); // as Spark interrupts a cancelled task's thread
                Thread.sleep(1000); // joins the collective only after rank 0 has left it
                try (Arena a = Arena.ofConfined()) {
                    g.allReduceFloats(a.allocate(4L << 20, 64));
                }
                return "finished";
            }
            rank0.set(Thread.currentThread());
            long t0 = System.nanoTime();
            try (Arena a = Arena.ofConfined()) {
                g.allReduceFloats(a.allocate(4L << 20, 64));
            } finally {
                stoppedAfter.set(System.nanoTime() - t0);
            }
            return "finished";
        });
        assertInstanceOf(IOException.class, results.get(0), () -> "rank 0: " + results.get(0));
        IOException closed = assertInstanceOf(IOException.class, results.get(1), () -> "rank 1: " + results.get(1));
        assertTrue(closed.getMessage().contains("rank 1: rank 0 closed the connection")
                || closed.getMessage().contains("rank 1: lost rank"), closed.getMessage()); // the ring was closed, not left to time out
        assertTrue(stoppedAfter.get() < 1_000_000_000L, "rank 0 took " + stoppedAfter.get() / 1e6 + " ms, 300 of them before the interrupt");
    }
}
