package dev.jtensor.internal;

import dev.jtensor.backend.cpu.NativeMemory;

/** Process-wide runtime facts for {@code Jt.info()}, and propagation of the thread setting. */
public final class RuntimeInfo {
    private RuntimeInfo() {}

    public static void onThreadsChanged(int n) {
        // OpenBLAS follows the intra-op setting once loaded (see Blas.setNumThreads).
    }

    public static String info() {
        StringBuilder b = new StringBuilder();
        b.append("jtensor ").append(version()).append('\n');
        b.append("java: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version")).append('\n');
        b.append("threads: ").append(Parallel.numThreads()).append('\n');
        b.append("devices: cpu\n");
        b.append("native memory: ").append(NativeMemory.liveBytes()).append(" bytes live (")
                .append(NativeMemory.pooledBytes()).append(" pooled), limit ").append(NativeMemory.limitBytes()).append('\n');
        return b.toString();
    }

    static String version() {
        String v = RuntimeInfo.class.getPackage() == null ? null : RuntimeInfo.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
