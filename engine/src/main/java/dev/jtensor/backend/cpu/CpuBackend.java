package dev.jtensor.backend.cpu;

import dev.jtensor.Device;
import dev.jtensor.backend.Backend;
import dev.jtensor.backend.Buffer;
import java.lang.foreign.MemorySegment;

/**
 * The CPU's kernels behind {@link Backend}: today's loops, BLAS and SIMD paths.
 *
 * <h2>Where the bytes live (decided by JMH, see bench/RESULTS.md)</h2>
 * Blocks of at most {@link #HEAP_MAX_BYTES} live on the Java heap, in a {@code long[]} wrapped by
 * {@link MemorySegment#ofArray(long[])}: allocation is a plain {@code new}, the GC frees them, and no
 * {@code Cleaner} is needed (native calls take them through {@code Linker.Option.critical} or a copy;
 * {@code Blas} decides). Larger blocks come from {@link NativeMemory}: 64-byte aligned blocks recycled
 * through a size-bucketed pool, with off-heap accounting that runs the GC before the limit is reached.
 */
public final class CpuBackend implements Backend {
    /** The one instance. */
    public static final CpuBackend INSTANCE = new CpuBackend();

    /** Blocks up to this size live on the Java heap (a 16x16 float32 matrix is 1 KiB). */
    public static final long HEAP_MAX_BYTES = Long.getLong("jtensor.heapMaxBytes", 1024);

    private CpuBackend() {}

    @Override
    public Device device() { return Device.CPU; }

    @Override
    public Allocation allocate(long byteSize, boolean zero) {
        if (byteSize < 0) throw new IllegalArgumentException("negative storage size: " + byteSize + " bytes");
        if (byteSize <= HEAP_MAX_BYTES) { // a new long[] is zero already
            MemorySegment heap = MemorySegment.ofArray(new long[(int) ((byteSize + 7) >>> 3)]).asSlice(0, byteSize);
            return new Allocation(new Buffer.HostMemory(heap), null);
        }
        NativeMemory.Block block = NativeMemory.allocate(byteSize, zero);
        return new Allocation(new Buffer.HostMemory(block.segment()), block::free);
    }
}
