package dev.jtensor.backend;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.Tensor;
import dev.jtensor.backend.cpu.NativeMemory;
import org.junit.jupiter.api.Test;

/**
 * A program that allocates native tensors and few Java objects still gets its blocks back: past the
 * GC floor, allocation asks for a collection, and the freed blocks are reused instead of fresh pages.
 */
class NativeMemoryGcTest {
    @Test
    void allocationPastTheFloorRunsAGcAndReusesBlocks() throws InterruptedException {
        System.gc(); // other tests' garbage back to the pool, so that it does not count as memory in use
        Thread.sleep(200);
        long floor = NativeMemory.gcFloorBytes();
        NativeMemory.setGcFloorBytes(8L << 20);
        try {
            long gcs = NativeMemory.requestedGcCount();
            long liveBefore = NativeMemory.liveBytes();
            // The rule waits until the misses pass the bytes in use (the heap's doubling rule), so what earlier
            // tests still hold raises the bound: it is the growth beyond that the collections must prevent.
            long inUseBefore = liveBefore - NativeMemory.pooledBytes();
            Tensor x = ones(1 << 16); // 256 KiB
            for (int i = 0; i < 2000; i++) x.relu(); // 500 MiB in total, all garbage at once
            assertTrue(NativeMemory.requestedGcCount() > gcs, "no GC was requested");
            long grown = NativeMemory.liveBytes() - liveBefore;
            assertTrue(grown < inUseBefore + (256L << 20), "native memory grew by " + grown + " bytes for 500 MiB of garbage ("
                    + inUseBefore + " bytes in use before)");
        } finally {
            NativeMemory.setGcFloorBytes(floor);
        }
    }

    /**
     * A loop that closes its results reuses one pooled block forever: those pool hits are no new memory and must
     * never ask for a GC (a System.gc() is a full GC, 20-90 ms on a small box: it came every 64 closed 1024^2
     * matmuls), however much is allocated; a loop that drops its results (above) still gets its collections.
     */
    @Test
    void closedResultsReuseTheirBlockWithoutAskingForAGc() {
        long floor = NativeMemory.gcFloorBytes();
        NativeMemory.setGcFloorBytes(8L << 20);
        try (Tensor x = ones(1 << 16)) { // 256 KiB
            x.relu().close(); // the block of the size class is now pooled
            long gcs = NativeMemory.requestedGcCount();
            for (int i = 0; i < 2000; i++) x.relu().close(); // 500 MiB of pool hits
            assertEquals(gcs, NativeMemory.requestedGcCount(), "pool hits asked for a GC");
        } finally {
            NativeMemory.setGcFloorBytes(floor);
        }
    }
}
