package dev.jtensor.autograd;

import dev.jtensor.Tensor;
import dev.jtensor.backend.Storage;
import dev.jtensor.internal.Config;
import dev.jtensor.internal.Scopes;
import dev.jtensor.internal.Tensors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * Frees, during one backward pass that does not record, the gradient tensors the pass made and nothing can reach any
 * more, at once instead of at the end of the enclosing {@code Jt.scope()} or at the next GC (issue 23: a GPT step inside
 * a scope kept every gradient temporary to the scope's end). A gradient is dead when all of these hold:
 * <ul>
 *   <li>it was consumed: its node's rule ran on it (or it was summed into another pending gradient);</li>
 *   <li>its storage was made during this pass and no hook saw it, no leaf kept it and no {@code Autograd.grad} result is
 *       it ({@link GradOwnership} tracks these), and it does not require grad (the pass does not record);</li>
 *   <li>no gradient still pending for another node shares its storage (a rule may hand one tensor, or views of it, to
 *       several inputs; the pending gradients' storages are reference-counted here).</li>
 * </ul>
 * Rules do not keep their incoming gradient (they are functions of it), and saved tensors are the forward's, never this
 * pass's gradients when the pass does not record; so nothing else can hold such a storage.
 *
 * <p>Inside a {@code Jt.scope()}, a built-in rule also runs in a scope of its own ({@link #apply}): the temporaries it
 * makes (a composite backward's intermediate products) are released when it returns, its returned gradients pass to the
 * enclosing scope. Rules of a user's {@link Function} run without one (its backward may keep what it makes). Not released
 * early, and why: forward activations and what nodes saved (user code may hold any of them: Java gives no reference
 * counts, so "no node needs it any more" does not prove "dead"); they live to the scope's end, as the scope promises.
 */
final class GradRelease {
    /** {@code -Djtensor.releaseGradients=false} keeps everything to the scope's end (or the GC), as before. */
    private static final boolean ON = Config.bool("jtensor.releaseGradients", true);

    private final GradOwnership ownership;
    private final boolean enabled;
    private final Map<Storage, Integer> pendingRefs = new IdentityHashMap<>();
    private final List<Tensor> candidates = new ArrayList<>();

    GradRelease(GradOwnership ownership, boolean createGraph) {
        this.ownership = ownership;
        this.enabled = ON && !createGraph;
    }

    /**
     * Runs {@code fn}'s rule on {@code g}: inside an open scope and for a built-in rule in a nested scope, keeping only the
     * returned gradients' storages (they pass to the enclosing scope), so the rule's temporaries are released at once.
     */
    List<Tensor> apply(GradFn fn, Tensor g) {
        if (!enabled || !Scopes.isOpen() || fn.rule instanceof Function.UserRule) return fn.rule.apply(g, fn.saved);
        Scopes.Frame frame = Scopes.open();
        List<Tensor> grads = null;
        try {
            grads = fn.rule.apply(g, fn.saved);
            return grads;
        } finally {
            Set<Storage> keep = Collections.newSetFromMap(new IdentityHashMap<>());
            if (grads != null) for (Tensor t : grads) if (t != null) keep.add(Tensors.storage(t));
            frame.close(keep);
        }
    }

    /** {@code pending.merge(to, g, addGrads)}, counting the storages the pending map holds; a replaced sum's parts become candidates. */
    void put(Map<GradFn, Tensor> pending, GradFn to, Tensor g) {
        Tensor old = pending.get(to);
        if (old == null) {
            pending.put(to, g);
            held(g);
            return;
        }
        Tensor sum = Tensors.addGrads(old, g);
        pending.put(to, sum);
        held(sum);
        dropped(old);
        consumed(old);
        consumed(g);
    }

    /** {@code pending.remove(fn)}, uncounted. */
    Tensor take(Map<GradFn, Tensor> pending, GradFn fn) {
        Tensor g = pending.remove(fn);
        if (g != null) dropped(g);
        return g;
    }

    /** {@code g} has been read for the last time by this pass (unless another pending gradient shares it). */
    void consumed(Tensor g) {
        if (enabled && g != null) candidates.add(g);
    }

    /** Closes every consumed gradient that is now dead; call after a node's outputs are all pending. */
    void releaseDead() {
        if (candidates.isEmpty()) return;
        for (Tensor g : candidates) {
            Storage s = Tensors.storage(g);
            if (!pendingRefs.containsKey(s) && ownership.releasable(g)) s.close();
        }
        candidates.clear();
    }

    private void held(Tensor g) {
        if (enabled) pendingRefs.merge(Tensors.storage(g), 1, Integer::sum);
    }

    private void dropped(Tensor g) {
        if (enabled) pendingRefs.computeIfPresent(Tensors.storage(g), (k, v) -> v == 1 ? null : v - 1);
    }
}
