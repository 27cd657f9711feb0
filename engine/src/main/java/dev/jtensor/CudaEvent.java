package dev.jtensor;

import dev.jtensor.backend.cuda.CudaDevices;

/**
 * A CUDA event with timing, as {@code torch.cuda.Event(enable_timing=True)}: {@link #record} marks a point
 * of a stream, {@link #synchronize} waits for it, {@link #elapsedTime} gives the milliseconds between two.
 *
 * <p>On the emulated device every op completes before it returns, so an event is complete when recorded
 * and its time is the host clock at that moment. On a GPU events need {@code cudaEventRecord}, which jtensor
 * does not bind yet (issue 26, waits for a GPU session): {@link #record} there throws
 * {@link UnsupportedOperationException}.
 */
public final class CudaEvent {
    private final int device;
    private long recordedNanos = -1;

    CudaEvent(int device) { this.device = device; }

    public int device() { return device; }

    /** Records this event on the calling thread's current stream of its device. */
    public void record() { record(CudaStream.current(device)); }

    /**
     * Records this event on {@code stream} (again, if it was recorded before).
     *
     * @throws UnsupportedOperationException on a GPU (see the class comment)
     */
    public void record(CudaStream stream) {
        if (stream.device() != device) {
            throw new IllegalArgumentException("event of cuda:" + device + " recorded on a stream of cuda:" + stream.device());
        }
        if (!CudaDevices.emulated()) {
            throw new UnsupportedOperationException("CUDA events on a GPU are not implemented yet (jtensor binds no cudaEventRecord; "
                    + "issue 26, waiting for a GPU session): time GPU work with Jt.cuda().synchronize() and the host clock");
        }
        recordedNanos = System.nanoTime();
    }

    /** Whether the work before the recorded point is done: always true here (also for an event never recorded, as PyTorch). */
    public boolean query() { return true; }

    /** Waits for the recorded point (immediate on the emulated device). */
    public void synchronize() { }

    /**
     * Milliseconds from this event to {@code end} ({@code Event.elapsed_time}).
     *
     * @throws IllegalStateException when either event was not recorded
     */
    public double elapsedTime(CudaEvent end) {
        if (recordedNanos < 0 || end.recordedNanos < 0) {
            throw new IllegalStateException("elapsedTime: both events must be recorded before calling elapsedTime()");
        }
        return (end.recordedNanos - recordedNanos) / 1e6;
    }
}
