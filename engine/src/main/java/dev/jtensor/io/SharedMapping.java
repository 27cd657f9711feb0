package dev.jtensor.io;

import dev.jtensor.backend.cpu.FileMappingGuard;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One file mapping shared by several tensors (the members of an {@code .npz}), unmapped when the last
 * holder lets go. One {@link Arena#ofShared()} per mapped file, never per tensor: closing a shared arena
 * costs about 100 µs (it handshakes every thread). Each tensor's storage calls {@link #release()} once,
 * on {@code close()} or from its Cleaner; the opener holds the first reference. The mapping is guarded
 * ({@link FileMappingGuard}): the file shrinking underneath fails the ops on its tensors, not the JVM.
 */
final class SharedMapping {
    private final Arena arena;
    private final AtomicInteger holders = new AtomicInteger(1);
    private volatile FileMappingGuard guard;

    SharedMapping(Arena arena) { this.arena = arena; }

    Arena arena() { return arena; }

    /** Guards the mapping of {@code file} (once, right after mapping it). */
    void guard(MemorySegment mapping, Path file) {
        guard = FileMappingGuard.register(mapping, false, file, mapping.byteSize());
    }

    FileMappingGuard guard() { return guard; }

    /** A new holder; must be paired with one {@link #release()}. */
    Runnable retain() {
        holders.incrementAndGet();
        return this::release;
    }

    void release() {
        if (holders.decrementAndGet() == 0) {
            if (guard != null) guard.unregister();
            arena.close();
        }
    }
}
