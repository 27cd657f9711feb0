package dev.jtensor.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    private int before;

    @BeforeEach
    void fourThreads() {
        before = Parallel.numThreads();
        Parallel.setNumThreads(4);
    }

    @AfterEach
    void restore() { Parallel.setNumThreads(before); }

    /** The chunks, in order, that forRange handed to the body. */
    private static List<long[]> chunks(long n, long grain) {
        var seen = new ConcurrentHashMap<Long, Long>();
        Parallel.forRange(n, grain, (from, to) -> seen.put(from, to));
        List<long[]> out = new ArrayList<>();
        seen.keySet().stream().sorted().forEach(f -> out.add(new long[] {f, seen.get(f)}));
        return out;
    }

    @Test
    void everyIndexRunsExactlyOnceInChunksOnSixteenElementBorders() {
        long n = 1_000_003;
        var count = new java.util.concurrent.atomic.AtomicIntegerArray((int) n);
        Parallel.forRange(n, 1000, (from, to) -> { for (long i = from; i < to; i++) count.incrementAndGet((int) i); });
        for (int i = 0; i < n; i++) assertEquals(1, count.get(i), "index " + i);
        List<long[]> c = chunks(n, 1000);
        assertEquals(4, c.size());
        for (long[] ch : c.subList(1, c.size())) assertEquals(0, ch[0] % 16, "border " + ch[0]);
        assertEquals(n, c.get(c.size() - 1)[1]);
    }

    @Test
    void smallRangesAndOneThreadRunOnTheCallerInOneChunk() {
        Thread caller = Thread.currentThread();
        var ran = new ArrayList<Thread>();
        Parallel.forRange(100, 1000, (from, to) -> { ran.add(Thread.currentThread()); assertEquals(0, from); assertEquals(100, to); });
        assertEquals(List.of(caller), ran);
        Parallel.setNumThreads(1);
        ran.clear();
        Parallel.forRange(1 << 20, 1, (from, to) -> ran.add(Thread.currentThread()));
        assertEquals(List.of(caller), ran);
    }

    @Test
    void chunkBordersDoNotDependOnHowManyCallersRunAtOnce() throws Exception {
        List<long[]> alone = chunks(77_777, 10);
        int callers = 16;
        var start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
            List<Future<List<long[]>>> results = new ArrayList<>();
            for (int t = 0; t < callers; t++) results.add(pool.submit(() -> { start.await(); return chunks(77_777, 10); }));
            start.countDown();
            for (Future<List<long[]>> f : results) {
                List<long[]> got = f.get();
                assertEquals(alone.size(), got.size());
                for (int i = 0; i < got.size(); i++) assertArrayEquals(alone.get(i), got.get(i));
            }
        }
    }

    @Test
    void aChunkFailureReachesTheCallerAfterTheOtherChunksFinish() {
        AtomicLong done = new AtomicLong();
        var e = assertThrows(IllegalArgumentException.class, () -> Parallel.forRange(4000, 1000, (from, to) -> {
            if (from == 0) throw new IllegalArgumentException("chunk 0 failed");
            done.addAndGet(to - from);
        }));
        assertEquals("chunk 0 failed", e.getMessage());
        assertTrue(done.get() >= 3000 - 16, "other chunks ran: " + done.get());
        // the pool is still usable
        AtomicLong sum = new AtomicLong();
        Parallel.forRange(4000, 1000, (from, to) -> sum.addAndGet(to - from));
        assertEquals(4000, sum.get());
    }

    @Test
    void nestedCallsRunInlineInsideTheirChunk() {
        AtomicLong inner = new AtomicLong();
        Parallel.forRange(4000, 1000, (from, to) -> {
            Thread outer = Thread.currentThread();
            Parallel.forRange(4000, 1000, (f, t) -> {
                assertSame(outer, Thread.currentThread());
                inner.addAndGet(t - f);
            });
        });
        assertEquals(4 * 4000, inner.get());
    }

    @Test
    void manyPlatformAndVirtualCallersAllComplete() throws Exception {
        for (boolean virtual : new boolean[] {false, true}) {
            AtomicLong total = new AtomicLong();
            try (ExecutorService pool = virtual ? Executors.newVirtualThreadPerTaskExecutor() : Executors.newFixedThreadPool(64)) {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < 200; t++) {
                    fs.add(pool.submit(() -> Parallel.forRange(50_000, 1000, (from, to) -> total.addAndGet(to - from))));
                }
                for (Future<?> f : fs) f.get();
            }
            assertEquals(200L * 50_000, total.get(), virtual ? "virtual" : "platform");
        }
    }

    @Test
    void anInterruptedCallerStillWaitsForItsChunksAndKeepsTheFlag() {
        Thread.currentThread().interrupt();
        AtomicLong sum = new AtomicLong();
        try {
            Parallel.forRange(100_000, 1000, (from, to) -> {
                for (long i = from; i < to; i++) sum.incrementAndGet();
            });
            assertEquals(100_000, sum.get());
            assertTrue(Thread.interrupted(), "the interrupt flag is restored");
        } finally {
            Thread.interrupted();
        }
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void lastChunkBorderIsTheRangeEnd() {
        for (int chunks = 1; chunks <= 7; chunks++) {
            assertEquals(0, Parallel.border(33, chunks, 0));
            assertEquals(33, Parallel.border(33, chunks, chunks));
            for (int c = 1; c < chunks; c++) {
                assertTrue(Parallel.border(33, chunks, c) >= Parallel.border(33, chunks, c - 1));
            }
        }
    }
}
