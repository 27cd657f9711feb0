package dev.jtensor.backend.cuda;

import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_event_create;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_event_destroy;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_event_elapsed_ms;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_event_record;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_event_synchronize;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_set_device;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * CUDA events on a real device for {@code dev.jtensor.CudaEvent} (issue 26): created with timing
 * ({@code cudaEventCreate}), recorded on the device's launch stream (the one stream every kernel of the
 * device runs on), waited for and timed. Handles are addresses; the caller destroys each once. Not used on
 * the emulated device, which has no stream (CudaEvent times with the host clock there). Written without a
 * GPU at hand: CudaStreamsTest checks it in the GPU run.
 */
public final class CudaEvents {
    private CudaEvents() {}

    /** A new event of {@code device} (its address). */
    public static long create(int device) {
        CudaBackend.check("cudaSetDevice", jt_cuda_set_device(device));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(ValueLayout.ADDRESS);
            CudaBackend.check("cudaEventCreate", jt_cuda_event_create(p));
            return p.get(ValueLayout.ADDRESS, 0).address();
        }
    }

    /** Records {@code event} on {@code device}'s launch stream. */
    public static void record(int device, long event) {
        CudaBackend backend = (CudaBackend) CudaDevices.backend(device);
        CudaBackend.check("cudaEventRecord", jt_cuda_event_record(MemorySegment.ofAddress(event), backend.stream()));
    }

    /**
     * Waits until the work before the recorded point is done; then, when nothing queued after it is left, throws the
     * index error an earlier kernel recorded (see CudaIndexing; never waits longer than the event to look).
     */
    public static void synchronize(int device, long event) {
        CudaBackend.check("cudaEventSynchronize", jt_cuda_event_synchronize(MemorySegment.ofAddress(event)));
        CudaIndexing.throwRecordedError(device, ((CudaBackend) CudaDevices.backend(device)).stream(), true);
    }

    /** Milliseconds between two recorded events (both done, see cudaEventElapsedTime). */
    public static double elapsedMs(long start, long end) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ms = arena.allocate(ValueLayout.JAVA_FLOAT);
            CudaBackend.check("cudaEventElapsedTime", jt_cuda_event_elapsed_ms(ms, MemorySegment.ofAddress(start), MemorySegment.ofAddress(end)));
            return ms.get(ValueLayout.JAVA_FLOAT, 0);
        }
    }

    /** Destroys an event (safe from any thread, also while work before it is pending). */
    public static void destroy(long event) { jt_cuda_event_destroy(MemorySegment.ofAddress(event)); }
}
