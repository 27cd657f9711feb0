package dev.jtensor.internal;

import dev.jtensor.backend.Storage;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The per-thread stack of open {@code Jt.scope()}s: storage allocated on a thread while a scope is
 * open there is registered with the innermost one, which releases it on close unless kept. Memory made
 * inside a scope for a tensor made outside it (a leaf's gradient, an optimizer's state, a resized
 * {@code out=}) is {@link #adopt adopted}: it takes its owner's scope, or none, so it lives as long as
 * its owner (DESIGN section 4: a training step per scope).
 */
public final class Scopes {
    private Scopes() {}

    /** One open scope's registrations. */
    public static final class Frame {
        /** Insertion-ordered identity set (Storage keeps Object's equals): release follows allocation order. */
        final Set<Storage> storages = new LinkedHashSet<>();
        final Thread owner = Thread.currentThread();
        boolean closed;

        /** Releases everything registered and not kept. */
        public void close(java.util.Set<Storage> kept) {
            if (closed) return;
            closed = true;
            ArrayDeque<Frame> stack = STACK.get();
            stack.remove(this);
            Frame parent = stack.peekLast();
            for (Storage s : storages) {
                if (kept.contains(s)) {
                    if (parent != null) parent.storages.add(s); // a kept tensor belongs to the enclosing scope
                } else {
                    s.close();
                }
            }
            storages.clear();
        }

        public boolean isOwnedByCurrentThread() { return owner == Thread.currentThread(); }
    }

    private static final ThreadLocal<ArrayDeque<Frame>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    public static Frame open() {
        Frame f = new Frame();
        STACK.get().addLast(f);
        return f;
    }

    /**
     * Gives {@code child} the lifetime of {@code owner}: it leaves whichever of this thread's open scopes
     * holds it and joins the one holding {@code owner}; if no open scope of this thread holds the owner
     * (made outside every scope, or on another thread), the child belongs to no scope and is released by
     * {@code close()} or when unreachable, as its owner is. No-op when both already share a scope.
     */
    public static void adopt(Storage child, Storage owner) {
        if (child == owner) return;
        ArrayDeque<Frame> stack = STACK.get();
        if (stack.isEmpty()) return;
        Frame childFrame = null, ownerFrame = null;
        for (Frame f : stack) {
            if (f.storages.contains(child)) childFrame = f;
            if (f.storages.contains(owner)) ownerFrame = f;
        }
        if (childFrame == ownerFrame) return;
        if (childFrame != null) childFrame.storages.remove(child);
        if (ownerFrame != null) ownerFrame.storages.add(child);
    }

    /** True while a scope is open on this thread. */
    public static boolean isOpen() { return !STACK.get().isEmpty(); }

    /** Registers a new storage with this thread's innermost open scope, if any. */
    public static void register(Storage s) {
        ArrayDeque<Frame> stack = STACK.get();
        if (!stack.isEmpty()) stack.peekLast().storages.add(s);
    }
}
