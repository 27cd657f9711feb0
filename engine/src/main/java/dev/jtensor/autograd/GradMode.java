package dev.jtensor.autograd;

/**
 * Thread-local grad mode, as {@code torch.no_grad()} / {@code enable_grad()} / {@code set_grad_enabled}.
 * Closing the returned guard restores the previous mode, so guards nest.
 */
public final class GradMode implements AutoCloseable {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private final boolean previous;
    private boolean closed;

    private GradMode(boolean enabled) {
        boolean[] flag = ENABLED.get();
        this.previous = flag[0];
        flag[0] = enabled;
    }

    /** Whether ops on this thread record the tape now. */
    public static boolean isEnabled() { return ENABLED.get()[0]; }

    /** Sets grad mode until the guard is closed. */
    public static GradMode set(boolean enabled) { return new GradMode(enabled); }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        ENABLED.get()[0] = previous;
    }
}
