package dev.jtensor.backend;

import static dev.jtensor.Jt.*;
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
            Tensor x = ones(1 << 16); // 256 KiB
            for (int i = 0; i < 2000; i++) x.relu(); // 500 MiB in total, all garbage at once
            assertTrue(NativeMemory.requestedGcCount() > gcs, "no GC was requested");
            long grown = NativeMemory.liveBytes() - liveBefore;
            assertTrue(grown < (256L << 20), "native memory grew by " + grown + " bytes for 500 MiB of garbage");
        } finally {
            NativeMemory.setGcFloorBytes(floor);
        }
    }
}
