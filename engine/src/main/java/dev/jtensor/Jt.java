package dev.jtensor;

import dev.jtensor.amp.Autocast;
import dev.jtensor.autograd.GradMode;
import dev.jtensor.autograd.InferenceMode;
import dev.jtensor.backend.Determinism;
import dev.jtensor.backend.cpu.Parallel;
import dev.jtensor.internal.RuntimeInfo;
import dev.jtensor.io.WeightFiles;

/**
 * The {@code torch.} namespace: {@code import static dev.jtensor.Jt.*;} then {@code tensor(4.0)},
 * {@code zeros(2, 3)}, {@code add(a, b)}, {@code noGrad()}, ... The statics are grouped by family in
 * package-private superclasses ({@code JtCreation}, {@code JtMath}, {@code JtReduce},
 * {@code JtIndexing}, {@code JtLinalg}, {@code JtOverloads}); this class adds grad mode, scopes, threads and
 * {@link #info()}.
 */
public final class Jt extends JtOverloads {
    private Jt() {}

    // ---- grad mode (thread-local) ----

    /** {@code with torch.no_grad():} as {@code try (var g = noGrad()) { ... }}. */
    public static GradMode noGrad() { return GradMode.set(false); }

    /**
     * {@code with torch.inference_mode():} as {@code try (var g = inferenceMode()) { ... }}: no tape, and the
     * tensors made inside skip autograd bookkeeping (see {@link InferenceMode} for what they cannot do after).
     */
    public static InferenceMode inferenceMode() { return InferenceMode.set(true); }

    /**
     * {@code with torch.autocast(device_type, dtype):} as {@code try (var ac = autocast(Device.cuda(0), DType.FLOAT16)) { ... }}:
     * matrix products in the low type, reductions, softmax and losses in float32, per PyTorch's op lists for the
     * device's type; thread-local, nestable (see {@link dev.jtensor.amp.Autocast}).
     */
    public static Autocast autocast(Device device, DType dtype) { return Autocast.enter(device, dtype, true); }

    /** {@code torch.autocast(device_type, dtype, enabled)}; {@code enabled = false} turns autocast off inside the scope. */
    public static Autocast autocast(Device device, DType dtype, boolean enabled) {
        return Autocast.enter(device, dtype, enabled);
    }

    /** {@code torch.enable_grad()}. */
    public static GradMode enableGrad() { return GradMode.set(true); }

    /** {@code torch.set_grad_enabled(b)} as a guard. */
    public static GradMode setGradEnabled(boolean enabled) { return GradMode.set(enabled); }

    public static boolean isGradEnabled() { return GradMode.isEnabled(); }

    // ---- memory ----

    /** Opens a scope that releases the tensors allocated on this thread until it closes, except kept ones. */
    public static Scope scope() { return new Scope(); }

    // ---- CUDA ----

    /** The {@code torch.cuda} namespace: {@code Jt.cuda().isAvailable()}, {@code .synchronize()}, {@code .memoryAllocated()}. */
    public static Cuda cuda() { return Cuda.INSTANCE; }

    // ---- threads ----

    /**
     * Threads used by one large CPU op, matmuls included ({@code torch.set_num_threads}). Concurrent calls
     * share them: a call borrows only the workers that are idle and that other calling threads leave free,
     * so many request threads never oversubscribe the cores.
     */
    public static void setNumThreads(int n) {
        Parallel.setNumThreads(n);
        RuntimeInfo.onThreadsChanged(n);
    }

    public static int getNumThreads() { return Parallel.numThreads(); }

    /**
     * What was loaded: the BLAS library (path, version, kernels, and whether the environment forced them),
     * threads, devices, memory; as {@code torch.__config__.show()}. Prints as lines in JShell.
     */
    public static Info info() { return new Info(RuntimeInfo.info()); }

    /** Prints {@link #info()} to standard output, as {@code print(torch.__config__.show())}. */
    public static void printInfo() { System.out.print(info()); }

    // ---- files ----

    /**
     * {@code torch.load(path)}: a {@code .npy} tensor, or the map / object of an {@code .npz}, safetensors file or
     * PyTorch zip checkpoint, the format recognised from the file (see {@link dev.jtensor.io.WeightFiles#load}).
     */
    public static Object load(java.nio.file.Path path) throws java.io.IOException { return WeightFiles.load(path); }

    /** {@code torch.save(obj, path)}: in the format the file name asks for (see {@link dev.jtensor.io.WeightFiles#save}). */
    public static void save(Object obj, java.nio.file.Path path) throws java.io.IOException { WeightFiles.save(obj, path); }

    // ---- determinism ----

    /**
     * {@code torch.use_deterministic_algorithms(mode)}: when true, the accumulating index kernels (index_add,
     * scatter_add, the embedding backward) run deterministically on every device. The CPU kernels are deterministic
     * either way (one pass in index order); CUDA's use atomics unless this is on.
     */
    public static void useDeterministicAlgorithms(boolean mode) { Determinism.set(mode); }

    /** {@code torch.are_deterministic_algorithms_enabled()}. */
    public static boolean areDeterministicAlgorithmsEnabled() { return Determinism.enabled(); }
}
