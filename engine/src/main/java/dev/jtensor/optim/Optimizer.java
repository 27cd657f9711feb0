package dev.jtensor.optim;

import dev.jtensor.Tensor;
import dev.jtensor.internal.Tensors;
import java.util.ArrayList;
import java.util.IdentityHashMap;
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
    private final Map<Tensor, Object> state = new IdentityHashMap<>();

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
    public void zeroGrad(boolean setToNone) {
        for (Tensor p : params) {
            if (p.grad() == null) continue;
            if (setToNone) p.setGrad(null);
            else Updates.fill(p.grad(), 0);
        }
    }

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
     * Runs {@code update(p, grad)} for every parameter that has a gradient, holding references on both
     * memories for the update (a concurrent {@code close()} waits), then records that {@code p} was written
     * in place. The optimizers' {@code step()}.
     */
    protected final void updateEach(java.util.function.BiConsumer<Tensor, Tensor> update) {
        for (Tensor[] pg : withGrads()) {
            Tensor p = pg[0];
            Updates.holding(p, pg[1], () -> update.accept(p, pg[1]));
            Updates.written(p);
        }
    }

    /** Per-parameter state, created by {@code init} the first time the parameter is stepped. */
    @SuppressWarnings("unchecked")
    protected final <S> S state(Tensor p, java.util.function.Supplier<S> init) {
        return (S) state.computeIfAbsent(p, k -> {
            S created = init.get();
            // state made inside a Jt.scope() lives as long as its parameter, not the scope (DESIGN section 4)
            if (created instanceof Tensor t) Tensors.adoptLifetime(t, p);
            if (created instanceof Tensor[] ts) for (Tensor t : ts) Tensors.adoptLifetime(t, p);
            return created;
        });
    }

    /** The parameters that have a gradient, each with it (as contiguous memory of the parameter's dtype). */
    protected final List<Tensor[]> withGrads() {
        List<Tensor[]> out = new ArrayList<>(params.size());
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null) continue;
            if (!g.shape().equals(p.shape())) {
                throw new IllegalStateException("gradient of shape " + g.shape() + " for a parameter of shape " + p.shape());
            }
            out.add(new Tensor[] {p, Updates.dense(g, p.dtype())});
        }
        return out;
    }
}
