package dev.jtensor.internal;

import dev.jtensor.backend.Storage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-thread stack of open {@code Jt.scope()}s: storage allocated on a thread while a scope is
 * open there is registered with the innermost one, which releases it on close unless kept.
 */
public final class Scopes {
    private Scopes() {}

    /** One open scope's registrations. */
    public static final class Frame {
        final List<Storage> storages = new ArrayList<>();
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

    /** Registers a new storage with this thread's innermost open scope, if any. */
    public static void register(Storage s) {
        ArrayDeque<Frame> stack = STACK.get();
        if (!stack.isEmpty()) stack.peekLast().storages.add(s);
    }
}
