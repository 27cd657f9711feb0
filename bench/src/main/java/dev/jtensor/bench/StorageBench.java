package dev.jtensor.bench;

import dev.jtensor.backend.Storage;
import dev.jtensor.backend.cpu.NativeMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where should a tensor's bytes live? Allocate + release of one block, by strategy and size
 * (DESIGN section 2; the rule is documented in {@code Storage}). Run:
 * {@code ./jt bench StorageBench -f 1 -wi 3 -w 1s -i 5 -r 1s}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class StorageBench {
    @Param({"16", "1024", "65536", "16777216"})
    public int bytes;

    /** A heap segment over a long[] (what Storage does up to HEAP_MAX_BYTES). */
    @Benchmark
    public MemorySegment heapLongArray() {
        return MemorySegment.ofArray(new long[(bytes + 7) >>> 3]);
    }

    /** Storage.allocate + close: heap below the threshold, pooled native above (zero-filled). */
    @Benchmark
    public long storageAllocateClose() {
        Storage s = Storage.allocate(bytes);
        long n = s.byteSize();
        s.close();
        return n;
    }

    /** The native pool alone, uninitialised (what an op's output costs above the threshold). */
    @Benchmark
    public long nativePoolUninitialised() {
        NativeMemory.Block b = NativeMemory.allocate(bytes, false);
        long a = b.address();
        b.free();
        return a;
    }

    /** A confined arena per block: fast, but usable by one thread only. */
    @Benchmark
    public long confinedArena() {
        try (Arena a = Arena.ofConfined()) {
            return a.allocate(bytes, 64).address();
        }
    }

    /** A shared arena per block: closing it handshakes every thread (why Storage never does this per tensor). */
    @Benchmark
    public long sharedArena() {
        try (Arena a = Arena.ofShared()) {
            return a.allocate(bytes, 64).address();
        }
    }
}
