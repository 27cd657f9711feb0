package dev.jtensor.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The striped pool: size-class indexing, reuse across threads, and byte accounting under concurrent use. Cleaners of
 * earlier tests' garbage may free blocks at any moment (into the pool, or to libc past the cap), so the books are
 * checked as bounds that such frees can only make smaller, never as exact equalities.
 */
class NativeMemoryPoolTest {

    @Test
    void everySizeClassHasItsOwnIndexAndBack() {
        Set<Integer> seen = new HashSet<>();
        long previous = 0;
        for (long n = 1; n < (1L << 40); n = n < 4 << 20 ? n + 4093 : n + n / 7) {
            long c = NativeMemory.sizeClass(n);
            int index = NativeMemory.classIndex(c);
            assertEquals(c, NativeMemory.classBytesOf(index), "class of " + n);
            assertTrue(c >= n && (c <= 4096 || c - n < c / 8 + 4096), "slack of " + n + " -> " + c);
            if (c != previous) assertTrue(seen.add(index), "index " + index + " of class " + c + " is new");
            previous = c;
        }
        assertEquals(0, NativeMemory.classIndex(4096));
        assertEquals(255, NativeMemory.classIndex(1 << 20));
        assertEquals(256, NativeMemory.classIndex(NativeMemory.sizeClass((1 << 20) + 1)));
        assertEquals(256 + 41 * 8 + 7, NativeMemory.classIndex(1L << 62), "the largest class a request can have");
    }

    @Test
    void aBlockFreedOnOneThreadServesAnother() throws Exception {
        long classBytes = NativeMemory.sizeClass(3 << 20);
        NativeMemory.Block block = NativeMemory.allocate(3 << 20, false);
        long address = block.address();
        Thread t = Thread.ofPlatform().start(block::free); // lands in that thread's stripe
        t.join();
        long liveBefore = NativeMemory.liveBytes();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            NativeMemory.Block again = other.submit(() -> NativeMemory.allocate(3 << 20, true)).get();
            assertTrue(NativeMemory.liveBytes() <= liveBefore, "served from the pool, not libc");
            assertEquals(classBytes, again.classBytes());
            assertTrue(again.address() == address || NativeMemory.pooledBytes() >= classBytes, "the freed block or another idle one");
            for (long i = 0; i < again.segment().byteSize(); i += 4096) assertEquals(0, again.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, i));
            again.free();
        } finally {
            other.shutdown();
        }
    }

    @Test
    void concurrentAllocateAndFreeKeepTheBooks() throws Exception {
        int threads = 8, rounds = 2_000;
        long liveBefore = NativeMemory.liveBytes() - NativeMemory.pooledBytes();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    start.await();
                    long checksum = 0;
                    List<NativeMemory.Block> held = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        long bytes = 1024L * (1 + (r * 31 + seed * 7) % 300);
                        NativeMemory.Block b = NativeMemory.allocate(bytes, false);
                        b.segment().set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, seed * 1_000_000L + r); // no two live blocks alias
                        held.add(b);
                        if (held.size() > 3) {
                            NativeMemory.Block old = held.removeFirst();
                            checksum += old.segment().get(java.lang.foreign.ValueLayout.JAVA_LONG, 0);
                            old.free();
                        }
                    }
                    for (NativeMemory.Block b : held) {
                        checksum += b.segment().get(java.lang.foreign.ValueLayout.JAVA_LONG, 0);
                        b.free();
                    }
                    return checksum;
                }));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                long expected = 0;
                for (int r = 0; r < rounds; r++) expected += t * 1_000_000L + r;
                assertEquals(expected, done.get(t).get(), "thread " + t + " read back what it wrote: no block was handed out twice");
            }
        } finally {
            pool.shutdown();
        }
        long inUse = NativeMemory.liveBytes() - NativeMemory.pooledBytes();
        assertTrue(inUse <= liveBefore, "every block came back: in use " + inUse + " after, " + liveBefore + " before");
    }

    @Test
    void trimPoolEmptiesEveryStripe() throws Exception {
        List<Thread> ts = new ArrayList<>();
        java.util.concurrent.CyclicBarrier allHold = new java.util.concurrent.CyclicBarrier(4);
        for (int t = 0; t < 4; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                NativeMemory.Block b = NativeMemory.allocate(64 << 10, false);
                try {
                    allHold.await(); // four distinct blocks, each freed into its own thread's stripe
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                b.free();
            }));
        }
        for (Thread t : ts) t.join();
        long live = NativeMemory.liveBytes(), pooled = NativeMemory.pooledBytes();
        assertTrue(pooled >= 4 * (64 << 10), "four threads' blocks idle in their stripes: " + pooled);
        NativeMemory.trimPool();
        assertTrue(NativeMemory.liveBytes() <= live - pooled, "every idle block went back to libc");
    }
}
