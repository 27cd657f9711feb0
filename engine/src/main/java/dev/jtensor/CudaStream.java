package dev.jtensor;

import dev.jtensor.backend.cuda.CudaDevices;
import java.util.HashMap;
import java.util.Map;

/**
 * A CUDA stream, as {@code torch.cuda.Stream}: made by {@link Cuda#stream()}, made current for the calling
 * thread by {@link Cuda#withStream} (a try-with-resources scope, as {@code with torch.cuda.stream(s):}),
 * ordered against other streams by {@link #waitStream} and {@link #waitEvent}.
 *
 * <p><b>What runs where today.</b> jtensor's CUDA backend launches every kernel of a device on that device's
 * one stream, so every {@code CudaStream} of a device is an alias of it: work on two streams runs in the
 * order it was issued, which satisfies every ordering a program can ask for ({@code waitStream}/{@code
 * waitEvent} are then already met), but two streams do not overlap yet. Launching on the thread's current
 * stream (so that requests from several threads overlap on one GPU) is the part of issue 26 that waits for
 * a GPU session. On the emulated device ({@code -Djtensor.cuda.emulate=true}) every op completes before it
 * returns, so the same holds trivially; {@link #query()} is then always true.
 */
public final class CudaStream {
    private static final ThreadLocal<Map<Integer, CudaStream>> CURRENT = ThreadLocal.withInitial(HashMap::new);

    private final int device;
    private final boolean isDefault;

    CudaStream(int device, boolean isDefault) {
        this.device = device;
        this.isDefault = isDefault;
    }

    /** The device index. */
    public int device() { return device; }

    /** Whether this is the device's default stream ({@code torch.cuda.default_stream()}). */
    public boolean isDefault() { return isDefault; }

    /** Waits until the work queued on this stream is done ({@code Stream.synchronize()}). */
    public void synchronize() { CudaDevices.synchronize(device); }

    /**
     * Whether all work queued on this stream is done. On the emulated device always true; on a GPU it
     * synchronizes first (jtensor binds no {@code cudaStreamQuery} yet), so it is true after waiting.
     */
    public boolean query() {
        if (!CudaDevices.emulated()) synchronize();
        return true;
    }

    /** Later work on this stream waits for the work queued on {@code other} so far (met already: one stream per device). */
    public void waitStream(CudaStream other) { checkSameDevice(other.device); }

    /** Later work on this stream waits for {@code event} (met already: one stream per device). */
    public void waitEvent(CudaEvent event) { checkSameDevice(event.device()); }

    /** Records a new event on this stream ({@code Stream.record_event()}). */
    public CudaEvent recordEvent() {
        CudaEvent e = new CudaEvent(device);
        e.record(this);
        return e;
    }

    private void checkSameDevice(int other) {
        if (other != device) {
            throw new IllegalArgumentException("streams and events of different devices (cuda:" + device + " and cuda:" + other
                    + "): cross-device waits are not supported");
        }
    }

    @Override
    public String toString() { return "<CudaStream device=cuda:" + device + (isDefault ? " default" : "") + ">"; }

    /** The calling thread's current stream of {@code device}. */
    static CudaStream current(int device) {
        CudaStream s = CURRENT.get().get(device);
        return s != null ? s : new CudaStream(device, true);
    }

    /** The scope of {@link Cuda#withStream}: restores the previous current stream at close (idempotent). */
    public static final class Scope implements AutoCloseable {
        private final int device;
        private final CudaStream previous;
        private boolean closed;

        Scope(CudaStream s) {
            this.device = s.device;
            this.previous = CURRENT.get().put(s.device, s);
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (previous == null) CURRENT.get().remove(device);
            else CURRENT.get().put(device, previous);
        }
    }
}
