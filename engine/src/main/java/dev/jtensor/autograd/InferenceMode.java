package dev.jtensor.autograd;

/**
 * Thread-local inference mode, as {@code torch.inference_mode()}: inside the scope no op records the
 * tape (grad mode is off), and the tensors created there are <em>inference tensors</em>, which skip the
 * bookkeeping a later backward would need: in-place changes to them bump no version counter. In exchange,
 * as in PyTorch, outside inference mode an inference tensor cannot require grad, cannot be saved for a
 * backward pass and cannot be changed in place (each raises {@link IllegalStateException}); {@code clone()}
 * it to get a normal tensor. Closing the guard restores the previous modes, so guards nest.
 *
 * <p>The serving pattern: {@code try (var g = Jt.inferenceMode()) { return model.forward(x); }} with the
 * model in {@code eval()} mode, from any number of request threads at once (see the README's
 * "Concurrency" contract).
 */
public final class InferenceMode implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final GradMode grad;
    private final boolean enabled;
    private final boolean previous;
    private boolean closed;

    private InferenceMode(boolean enabled) {
        int[] depth = DEPTH.get();
        this.enabled = enabled;
        this.previous = depth[0] > 0;
        this.grad = enabled ? GradMode.set(false) : null;
        if (enabled) depth[0]++;
        else if (previous) depth[0] = -depth[0]; // inference_mode(False) inside: off until closed
    }

    /** Enters inference mode ({@code torch.inference_mode()}); {@code set(false)} leaves it for the scope. */
    public static InferenceMode set(boolean enabled) { return new InferenceMode(enabled); }

    /** Whether this thread is in inference mode now. */
    public static boolean isEnabled() { return DEPTH.get()[0] > 0; }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        int[] depth = DEPTH.get();
        if (enabled) {
            depth[0]--;
            grad.close();
        } else if (previous) {
            depth[0] = -depth[0];
        }
    }
}
