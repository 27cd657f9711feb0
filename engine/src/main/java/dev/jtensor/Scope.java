package dev.jtensor;

import dev.jtensor.backend.Storage;
import dev.jtensor.internal.Scopes;
import dev.jtensor.internal.Tensors;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Releases at once every tensor allocated on this thread while it is open, except those
 * {@link #keep kept}: {@code try (var scope = Jt.scope()) { ...; return scope.keep(result); }}.
 * Scopes nest; a kept tensor passes to the enclosing scope, if any. Views of a released tensor throw
 * {@link IllegalStateException} on use. Memory made elsewhere (mapped files, other threads) is not
 * touched. A backward pass inside a scope releases sooner what it made itself and no longer needs (each consumed
 * gradient, each built-in backward rule's temporaries: a training step then holds its activations and a few
 * gradients at a time, not every temporary of the pass); the forward's tensors stay to the scope's end, since code
 * may hold any of them ({@code -Djtensor.releaseGradients=false} keeps everything to the end).
 */
public final class Scope implements AutoCloseable {
    private final Scopes.Frame frame = Scopes.open();
    private final Set<Storage> kept = Collections.newSetFromMap(new IdentityHashMap<>());

    Scope() {}

    /** Exempts {@code t} (and every view of its memory) from release; returns it. */
    public Tensor keep(Tensor t) {
        kept.add(Tensors.storage(t));
        return t;
    }

    /** Releases everything allocated in the scope and not kept. Idempotent. */
    @Override
    public void close() {
        if (!frame.isOwnedByCurrentThread()) {
            throw new IllegalStateException("a scope must be closed by the thread that opened it");
        }
        frame.close(kept);
    }
}
