package dev.jtensor.backend.cuda;

import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_free;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_malloc;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_mem_get_info;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The caching allocator of one device (PyTorch's CUDACachingAllocator, simplified): sizes are rounded to
 * buckets (512 bytes up to 1 MiB, 2 MiB above), freed blocks go back to their bucket instead of
 * {@code cudaFree}, and the next request of that bucket reuses one. All kernels of a device run on its one
 * stream, so a block freed while a queued kernel still reads it is only handed to work queued after that
 * kernel: stream order makes reuse safe without events. {@link #emptyCache()} returns the cached blocks
 * to the driver. When {@code cudaMalloc} fails, the cache is emptied and, since tensors the program no
 * longer reaches are freed by the GC, a collection is run before the allocation is retried once more.
 */
final class CudaAllocator {
    private static final long SMALL = 1L << 20;
    private static final long SMALL_ROUND = 512;
    private static final long LARGE_ROUND = 2L << 20;

    private final int device;
    private final Map<Long, ArrayDeque<Long>> cached = new HashMap<>();
    private long allocatedBytes;
    private long reservedBytes;
    private long cachedBytes;

    CudaAllocator(int device) { this.device = device; }

    /** The bucket size of a request. */
    static long rounded(long bytes) {
        long b = Math.max(bytes, 1);
        long unit = b <= SMALL ? SMALL_ROUND : LARGE_ROUND;
        return (b + unit - 1) / unit * unit;
    }

    /**
     * A device block of at least {@code bytes} bytes (its address).
     *
     * @throws IllegalStateException ("CUDA out of memory", with the sizes) when the device has no room even
     *                               after the cache was emptied and the GC ran
     */
    long allocate(long bytes) {
        long size = rounded(bytes);
        synchronized (this) {
            ArrayDeque<Long> bucket = cached.get(size);
            if (bucket != null && !bucket.isEmpty()) {
                cachedBytes -= size;
                allocatedBytes += size;
                return bucket.pop();
            }
        }
        long address = cudaMalloc(size);
        if (address == 0) {
            emptyCache();
            address = cudaMalloc(size);
        }
        if (address == 0) {
            System.gc(); // tensors no longer reachable give their blocks back through their Cleaners
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            emptyCache();
            address = cudaMalloc(size);
        }
        if (address == 0) throw outOfMemory(bytes);
        synchronized (this) {
            reservedBytes += size;
            allocatedBytes += size;
        }
        return address;
    }

    /** Gives a block back to its bucket (stream-ordered reuse; see the class comment). */
    synchronized void free(long address, long bytes) {
        long size = rounded(bytes);
        cached.computeIfAbsent(size, s -> new ArrayDeque<>()).push(address);
        cachedBytes += size;
        allocatedBytes -= size;
    }

    /** Returns every cached block to the driver ({@code cudaFree} waits for the device first). */
    synchronized void emptyCache() {
        for (Map.Entry<Long, ArrayDeque<Long>> e : cached.entrySet()) {
            for (long address : e.getValue()) {
                int err = jt_cuda_free(device, MemorySegment.ofAddress(address));
                if (err != 0) throw CudaBackend.failure("cudaFree", err);
                reservedBytes -= e.getKey();
            }
        }
        cached.clear();
        cachedBytes = 0;
    }

    synchronized long allocatedBytes() { return allocatedBytes; }

    synchronized long reservedBytes() { return reservedBytes; }

    private long cudaMalloc(long size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(ValueLayout.ADDRESS);
            int err = jt_cuda_malloc(device, p, size);
            if (err == 2) return 0; // cudaErrorMemoryAllocation: the caller frees what it can and retries
            if (err != 0) throw CudaBackend.failure("cudaMalloc of " + size + " bytes on cuda:" + device, err);
            return p.get(ValueLayout.ADDRESS, 0).address();
        }
    }

    private IllegalStateException outOfMemory(long bytes) {
        long free = -1, total = -1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment f = arena.allocate(ValueLayout.JAVA_LONG), t = arena.allocate(ValueLayout.JAVA_LONG);
            if (jt_cuda_mem_get_info(device, f, t) == 0) {
                free = f.get(ValueLayout.JAVA_LONG, 0);
                total = t.get(ValueLayout.JAVA_LONG, 0);
            }
        }
        synchronized (this) {
            return new IllegalStateException(String.format("CUDA out of memory. Tried to allocate %s on cuda:%d (%s total capacity; "
                            + "%s free; %s allocated by jtensor; %s reserved in total by jtensor). Close tensors you no longer need "
                            + "(close(), Jt.scope()) or use smaller batches.", human(bytes), device, human(total), human(free),
                    human(allocatedBytes), human(reservedBytes)));
        }
    }

    static String human(long bytes) {
        if (bytes < 0) return "unknown";
        if (bytes < 1024) return bytes + " bytes";
        if (bytes < 1L << 20) return String.format("%.2f KiB", bytes / 1024.0);
        if (bytes < 1L << 30) return String.format("%.2f MiB", bytes / (double) (1L << 20));
        return String.format("%.2f GiB", bytes / (double) (1L << 30));
    }
}
