package dev.jtensor.amp;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.internal.LeafGrads;
import dev.jtensor.internal.ops.AmpSteps;
import dev.jtensor.optim.Optimizer;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loss scaling for float16 training, as {@code torch.cuda.amp.GradScaler}:
 * <pre>{@code
 * var scaler = new GradScaler();
 * for (...) {
 *     opt.zeroGrad();
 *     try (var ac = Jt.autocast(device, DType.FLOAT16)) { loss = lossFn.forward(model.forward(x), y); }
 *     scaler.scale(loss).backward();
 *     scaler.step(opt);        // unscales the gradients, skips the step if any is inf/NaN
 *     scaler.update();         // backs the scale off after an inf/NaN, grows it after growthInterval clean steps
 * }
 * }</pre>
 *
 * <p>The algorithm is PyTorch's: {@link #scale} multiplies by the current scale (a float32 value, 65536 at
 * first); {@link #unscale_} multiplies each gradient of the optimizer by {@code 1/scale} (float64 reciprocal
 * rounded to float32) in one fused pass per gradient that also records whether any element was infinite or
 * NaN (a backend verb; on the device, no synchronisation); {@link #step} reads that flag (one synchronisation,
 * as PyTorch's {@code found_inf.item()}) and runs {@code optimizer.step()} only when every gradient was finite;
 * {@link #update} then sets {@code scale *= backoffFactor} and zeroes the growth tracker after a skipped step,
 * else counts the clean step and, every {@code growthInterval} clean steps in a row, sets
 * {@code scale *= growthFactor} (kept only if finite) and zeroes the tracker. Each product is computed in
 * float64 and rounded to float32, as PyTorch's {@code _amp_update_scale_}.
 *
 * <p>Errors as PyTorch's: {@code unscale_} twice before {@code update} ({@code IllegalStateException}),
 * {@code step} twice before {@code update}, float16 gradients given to {@code unscale_} (their unscaled values
 * would lose precision: keep the parameters in float32 under autocast). A scaler made with {@code enabled}
 * false passes everything through ({@code scale} returns its argument, {@code step} just steps).
 *
 * <p>Not thread-safe: one scaler per training loop, as PyTorch's.
 */
public final class GradScaler {
    private enum Stage { READY, UNSCALED, STEPPED }

    private static final class OptState {
        Stage stage = Stage.READY;
        /** One flag per device of the gradients, still on the device until {@link #found()} reads them. */
        java.util.List<Tensor> foundInf = java.util.List.of();
        Boolean found;

        /** Whether any gradient was inf/NaN (reads the device flags once: PyTorch's found_inf.item()). */
        boolean found() {
            if (found == null) {
                double sum = 0;
                for (Tensor f : foundInf) sum += f.item();
                found = sum != 0;
            }
            return found;
        }
    }

    private float scale;
    private double growthFactor, backoffFactor;
    private int growthInterval, growthTracker;
    private final boolean enabled;
    private final Map<Optimizer, OptState> perOptimizer = new IdentityHashMap<>();

    /** PyTorch's defaults: init scale 2^16, growth factor 2, backoff factor 0.5, growth interval 2000. */
    public GradScaler() { this(65536.0, 2.0, 0.5, 2000, true); }

    /**
     * @throws IllegalArgumentException for a growth factor not above 1, a backoff factor outside (0, 1), a
     *         non-positive growth interval or init scale
     */
    public GradScaler(double initScale, double growthFactor, double backoffFactor, int growthInterval, boolean enabled) {
        if (!(initScale > 0) || Double.isInfinite(initScale)) throw new IllegalArgumentException("GradScaler: init_scale must be a positive finite number, got " + initScale);
        if (!(growthFactor > 1.0)) throw new IllegalArgumentException("The growth factor must be > 1.0.  Got " + growthFactor);
        if (!(backoffFactor > 0 && backoffFactor < 1.0)) throw new IllegalArgumentException("The backoff factor must be < 1.0.  Got " + backoffFactor);
        if (growthInterval <= 0) throw new IllegalArgumentException("growth_interval must be a positive integer, got " + growthInterval);
        this.scale = (float) initScale;
        this.growthFactor = growthFactor;
        this.backoffFactor = backoffFactor;
        this.growthInterval = growthInterval;
        this.enabled = enabled;
    }

    public boolean isEnabled() { return enabled; }

    /** {@code outputs * scale} (the input itself when disabled). */
    public Tensor scale(Tensor outputs) {
        if (!enabled) return outputs;
        return outputs.mul((double) scale);
    }

    /**
     * Divides the gradients of {@code optimizer}'s parameters by the scale in place, and notes whether any was
     * infinite or NaN (for {@link #step}). Optional: {@code step} calls it when it was not called (call it
     * yourself to clip the true gradients between backward and step).
     *
     * @throws IllegalStateException when called twice for the optimizer since the last {@link #update}, or after its step
     * @throws IllegalArgumentException for a float16 gradient
     */
    public void unscale_(Optimizer optimizer) {
        if (!enabled) return;
        OptState st = perOptimizer.computeIfAbsent(optimizer, o -> new OptState());
        if (st.stage == Stage.UNSCALED) throw new IllegalStateException("unscale_() has already been called on this optimizer since the last update().");
        if (st.stage == Stage.STEPPED) throw new IllegalStateException("unscale_() is being called after step().");
        float invScale = (float) (1.0 / (double) scale);
        Map<Device, Tensor> found = new LinkedHashMap<>();
        for (Tensor p : optimizer.params()) {
            Tensor g = LeafGrads.grad(p);
            if (g == null) continue;
            if (g.dtype() == DType.FLOAT16) throw new IllegalArgumentException("Attempting to unscale FP16 gradients.");
            Tensor f = found.computeIfAbsent(g.device(), d -> Jt.zeros(new long[] {1}, DType.FLOAT32, d));
            AmpSteps.unscale(g, invScale, f);
        }
        st.foundInf = java.util.List.copyOf(found.values()); // read in step(): the one synchronisation
        st.stage = Stage.UNSCALED;
    }

    /**
     * Unscales (unless {@link #unscale_} ran) and runs {@code optimizer.step()} when every gradient was finite.
     *
     * @return whether the optimizer stepped
     * @throws IllegalStateException when called twice for the optimizer since the last {@link #update}
     */
    public boolean step(Optimizer optimizer) {
        if (!enabled) {
            optimizer.step();
            return true;
        }
        OptState st = perOptimizer.computeIfAbsent(optimizer, o -> new OptState());
        if (st.stage == Stage.STEPPED) throw new IllegalStateException("step() has already been called since the last update().");
        if (st.stage == Stage.READY) unscale_(optimizer);
        boolean finite = !st.found();
        if (finite) optimizer.step();
        st.stage = Stage.STEPPED;
        return finite;
    }

    /**
     * Updates the scale from the steps since the last update (see the class comment) and resets the
     * per-optimizer state.
     *
     * @throws IllegalStateException when no optimizer was unscaled or stepped since the last update (PyTorch's assertion)
     */
    public void update() {
        if (!enabled) return;
        boolean any = false, found = false;
        for (OptState st : perOptimizer.values()) {
            if (st.stage == Stage.READY) continue;
            any = true;
            found |= st.found();
        }
        if (!any) throw new IllegalStateException("No inf checks were recorded prior to update.");
        perOptimizer.clear();
        if (found) {
            scale = (float) (scale * backoffFactor);
            growthTracker = 0;
        } else if (++growthTracker == growthInterval) {
            float grown = (float) (scale * growthFactor);
            if (Float.isFinite(grown)) scale = grown;
            growthTracker = 0;
        }
    }

    /** {@code update(new_scale)}: sets the scale outright (and resets the per-optimizer state). */
    public void update(double newScale) {
        if (!enabled) return;
        perOptimizer.clear();
        scale = (float) newScale;
    }

    /** The current scale (1.0 when disabled). */
    public double getScale() { return enabled ? scale : 1.0; }

    public double getGrowthFactor() { return growthFactor; }

    public void setGrowthFactor(double f) { growthFactor = f; }

    public double getBackoffFactor() { return backoffFactor; }

    public void setBackoffFactor(double f) { backoffFactor = f; }

    public int getGrowthInterval() { return growthInterval; }

    public void setGrowthInterval(int n) { growthInterval = n; }

    /** Clean steps since the last growth or backoff (PyTorch's {@code _growth_tracker}). */
    public int growthTracker() { return growthTracker; }

    /**
     * PyTorch's keys: {@code scale}, {@code growth_factor}, {@code backoff_factor}, {@code growth_interval},
     * {@code _growth_tracker}; empty when disabled.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!enabled) return m;
        m.put("scale", (double) scale);
        m.put("growth_factor", growthFactor);
        m.put("backoff_factor", backoffFactor);
        m.put("growth_interval", growthInterval);
        m.put("_growth_tracker", growthTracker);
        return m;
    }

    /**
     * Restores {@link #stateDict}'s values.
     *
     * A disabled scaler ignores it, as PyTorch's.
     *
     * @throws IllegalArgumentException for an empty dict or a missing key
     */
    public void loadStateDict(Map<String, ?> state) {
        if (!enabled) return;
        if (state.isEmpty()) {
            throw new IllegalArgumentException("The source state dict is empty, possibly because it was saved from a disabled instance of GradScaler.");
        }
        scale = (float) number(state, "scale").doubleValue();
        growthFactor = number(state, "growth_factor").doubleValue();
        backoffFactor = number(state, "backoff_factor").doubleValue();
        growthInterval = number(state, "growth_interval").intValue();
        growthTracker = number(state, "_growth_tracker").intValue();
    }

    private static Number number(Map<String, ?> state, String key) {
        Object v = state.get(key);
        if (v instanceof Number n) return n;
        throw new IllegalArgumentException("GradScaler state dict: key '" + key + "' missing or not a number (got " + v + ")");
    }
}
