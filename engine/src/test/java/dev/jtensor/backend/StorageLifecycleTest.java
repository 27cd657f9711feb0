package dev.jtensor.backend;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtensor.Scope;
import dev.jtensor.Tensor;
import dev.jtensor.backend.cpu.NativeMemory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** close(), scopes, the Cleaner and off-heap accounting, use-after-release (DESIGN section 2). */
class StorageLifecycleTest {

    @Test
    void closeIsIdempotentAndUseAfterCloseThrows() {
        Tensor t = ones(1000); // native (over HEAP_MAX_BYTES)
        Tensor view = t.slice(0, 10, 20);
        t.close();
        t.close();
        assertThrows(IllegalStateException.class, t::item);
        assertThrows(IllegalStateException.class, view::toDoubleArray);
        assertThrows(IllegalStateException.class, () -> view.add_(ones(10)));
        assertEquals("tensor(<released>)", t.toString());
        Tensor small = ones(2);   // heap-backed
        small.close();
        assertThrows(IllegalStateException.class, small::toDoubleArray);
    }

    @Test
    void closingAViewLeavesTheBaseUsable() {
        Tensor t = ones(1000);
        Tensor view = t.slice(0, 0, 5);
        view.close();
        assertThrows(IllegalStateException.class, view::toDoubleArray);
        assertEquals(1.0, t.get(3).item());
    }

    @Test
    void scopeReleasesAllButKept() {
        Tensor kept, dropped, outside = ones(1000);
        try (Scope scope = scope()) {
            dropped = ones(1000);
            kept = scope.keep(ones(1000).slice(0, 0, 10));
        }
        assertThrows(IllegalStateException.class, dropped::toDoubleArray);
        assertEquals(10, kept.toDoubleArray().length);
        assertEquals(1000, outside.toDoubleArray().length);
    }

    @Test
    void nestedScopeHandsKeptTensorsToTheOuterScope() {
        Tensor inner;
        try (Scope outer = scope()) {
            try (Scope s = scope()) {
                inner = s.keep(ones(1000));
            }
            assertEquals(1.0, inner.get(0).item());
        }
        assertThrows(IllegalStateException.class, inner::toDoubleArray);
    }

    @Test
    void releaseWaitsForRunningOps() throws Exception {
        Storage s = Storage.allocate(1 << 20);
        var seg = s.acquire();          // an op holds it
        s.close();                      // another thread closes meanwhile
        assertTrue(s.isClosed());
        seg.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 42); // still valid: the op's reference keeps it
        assertEquals(42, seg.get(java.lang.foreign.ValueLayout.JAVA_INT, 0));
        s.release();                    // the op ends: now it is freed
        assertThrows(IllegalStateException.class, s::acquire);
        assertThrows(IllegalStateException.class, s::segment);
    }

    @Test
    void concurrentCloseNeverCrashes() throws Exception {
        for (int round = 0; round < 50; round++) {
            Tensor t = ones(100_000);
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < 20; i++) {
                        t.add_(ones(100_000));
                        t.toDoubleArray();
                        t.sum().item();
                        t.reshape(100, 1000).matmul(ones(1000, 2));
                        t.toString();
                    }
                } catch (IllegalStateException expected) {
                    // released under us: the only allowed failure
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            reader.start();
            go.countDown();
            t.close();
            reader.join();
            assertNull(failure.get());
        }
    }

    @Test
    void garbageIsReclaimedBeforeTheLimit() {
        long limit = NativeMemory.limitBytes();
        NativeMemory.setLimitBytes(NativeMemory.liveBytes() + (256L << 20));
        try {
            for (int i = 0; i < 200; i++) {
                ones(4 << 20).sum(); // 16 MiB each, never closed: 3.2 GB in total through a 256 MiB budget
            }
        } finally {
            NativeMemory.setLimitBytes(limit);
        }
        assertTrue(NativeMemory.liveBytes() <= NativeMemory.limitBytes());
    }

    @Test
    void limitFailureSaysHowToRaiseIt() {
        long limit = NativeMemory.limitBytes();
        long poolCap = NativeMemory.poolCapBytes();
        // No pooled block may serve the request: an earlier test's garbage, freed by a cleaner at any moment,
        // would otherwise land in the pool after a trim and be reused without passing the limit.
        NativeMemory.setPoolCapBytes(0);
        long live = NativeMemory.liveBytes();
        NativeMemory.setLimitBytes(live + (8L << 20));
        try {
            // larger than everything live plus the headroom: cleaners can only lower the live bytes, never enough
            long elements = (live + (64L << 20)) / Float.BYTES;
            var e = assertThrows(OutOfMemoryError.class, () -> zeros(elements));
            assertTrue(e.getMessage().contains("jtensor.memory.limitBytes"), e.getMessage());
        } finally {
            NativeMemory.setLimitBytes(limit);
            NativeMemory.setPoolCapBytes(poolCap);
        }
    }

    @Test
    void pooledBlocksAreReused() {
        Tensor a = zeros(1 << 20);
        long live = NativeMemory.liveBytes();
        a.close();
        Tensor b = zeros(1 << 20);
        assertEquals(live, NativeMemory.liveBytes());
        assertEquals(0.0, b.get(12345).item()); // recycled memory is zeroed when zeros were asked for
        b.close();
    }
}
