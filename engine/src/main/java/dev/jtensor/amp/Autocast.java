package dev.jtensor.amp;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Tensor;

/**
 * An autocast scope, as {@code torch.autocast(device_type, dtype, enabled)}: opened by
 * {@code Jt.autocast(device, dtype)} in a try-with-resources, closed at its end.
 * <pre>{@code
 * try (var ac = Jt.autocast(Device.cuda(0), DType.FLOAT16)) {
 *     Tensor loss = lossFn.forward(model.forward(x), y);   // linear in float16, the loss in float32
 * }
 * loss.backward();                                          // outside the scope, as PyTorch recommends
 * }</pre>
 *
 * <p>Inside the scope, ops on tensors of the scope's device type (CPU, or CUDA of any index) cast their
 * floating operands by PyTorch's op lists ({@link AutocastPolicy}): matrix products (mm, bmm, matmul, addmm,
 * baddbmm, linear, and convolution and attention) in the low type; on CUDA softmax, log_softmax, layer_norm,
 * sum, prod, cumsum, exp, log, pow and the losses in float32 (on the CPU, as torch 1.13: prod and the losses);
 * float64 tensors are never cast. Ops not listed run in their inputs' types, and mixed operands promote as
 * always (bfloat16 + float32 = float32). The casts are recorded by autograd ({@code ToCopyBackward0}), so each
 * parameter's gradient comes back in the parameter's own dtype. Backward passes run with autocast off (the
 * ops' backward formulas keep the forward's types).
 *
 * <p>The state is per thread and per device type, as PyTorch's: a scope on one thread does not affect
 * another, and a CPU scope leaves CUDA ops alone. Scopes nest: an inner scope (e.g. {@code enabled = false}
 * around a region that must run in float32) replaces the state of its device type until it closes, and
 * closing restores what was there when it opened. {@link #close} is idempotent. Casts are not cached across
 * ops (PyTorch caches the cast of a weight used twice in one scope; the results are the same, a second use
 * costs one more cast here).
 */
public final class Autocast implements AutoCloseable {
    /** Per thread: [CPU, CUDA] states; null entries are "off". */
    private static final ThreadLocal<State[]> STATE = ThreadLocal.withInitial(() -> new State[2]);
    /** Per thread: depth of backward passes running (autocast is off inside). */
    private static final ThreadLocal<int[]> SUSPENDED = ThreadLocal.withInitial(() -> new int[1]);

    private record State(boolean enabled, DType dtype) {}

    private final int slot;
    private final State previous;
    private final Thread owner;
    private boolean closed;

    private Autocast(int slot, State previous) {
        this.slot = slot;
        this.previous = previous;
        this.owner = Thread.currentThread();
    }

    /**
     * Opens a scope for {@code device}'s type with low type {@code dtype} (float16 or bfloat16); {@code enabled}
     * false opens a scope in which that device type runs without autocast.
     *
     * @throws IllegalArgumentException for a dtype other than float16/bfloat16
     */
    public static Autocast enter(Device device, DType dtype, boolean enabled) {
        if (device == null) throw new IllegalArgumentException("autocast: device must not be null");
        if (dtype != DType.FLOAT16 && dtype != DType.BFLOAT16) {
            throw new IllegalArgumentException("autocast: the low-precision type must be float16 or bfloat16, got " + dtype
                    + " (PyTorch: \"In " + (device.isCpu() ? "CPU" : "CUDA") + " autocast, but the target dtype is not supported\")");
        }
        int slot = device.isCpu() ? 0 : 1;
        State[] states = STATE.get();
        Autocast scope = new Autocast(slot, states[slot]);
        states[slot] = new State(enabled, dtype);
        return scope;
    }

    /** Restores the state this scope replaced (idempotent). @throws IllegalStateException from another thread */
    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("autocast: a scope must be closed by the thread that opened it (" + owner.getName() + ")");
        }
        closed = true;
        STATE.get()[slot] = previous;
    }

    /** Whether autocast is on for {@code device}'s type on this thread ({@code torch.is_autocast_enabled}). */
    public static boolean isEnabled(Device device) {
        State s = STATE.get()[device.isCpu() ? 0 : 1];
        return s != null && s.enabled && SUSPENDED.get()[0] == 0;
    }

    /** The low type of the innermost scope for {@code device}'s type, or PyTorch's default (CPU bfloat16, CUDA float16). */
    public static DType lowPrecisionType(Device device) {
        State s = STATE.get()[device.isCpu() ? 0 : 1];
        return s != null ? s.dtype : device.isCpu() ? DType.BFLOAT16 : DType.FLOAT16;
    }

    /**
     * The hook every op with an autocast policy calls first, with its PyTorch name ({@code "mm"},
     * {@code "layer_norm"}, {@code "conv2d"}, ...) and its tensor operands (nulls allowed, kept): returns the
     * operands to use, cast as the scope requires, or {@code args} itself when autocast is off for the first
     * operand's device type or the op is not listed. Ops of other issues (convolution, attention) call it too.
     */
    public static Tensor[] inputs(String op, Tensor... args) {
        Tensor first = null;
        for (Tensor t : args) if (t != null) { first = t; break; }
        if (first == null) return args;
        Device device = first.device();
        State s = STATE.get()[device.isCpu() ? 0 : 1];
        if (s == null || !s.enabled || SUSPENDED.get()[0] != 0) return args;
        AutocastPolicy.Cast cast = AutocastPolicy.of(op, !device.isCpu());
        if (cast == null) return args;
        DType target = switch (cast) {
            case LOWER -> s.dtype;
            case FP32 -> DType.FLOAT32;
            case PROMOTE -> widest(args, device);
        };
        if (target == null) return args;
        Tensor[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            Tensor t = out[i];
            if (eligible(t, device) && t.dtype() != target) out[i] = t.to(target);
        }
        return out;
    }

    /** One operand: {@code inputs(op, t)[0]} (no array made when autocast is off: ops call this on every call). */
    public static Tensor input(String op, Tensor t) {
        if (t == null || !isEnabled(t.device())) return t;
        return inputs(op, t)[0];
    }

    /** PyTorch's {@code is_eligible}: a floating tensor other than float64 on the scope's device type. */
    private static boolean eligible(Tensor t, Device device) {
        return t != null && t.dtype().isFloatingPoint() && t.dtype() != DType.FLOAT64 && t.device().isCpu() == device.isCpu();
    }

    /** torch.promote_types over the eligible operands: float32 if any is float32 or float16 meets bfloat16. */
    private static DType widest(Tensor[] args, Device device) {
        DType w = null;
        for (Tensor t : args) {
            if (!eligible(t, device)) continue;
            w = w == null || w == t.dtype() ? t.dtype() : DType.FLOAT32;
        }
        return w;
    }

    /**
     * Turns autocast off on this thread until the returned handle closes (the autograd engine wraps every
     * backward pass in one). Nests.
     */
    public static AutoCloseableNoThrow suspend() {
        SUSPENDED.get()[0]++;
        return () -> SUSPENDED.get()[0]--;
    }

    /** An {@link AutoCloseable} whose close throws nothing. */
    @FunctionalInterface
    public interface AutoCloseableNoThrow extends AutoCloseable {
        @Override
        void close();
    }
}
