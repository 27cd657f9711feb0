package dev.jtensor.backend;

import dev.jtensor.Device;
import dev.jtensor.backend.cpu.CpuBackend;

/**
 * The kernels of one kind of device (DESIGN section 4, STYLE G2/G3): op families decide semantics (shapes,
 * dtypes, autograd) and hand resolved plans and {@link Buffer}s to their device's backend, which never
 * sees a {@code Tensor}. Sealed: a new backend is added here and in every exhaustive switch.
 *
 * <p>The verbs arrive stage by stage as op families move onto the seam (issue 9); the first is
 * allocation, so that {@link Storage} is device-neutral.
 */
public sealed interface Backend permits CpuBackend {
    /** A block of memory and the action that frees it (null when the GC owns it, as for heap blocks). */
    record Allocation(Buffer buffer, Runnable free) {}

    /** The device this backend computes on. */
    Device device();

    /**
     * A block of {@code byteSize} bytes on this backend's device, zero-filled when {@code zero} (else its
     * contents are unspecified: every byte is about to be written).
     *
     * @throws IllegalArgumentException for a negative size
     */
    Allocation allocate(long byteSize, boolean zero);

    /** The CPU backend. */
    static Backend cpu() { return CpuBackend.INSTANCE; }

    /**
     * The backend of {@code device}.
     *
     * @throws UnsupportedOperationException naming the device when this build has no backend for it
     */
    static Backend of(Device device) {
        return switch (device.type()) {
            case CPU -> CpuBackend.INSTANCE;
            case CUDA -> throw new UnsupportedOperationException("device " + device + " is not available in this build of "
                    + "jtensor (CPU only: no CUDA backend was found); Jt.info() lists the devices");
        };
    }
}
