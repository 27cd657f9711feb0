package dev.jtensor.optim;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.GradMode;
import dev.jtensor.internal.LeafGrads;
import dev.jtensor.internal.Tensors;
import dev.jtensor.io.Npz;
import java.io.IOException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the optimizers, as {@code torch.optim.Optimizer} with one parameter group: holds the
 * parameters, the learning rate, and per-parameter state. {@link #step()} updates every parameter that
 * has a gradient, in place and outside the tape; parameters without a gradient are skipped, as PyTorch.
 */
public abstract class Optimizer {
    /** The parameters, in the order given. */
    protected final List<Tensor> params;
    /** The learning rate (schedulers change it). */
    protected double lr;
    private final Map<Tensor, ParamState> state = new IdentityHashMap<>();

    protected Optimizer(List<Tensor> params, double lr) {
        if (params.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (!p.isLeaf()) throw new IllegalArgumentException("can't optimize a non-leaf Tensor (parameter " + i + ")");
            if (!p.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("parameter " + i + " has dtype " + p.dtype() + "; optimizers need floating point");
            }
        }
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** Updates the parameters from their gradients, as {@code optimizer.step()}. */
    public abstract void step();

    /** Sets the parameters' gradients to null, as PyTorch 2's {@code zero_grad()}. */
    public void zeroGrad() { zeroGrad(true); }

    /** {@code setToNone}: drop the gradients; else zero them in place (PyTorch 1's default). */
    public void zeroGrad(boolean setToNone) { LeafGrads.zeroGrads(params, setToNone); }

    /** The current learning rate. */
    public double lr() { return lr; }

    /** Sets the learning rate (what a scheduler does). */
    public void setLr(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + lr);
        this.lr = lr;
    }

    /** The parameters (unmodifiable). */
    public List<Tensor> params() { return params; }

    /** {@code value}, checked as PyTorch's optimizers check their options ("Invalid eps value: -1.0"). */
    protected static double nonNegative(String option, double value) {
        if (!(value >= 0)) throw new IllegalArgumentException("Invalid " + option + " value: " + value);
        return value;
    }

    /**
     * Runs {@code update(p, grad)} for every parameter that has a gradient (the gradient as contiguous memory
     * of the parameter's dtype). The optimizers' {@code step()}: the update itself is one fused backend step
     * ({@code FusedSteps}), which holds the memory it touches and bumps the parameter's version.
     */
    protected final void updateEach(java.util.function.BiConsumer<Tensor, Tensor> update) {
        for (Tensor p : params) {
            Tensor g = LeafGrads.grad(p);
            if (g == null) continue;
            if (!g.shape().equals(p.shape())) {
                throw new IllegalStateException("gradient of shape " + g.shape() + " for a parameter of shape " + p.shape());
            }
            if (g.dtype() != p.dtype() || !g.isContiguous()) {
                try (GradMode m = GradMode.set(false)) {
                    g = g.to(p.dtype()).contiguous();
                }
            }
            update.accept(p, g);
        }
    }

    /**
     * One parameter's state (PyTorch's {@code optimizer.state[p]}): named tensors shaped like the parameter
     * ({@code exp_avg}, {@code momentum_buffer}, ...) and the step count. Its tensors live as long as the
     * parameter, also when a {@code Jt.scope()} made them (DESIGN section 4).
     */
    protected static final class ParamState {
        private final Tensor param;
        private final Map<String, Tensor> tensors = new LinkedHashMap<>();
        /** Steps taken for this parameter. */
        protected long step;

        ParamState(Tensor param) { this.param = param; }

        /** True once the state tensor {@code name} exists. */
        protected boolean has(String name) { return tensors.containsKey(name); }

        /** The state tensor {@code name}, made on first use like the parameter and filled with {@code initial}. */
        protected Tensor tensor(String name, double initial) {
            return tensors.computeIfAbsent(name, k -> {
                Tensor t;
                try (GradMode m = GradMode.set(false)) {
                    t = Jt.zeros(param.shape().toArray(), param.dtype(), param.device());
                    if (initial != 0) t.fill_(initial);
                }
                Tensors.adoptLifetime(t, param);
                return t;
            });
        }
    }

    /** The state of parameter {@code p}, made empty on first use. */
    protected final ParamState state(Tensor p) { return state.computeIfAbsent(p, ParamState::new); }

    /**
     * PyTorch's {@code optimizer.state_dict()}, flat for an {@code .npz}: {@code state.<i>.<name>} for each
     * state tensor of parameter i (in the order given), {@code state.<i>.step} (0-d int64) and
     * {@code param_groups.0.lr} (0-d float64). The tensors are the state itself, not copies.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            ParamState s = state.get(params.get(i));
            if (s == null) continue;
            for (var e : s.tensors.entrySet()) out.put("state." + i + "." + e.getKey(), e.getValue());
            out.put("state." + i + ".step", Jt.tensor(s.step));
        }
        out.put("param_groups.0.lr", Jt.tensor(lr, DType.FLOAT64));
        return out;
    }

    /**
     * Restores what {@link #stateDict()} gave (of an optimizer of the same kind over parameters of the same
     * shapes): state tensors are copied into this optimizer's own, the step counts and learning rate set.
     *
     * @throws IllegalArgumentException naming the key for an unknown key, a parameter index out of range, or
     *                                  a tensor of the wrong shape or dtype
     */
    public void loadStateDict(Map<String, Tensor> dict) {
        for (var e : dict.entrySet()) {
            String key = e.getKey();
            Tensor v = e.getValue();
            if (key.equals("param_groups.0.lr")) {
                setLr(v.item());
                continue;
            }
            String[] parts = key.split("\\.", 3);
            if (parts.length != 3 || !parts[0].equals("state")) throw new IllegalArgumentException("unknown optimizer state key '" + key + "'");
            int i;
            try {
                i = Integer.parseInt(parts[1]);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("optimizer state key '" + key + "' does not name a parameter index", ex);
            }
            if (i < 0 || i >= params.size()) {
                throw new IllegalArgumentException("optimizer state key '" + key + "' names parameter " + i + " of " + params.size());
            }
            Tensor p = params.get(i);
            ParamState s = state(p);
            if (parts[2].equals("step")) {
                s.step = v.itemLong();
                continue;
            }
            if (!v.shape().equals(p.shape())) {
                throw new IllegalArgumentException("optimizer state '" + key + "' has shape " + v.shape() + ", parameter " + i
                        + " has shape " + p.shape());
            }
            Tensor mine = s.tensor(parts[2], 0);
            try (GradMode m = GradMode.set(false)) {
                mine.copy_(v);
            }
        }
    }

    /** Saves {@link #stateDict()} as an {@code .npz} (as {@code torch.save(optimizer.state_dict())}). */
    public void save(Path path) throws IOException { Npz.save(path, stateDict()); }

    /** Loads an {@code .npz} written by {@link #save} into this optimizer ({@link #loadStateDict}). */
    public void load(Path path) throws IOException { loadStateDict(Npz.load(path)); }
}
