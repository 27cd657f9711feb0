package dev.jtensor;

import dev.jtensor.backend.cuda.CudaDevices;
import dev.jtensor.backend.cuda.CudaEvents;
import java.lang.ref.Cleaner;

/**
 * A CUDA event with timing, as {@code torch.cuda.Event(enable_timing=True)}: {@link #record} marks a point
 * of a stream, {@link #synchronize} waits for it, {@link #elapsedTime} gives the milliseconds between two.
 *
 * <p>On a GPU the event is a {@code cudaEvent_t} recorded on the device's launch stream (every
 * {@link CudaStream} of a device is that stream today), destroyed when the event becomes unreachable. On the
 * emulated device every op completes before it returns, so an event is complete when recorded and its time
 * is the host clock at that moment.
 */
public final class CudaEvent {
    private static final Cleaner CLEANER = Cleaner.create();

    private final int device;
    private final boolean emulated;
    private long handle;
    private long recordedNanos = -1;
    private boolean recorded;

    CudaEvent(int device) {
        this.device = device;
        this.emulated = CudaDevices.emulated();
    }

    public int device() { return device; }

    /** Records this event on the calling thread's current stream of its device. */
    public void record() { record(CudaStream.current(device)); }

    /** Records this event on {@code stream} (again, if it was recorded before). */
    public synchronized void record(CudaStream stream) {
        if (stream.device() != device) {
            throw new IllegalArgumentException("event of cuda:" + device + " recorded on a stream of cuda:" + stream.device());
        }
        if (emulated) {
            recordedNanos = System.nanoTime();
        } else {
            if (handle == 0) {
                long h = CudaEvents.create(device);
                handle = h;
                CLEANER.register(this, () -> CudaEvents.destroy(h));
            }
            CudaEvents.record(device, handle);
        }
        recorded = true;
    }

    /**
     * Whether the work before the recorded point is done (true for an event never recorded, as PyTorch). On a
     * GPU it waits for that point first (jtensor binds no {@code cudaEventQuery}), so it is true after waiting.
     */
    public boolean query() {
        synchronize();
        return true;
    }

    /** Waits for the recorded point (immediate on the emulated device and for an event never recorded). */
    public synchronized void synchronize() {
        if (!emulated && recorded) CudaEvents.synchronize(device, handle);
    }

    /**
     * Milliseconds from this event to {@code end} ({@code Event.elapsed_time}); waits for {@code end}.
     *
     * @throws IllegalStateException when either event was not recorded
     */
    public double elapsedTime(CudaEvent end) {
        if (!recorded || !end.recorded) {
            throw new IllegalStateException("elapsedTime: both events must be recorded before calling elapsedTime()");
        }
        if (emulated) return (end.recordedNanos - recordedNanos) / 1e6;
        end.synchronize();
        return CudaEvents.elapsedMs(handle, end.handle);
    }
}
