package dev.jtensor.backend.cpu;

import java.nio.file.Path;

/**
 * What {@link Blas} runs on, as {@code Jt.info()} reports it.
 *
 * @param library    the shared library file that was loaded
 * @param source     {@code "bundled org.bytedeco:openblas:0.3.28-1.5.11"} or
 *                   {@code "override -Djtensor.blas.library"}
 * @param config     {@code openblas_get_config()}, e.g. {@code "OpenBLAS 0.3.28 DYNAMIC_ARCH NO_AFFINITY
 *                   Cooperlake MAX_THREADS=64"}; "unknown (...)" for a BLAS that is not OpenBLAS
 * @param coreName   {@code openblas_get_corename()}: the CPU kernels chosen at run time, e.g. "Cooperlake"
 * @param numThreads {@code openblas_get_num_threads()} at the time of the call; -1 if the library does not say
 * @param threading  {@code openblas_get_parallel()} in words: "pthreads", "OpenMP" or "sequential"
 */
public record BlasInfo(Path library, String source, String config, String coreName, int numThreads,
                       String threading) {
    @Override public String toString() {
        return config + " (kernels " + coreName + ", " + numThreads + " threads, " + threading + ") from "
                + library + " [" + source + "]";
    }
}
