package dev.jtensor;

import dev.jtensor.autograd.GradMode;
import dev.jtensor.internal.Parallel;

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

    /** Threads used by large CPU ops and by OpenBLAS ({@code torch.set_num_threads}). */
    public static void setNumThreads(int n) {
        Parallel.setNumThreads(n);
        dev.jtensor.internal.RuntimeInfo.onThreadsChanged(n);
    }

    public static int getNumThreads() { return Parallel.numThreads(); }

    /**
     * What was loaded: the BLAS library (path, version, kernels, and whether the environment forced them),
     * threads, devices, memory; as {@code torch.__config__.show()}. Prints as lines in JShell.
     */
    public static Info info() { return new Info(dev.jtensor.internal.RuntimeInfo.info()); }

    /** Prints {@link #info()} to standard output, as {@code print(torch.__config__.show())}. */
    public static void printInfo() { System.out.print(info()); }
}
