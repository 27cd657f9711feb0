package dev.jtensor.backend.nativelib;

import java.nio.file.Path;

/**
 * A native library that {@link NativeLibraries} has {@code System.load}ed.
 *
 * @param path   the file that was loaded (absolute)
 * @param source where it came from, for people: {@value NativeLibraries#BUNDLED_OPENBLAS_SOURCE} or
 *               {@value NativeLibraries#OVERRIDE_OPENBLAS_SOURCE}
 */
public record LoadedLibrary(Path path, String source) {
    /** Whether this is the OpenBLAS jtensor ships (not a {@code -Djtensor.blas.library} override). */
    public boolean isBundled() {
        return NativeLibraries.BUNDLED_OPENBLAS_SOURCE.equals(source);
    }
}
