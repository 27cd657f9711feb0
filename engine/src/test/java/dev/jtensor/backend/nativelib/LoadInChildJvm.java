package dev.jtensor.backend.nativelib;

import dev.jtensor.backend.cpu.Blas;
import dev.jtensor.backend.cpu.BlasInfo;
import java.lang.foreign.MemorySegment;

/**
 * Main class of the child JVMs that {@link NativeLibrariesTest} starts: waits until the wall-clock
 * time given as the first argument (so that several children start loading at once), loads BLAS
 * through {@link Blas}, computes a dot product and prints {@code OK <library> | <source> | <dot>}.
 * Failures print the exception and exit 1.
 */
public final class LoadInChildJvm {
    private LoadInChildJvm() {}

    public static void main(String[] args) throws InterruptedException {
        long startAtMillis = args.length > 0 ? Long.parseLong(args[0]) : 0;
        long waitMillis = startAtMillis - System.currentTimeMillis();
        if (waitMillis > 0) Thread.sleep(waitMillis);
        try {
            MemorySegment x = MemorySegment.ofArray(new float[] {1, 2, 3});
            MemorySegment y = MemorySegment.ofArray(new float[] {4, 5, 6});
            float dot = Blas.sdot(3, x, 0, 1, y, 0, 1);
            BlasInfo info = Blas.info();
            System.out.println("OK " + info.library() + " | " + info.source() + " | " + dot + " | " + info.config());
        } catch (Throwable t) {
            Throwable root = t;
            while (root.getCause() != null) root = root.getCause();
            System.out.println("FAILED " + root);
            t.printStackTrace(System.out);
            System.exit(1);
        }
    }
}
