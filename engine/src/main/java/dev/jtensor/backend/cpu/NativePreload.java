package dev.jtensor.backend.cpu;

import dev.jtensor.backend.nativelib.NativeLibraries;
import dev.jtensor.internal.Config;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;

/**
 * Loads OpenBLAS and {@code libjtensor_cpu.so} on a background thread from the CPU backend's first use, so that a
 * program's first matmul and first C kernel do not wait for them, nor for OpenBLAS's first-call set-up and the JVM's
 * linking of the first sgemm downcall (an 8x8 product here): on the 2-core box these cost ~85 and ~60 ms of a cold
 * JVM's first training step, while the program is still building its model on the main thread.
 * <p>Nothing changes but when the work happens: both loads are the same lazy, thread-safe loads the first op would
 * run (a concurrent first op waits for the one in progress), and a failure is kept and thrown, with its own message,
 * by the first op that needs the library, exactly as without the preload. {@code -Djtensor.native.preload=false}
 * leaves both loads to the first op.
 */
final class NativePreload {
    private static final String PROPERTY = "jtensor.native.preload";

    private NativePreload() {}

    static void start() {
        if (!Config.bool(PROPERTY, true)) return;
        Thread.ofPlatform().daemon().name("jtensor-native-preload").start(NativePreload::run);
    }

    private static void run() {
        try { // NativeKernels' class initialiser loads the C kernels and records any failure as "off" (Jt.info() says why)
            MethodHandles.lookup().ensureInitialized(NativeKernels.class);
        } catch (IllegalAccessException impossible) {
            throw new AssertionError(impossible);
        }
        try {
            NativeLibraries.openBlas();
        } catch (RuntimeException kept) {
            return; // NativeLibraries keeps the failure and throws it, with the file or setting at fault, at the first matmul
        }
        // One 8x8 product: OpenBLAS's first call sets up its buffers, and the JVM links its first sgemm downcall.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(3 * 64 * Float.BYTES, 64);
            Blas.sgemm(Blas.Transpose.NO, Blas.Transpose.NO, 8, 8, 8, 1f, m, 0, 8, m, 64, 8, 0f, m, 128, 8);
        } catch (RuntimeException | LinkageError ignored) {
            // the first matmul meets the same problem and reports it
        }
    }
}
