package dev.jtensor.internal;

import dev.jtensor.backend.cpu.Blas;
import dev.jtensor.backend.cpu.NativeKernels;
import dev.jtensor.backend.cpu.NativeMemory;
import dev.jtensor.backend.cpu.Parallel;
import dev.jtensor.backend.cuda.CudaDevices;

/** Process-wide runtime facts for {@code Jt.info()}, and propagation of the thread setting. */
public final class RuntimeInfo {
    private RuntimeInfo() {}

    private static volatile boolean blasThreadsSynced;

    /**
     * OpenBLAS runs single-threaded inside every call, whatever the thread setting: jtensor splits large
     * matrix products over its own intra-op pool ({@code CpuLinalg}), which adapts to concurrent callers;
     * OpenBLAS's pthreads pool would spin beside it and collapse throughput under many request threads.
     */
    public static void onThreadsChanged(int n) {
        try {
            Blas.setNumThreads(1);
            blasThreadsSynced = true;
        } catch (LinkageError | IllegalStateException e) {
            // BLAS unavailable: the intra-op pool still follows the setting; matmul will report the cause.
        }
    }

    /** Called before the first BLAS call: applies the current thread setting to OpenBLAS once. */
    public static void syncBlasThreads() {
        if (!blasThreadsSynced) onThreadsChanged(Parallel.numThreads());
    }

    public static String info() {
        StringBuilder b = new StringBuilder();
        b.append("jtensor ").append(version()).append('\n');
        b.append("java: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version")).append('\n');
        b.append("threads: ").append(Parallel.numThreads())
                .append(" (intra-op pool, shared with concurrent callers; matmuls split over it, OpenBLAS single-threaded per call)\n");
        try {
            syncBlasThreads();
            var blas = Blas.info();
            b.append("blas: ").append(blas.config()).append('\n');
            b.append("blas core: ").append(blas.coreName()).append(coreOrigin(System.getenv("OPENBLAS_CORETYPE"))).append('\n');
            b.append("blas library: ").append(blas.library()).append(" [").append(blas.source()).append("]\n");
            b.append("blas threads: ").append(blas.numThreads()).append(" (").append(blas.threading()).append(")\n");
        } catch (LinkageError | IllegalStateException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            b.append("blas: not loaded: ").append(cause.getMessage()).append('\n');
        }
        b.append("cpu kernels: ").append(NativeKernels.status()).append('\n');
        b.append("devices: cpu\n");
        for (String line : CudaDevices.describe()) b.append(line).append('\n');
        b.append("native memory: ").append(NativeMemory.liveBytes()).append(" bytes live (")
                .append(NativeMemory.pooledBytes()).append(" pooled), limit ").append(NativeMemory.limitBytes()).append('\n');
        return b.toString();
    }

    /**
     * Whether OpenBLAS chose its kernels from the CPU or was told: {@code OPENBLAS_CORETYPE} in the
     * environment overrides its CPU detection (DESIGN section 8: this workplace sets it for every process).
     */
    static String coreOrigin(String coreTypeEnv) {
        if (coreTypeEnv == null || coreTypeEnv.isBlank()) return " (kernels detected from the CPU)";
        return " (kernels forced by OPENBLAS_CORETYPE=" + coreTypeEnv.strip() + " in the environment, not detected from the CPU)";
    }

    static String version() {
        String v = RuntimeInfo.class.getPackage() == null ? null : RuntimeInfo.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
