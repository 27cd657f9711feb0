package dev.jtensor.io;

import java.lang.foreign.Arena;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One file mapping shared by several tensors (the members of an {@code .npz}), unmapped when the last
 * holder lets go. One {@link Arena#ofShared()} per mapped file, never per tensor: closing a shared arena
 * costs about 100 µs (it handshakes every thread). Each tensor's storage calls {@link #release()} once,
 * on {@code close()} or from its Cleaner; the opener holds the first reference.
 */
final class SharedMapping {
    private final Arena arena;
    private final AtomicInteger holders = new AtomicInteger(1);

    SharedMapping(Arena arena) { this.arena = arena; }

    Arena arena() { return arena; }

    /** A new holder; must be paired with one {@link #release()}. */
    Runnable retain() {
        holders.incrementAndGet();
        return this::release;
    }

    void release() {
        if (holders.decrementAndGet() == 0) arena.close();
    }
}
