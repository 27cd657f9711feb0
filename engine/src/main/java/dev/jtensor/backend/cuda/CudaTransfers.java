package dev.jtensor.backend.cuda;

import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_event_create;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_event_record;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_event_synchronize;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_host_alloc;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_memcpy_async;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_stream_synchronize;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Host&lt;-&gt;device copies of one device through page-locked staging memory, so that any host memory (Java
 * heap, native, a mapped {@code .npy}) moves without an intermediate heap array and the DMA engine reads
 * pinned pages:
 * <ul>
 *   <li>uploads of at most {@value #SMALL} bytes (scalars, index arrays) are copied into a pinned ring and
 *       queued asynchronously; the ring is reused from its start after a stream synchronization;</li>
 *   <li>larger uploads go through two pinned chunks of {@value #CHUNK} bytes in turn: the CPU fills one while
 *       the copy engine drains the other (an event per chunk says when it may be refilled);</li>
 *   <li>downloads queue a chunk's copy into pinned memory, wait for it, and copy it out; then they take the
 *       device's index error record ({@link CudaIndexing#throwRecordedError}).</li>
 * </ul>
 * One lock per device serialises the use of the staging memory; kernels on the same stream keep running.
 */
final class CudaTransfers {
    static final long SMALL = 64 * 1024;
    static final long RING = 4L << 20;
    static final long CHUNK = 16L << 20;

    private final int device;
    private final MemorySegment stream;
    private MemorySegment ring;
    private long ringUsed;
    private MemorySegment[] chunks;
    private MemorySegment[] chunkDone;

    CudaTransfers(int device, MemorySegment stream) {
        this.device = device;
        this.stream = stream;
    }

    private static MemorySegment pinned(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(ValueLayout.ADDRESS);
            CudaBackend.check("cudaHostAlloc of " + bytes + " bytes", jt_cuda_host_alloc(p, bytes));
            return p.get(ValueLayout.ADDRESS, 0).reinterpret(bytes); // freed with the process (staging lives as long as the device)
        }
    }

    private static MemorySegment event() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(ValueLayout.ADDRESS);
            CudaBackend.check("cudaEventCreate", jt_cuda_event_create(p));
            return p.get(ValueLayout.ADDRESS, 0);
        }
    }

    /** Copies all of {@code src} to device address {@code dst}; {@code src} may be reused when this returns. */
    synchronized void upload(MemorySegment src, long dst) {
        long n = src.byteSize();
        if (n == 0) return;
        if (n <= SMALL) {
            if (ring == null) ring = pinned(RING);
            if (ringUsed + n > RING) { // every copy queued from the ring has to finish before it is overwritten
                CudaBackend.check("cudaStreamSynchronize", jt_cuda_stream_synchronize(stream));
                ringUsed = 0;
            }
            MemorySegment stage = ring.asSlice(ringUsed, n);
            MemorySegment.copy(src, 0, stage, 0, n);
            ringUsed += (n + 255) & ~255L;
            memcpy(MemorySegment.ofAddress(dst), stage, n, 1);
            return;
        }
        ensureChunks();
        int k = 0;
        boolean[] used = new boolean[2];
        for (long done = 0; done < n; done += CHUNK, k ^= 1) {
            long len = Math.min(CHUNK, n - done);
            if (used[k]) CudaBackend.check("cudaEventSynchronize", jt_cuda_event_synchronize(chunkDone[k]));
            MemorySegment.copy(src, done, chunks[k], 0, len);
            memcpy(MemorySegment.ofAddress(dst + done), chunks[k], len, 1);
            CudaBackend.check("cudaEventRecord", jt_cuda_event_record(chunkDone[k], stream));
            used[k] = true;
        }
        for (int i = 0; i < 2; i++) if (used[i]) CudaBackend.check("cudaEventSynchronize", jt_cuda_event_synchronize(chunkDone[i]));
    }

    /** Copies {@code dst.byteSize()} bytes from device address {@code src} into {@code dst}, after the work queued before. */
    synchronized void download(long src, MemorySegment dst) {
        long n = dst.byteSize();
        if (n == 0) return;
        ensureChunks();
        for (long done = 0; done < n; done += CHUNK) {
            long len = Math.min(CHUNK, n - done);
            memcpy(chunks[0], MemorySegment.ofAddress(src + done), len, 2);
            CudaBackend.check("cudaStreamSynchronize", jt_cuda_stream_synchronize(stream)); // surfaces errors of queued kernels too
            MemorySegment.copy(chunks[0], 0, dst, done, len);
        }
        CudaIndexing.throwRecordedError(device, stream, false); // the stream is idle: an index error of a kernel before
    }

    private void ensureChunks() {
        if (chunks != null) return;
        chunks = new MemorySegment[] {pinned(CHUNK), pinned(CHUNK)};
        chunkDone = new MemorySegment[] {event(), event()};
    }

    private void memcpy(MemorySegment dst, MemorySegment src, long n, int kind) {
        int err = jt_cuda_memcpy_async(dst, src, n, kind, stream);
        if (err != 0) throw CudaBackend.failure("cudaMemcpyAsync of " + n + " bytes " + (kind == 1 ? "to" : "from") + " cuda:" + device, err);
    }
}
