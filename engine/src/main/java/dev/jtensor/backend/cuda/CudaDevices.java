package dev.jtensor.backend.cuda;

import dev.jtensor.backend.Backend;
import dev.jtensor.internal.Config;
import java.util.ArrayList;
import java.util.List;

/**
 * The CUDA devices of this process: whether they can be used (and, when not, exactly why), and one backend
 * per device, made on first use. Nothing of CUDA is loaded until a CUDA tensor or a CUDA query is asked
 * for, so a CPU-only JVM never touches a driver. {@code -Djtensor.cuda.emulate=true} replaces the GPU by
 * {@link EmulatedCudaBackend} (one emulated device), for testing the device plumbing where there is none.
 */
public final class CudaDevices {
    /** The system property that turns on the emulated device. */
    public static final String EMULATE_PROPERTY = "jtensor.cuda.emulate";

    private static volatile Backend[] backends;

    private CudaDevices() {}

    /** True when the emulated device is on (tests on machines without a GPU). */
    public static boolean emulated() { return Config.bool(EMULATE_PROPERTY, false); }

    /** True if at least one CUDA device can run jtensor's kernels (driver, device, cuBLAS and our library found). */
    public static boolean isAvailable() { return emulated() || CudaLibrary.probe().usable(); }

    /** Why CUDA cannot be used, naming what is missing and where it looked; null when it can. */
    public static String unavailableReason() { return isAvailable() ? null : CudaLibrary.probe().problem(); }

    /** The number of usable CUDA devices (0 when CUDA is unavailable). */
    public static int deviceCount() {
        if (emulated()) return 1;
        CudaLibrary.Probe p = CudaLibrary.probe();
        return p.usable() ? p.deviceCount() : 0;
    }

    /**
     * The backend of CUDA device {@code index}.
     *
     * @throws IllegalStateException naming what is missing (driver, device, cuBLAS, our library) and where it
     *                               looked, or the valid indices for a device that does not exist
     */
    public static Backend backend(int index) {
        Backend[] all = backends;
        if (all == null) all = init();
        if (index >= all.length) {
            throw new IllegalStateException("CUDA device cuda:" + index + " does not exist: this machine has " + all.length
                    + " CUDA device" + (all.length == 1 ? "" : "s") + " (cuda:0" + (all.length > 1 ? "..cuda:" + (all.length - 1) : "")
                    + ")");
        }
        return all[index];
    }

    private static synchronized Backend[] init() {
        if (backends != null) return backends;
        if (emulated()) {
            backends = new Backend[] {new EmulatedCudaBackend(0)};
            return backends;
        }
        CudaLibrary.Probe p = CudaLibrary.probe();
        if (!p.usable()) throw new IllegalStateException("CUDA is not available: " + p.problem());
        Backend[] all = new Backend[p.deviceCount()];
        for (int i = 0; i < all.length; i++) all[i] = new CudaBackend(i);
        backends = all;
        return all;
    }

    /** Waits for every kernel queued on device {@code index}. */
    public static void synchronize(int index) { backend(index).synchronize(); }

    /** Bytes held by live tensors on device {@code index} ({@code torch.cuda.memory_allocated}). */
    public static long memoryAllocated(int index) {
        return switch (backend(index)) {
            case CudaBackend c -> c.allocator().allocatedBytes();
            case EmulatedCudaBackend e -> e.memoryAllocated();
            default -> 0;
        };
    }

    /** Bytes the caching allocator holds from the device ({@code torch.cuda.memory_reserved}). */
    public static long memoryReserved(int index) {
        return switch (backend(index)) {
            case CudaBackend c -> c.allocator().reservedBytes();
            case EmulatedCudaBackend e -> e.memoryAllocated();
            default -> 0;
        };
    }

    /** Returns the cached, unused blocks of every initialised device to the driver ({@code torch.cuda.empty_cache}). */
    public static void emptyCache() {
        Backend[] all = backends;
        if (all == null) return;
        for (Backend b : all) if (b instanceof CudaBackend c) c.allocator().emptyCache();
    }

    /** Turns TF32 tensor-core math for float32 matmuls on or off ({@code torch.backends.cuda.matmul.allow_tf32}). */
    public static void setAllowTf32(boolean allow) { Cublas.setAllowTf32(allow); }

    /** Whether float32 matmuls may use TF32 (false by default, as PyTorch). */
    public static boolean allowTf32() { return Cublas.allowTf32(); }

    /** Lines describing the CUDA side of this process for {@code Jt.info()}: devices, versions, libraries, or why none. */
    public static List<String> describe() {
        List<String> lines = new ArrayList<>();
        if (emulated()) {
            lines.add("cuda:0 emulated in host memory (-D" + EMULATE_PROPERTY + "=true; no GPU is used)");
            return lines;
        }
        CudaLibrary.Probe p = CudaLibrary.probe();
        if (!p.usable()) {
            lines.add("CUDA: not available: " + p.problem());
            return lines;
        }
        lines.addAll(p.details());
        return lines;
    }
}
