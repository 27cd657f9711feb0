package dev.jtensor;

import dev.jtensor.backend.cuda.CudaDevices;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PyTorch's {@code torch.cuda} namespace, from {@link Jt#cuda()}: whether CUDA can be used, the devices,
 * synchronization, seeding, and the caching allocator's memory figures. Asking anything here loads the
 * CUDA side (our kernel library, the driver, cuBLAS) on first use; nothing else does until a CUDA tensor is
 * made. Without a driver, device or cuBLAS, {@link #isAvailable()} is false and {@link #unavailableReason()}
 * says what is missing and where it was looked for; asking for a CUDA tensor then throws
 * {@link IllegalStateException} with that reason.
 *
 * <p>Random tensors on a CUDA device are drawn on it from that device's own {@link Generator} (seeded by
 * {@link #manualSeed}, or by {@link Jt#manualSeed} which seeds every device as PyTorch's does): the Philox
 * stream keyed by its seed, continuing at its {@link Generator#offset()}, as PyTorch's CUDA generator.
 */
public final class Cuda {
    static final Cuda INSTANCE = new Cuda();
    private static final ConcurrentHashMap<Integer, Generator> GENERATORS = new ConcurrentHashMap<>();

    private Cuda() {}

    /** {@code torch.cuda.is_available()}. */
    public boolean isAvailable() { return CudaDevices.isAvailable(); }

    /** What is missing when {@link #isAvailable()} is false (driver, device, cuBLAS, our library, where looked); else null. */
    public String unavailableReason() { return CudaDevices.unavailableReason(); }

    /** {@code torch.cuda.device_count()}: 0 when CUDA is unavailable. */
    public int deviceCount() { return CudaDevices.deviceCount(); }

    /** {@code torch.cuda.synchronize()}: waits for every kernel queued on device 0. */
    public void synchronize() { synchronize(0); }

    /** Waits for every kernel queued on {@code device}. */
    public void synchronize(int device) { CudaDevices.synchronize(device); }

    /** {@code torch.cuda.manual_seed(seed)}: seeds the generator of device 0. */
    public void manualSeed(long seed) { generator(0).manualSeed(seed); }

    /** {@code torch.cuda.manual_seed_all(seed)}: seeds every device's generator. */
    public void manualSeedAll(long seed) {
        int n = Math.max(deviceCount(), 1);
        for (int i = 0; i < n; i++) generator(i).manualSeed(seed);
    }

    /** The default generator of CUDA device {@code device} ({@code torch.cuda.default_generators[i]}). */
    public Generator generator(int device) {
        if (device < 0) throw new IllegalArgumentException("cuda device index must be >= 0: " + device);
        return GENERATORS.computeIfAbsent(device, d -> new Generator(Generator.DEFAULT_SEED));
    }

    /** Seeds every generator made so far (what {@code Jt.manualSeed} does besides the CPU's). */
    static void seedAll(long seed) { for (Generator g : GENERATORS.values()) g.manualSeed(seed); }

    /** {@code torch.cuda.memory_allocated()}: bytes held by live tensors on device 0. */
    public long memoryAllocated() { return memoryAllocated(0); }

    public long memoryAllocated(int device) { return CudaDevices.memoryAllocated(device); }

    /** {@code torch.cuda.memory_reserved()}: bytes the caching allocator holds from device 0. */
    public long memoryReserved() { return memoryReserved(0); }

    public long memoryReserved(int device) { return CudaDevices.memoryReserved(device); }

    /** {@code torch.cuda.empty_cache()}: returns the cached blocks nobody uses to the driver. */
    public void emptyCache() { CudaDevices.emptyCache(); }

    /** {@code torch.backends.cuda.matmul.allow_tf32 = allow}: float32 matmuls may use TF32 tensor cores (off by default). */
    public void setAllowTf32(boolean allow) { CudaDevices.setAllowTf32(allow); }

    /** {@code torch.backends.cuda.matmul.allow_tf32}. */
    public boolean allowTf32() { return CudaDevices.allowTf32(); }

    // ---------------- streams, events, graphs (issue 26; see CudaStream, CudaEvent, CudaGraph for what runs today) ----------------

    /** {@code torch.cuda.Stream()}: a new stream of device 0. */
    public CudaStream stream() { return stream(0); }

    /** A new stream of {@code device}. @throws IllegalStateException when CUDA is unavailable */
    public CudaStream stream(int device) { return new CudaStream(checked(device), false); }

    /** {@code torch.cuda.current_stream()}: the calling thread's current stream of device 0. */
    public CudaStream currentStream() { return currentStream(0); }

    public CudaStream currentStream(int device) { return CudaStream.current(checked(device)); }

    /** {@code torch.cuda.default_stream()}. */
    public CudaStream defaultStream(int device) { return new CudaStream(checked(device), true); }

    /** {@code with torch.cuda.stream(s):} as {@code try (var s = Jt.cuda().withStream(stream)) { ... }}; thread-local. */
    public CudaStream.Scope withStream(CudaStream stream) { return new CudaStream.Scope(stream); }

    /** {@code torch.cuda.Event(enable_timing=True)} of device 0. */
    public CudaEvent event() { return new CudaEvent(checked(0)); }

    /** {@code torch.cuda.CUDAGraph()} on device 0 (capture is refused for now: see {@link CudaGraph}). */
    public CudaGraph graph() { return new CudaGraph(0); }

    private int checked(int device) {
        if (!isAvailable()) throw new IllegalStateException("CUDA streams and events need a CUDA device: " + unavailableReason());
        if (device < 0 || device >= deviceCount()) {
            throw new IllegalArgumentException("cuda device index " + device + " out of range: " + deviceCount() + " device(s)");
        }
        return device;
    }
}
