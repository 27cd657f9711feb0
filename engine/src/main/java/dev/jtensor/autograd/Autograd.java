package dev.jtensor.autograd;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.amp.Autocast;
import dev.jtensor.internal.LeafGrads;
import dev.jtensor.internal.Tensors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tape: ops record a {@link GradFn} on their output when grad mode is on and an input requires
 * grad; {@link #backward} walks the recorded nodes in reverse topological order, sums broadcast
 * gradients back to each input's shape, and accumulates into leaves' {@code grad}. Custom ops use
 * {@link #record} the way PyTorch's {@code torch.autograd.Function} is used.
 */
public final class Autograd {
    private Autograd() {}

    /** True if grad mode is on and any input requires grad: then the op must record. */
    public static boolean needsGrad(Tensor a) {
        return a.requiresGrad() && GradMode.isEnabled();
    }

    public static boolean needsGrad(Tensor a, Tensor b) {
        return (a.requiresGrad() || (b != null && b.requiresGrad())) && GradMode.isEnabled();
    }

    public static boolean needsGrad(List<Tensor> inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /**
     * Records {@code output = op(inputs)} on the tape and returns {@code output}, now carrying a
     * {@code gradFn} named {@code name}. No-op when no input requires grad or grad mode is off.
     *
     * @param toSave tensors the rule reads back through {@link Saved#get}, version-checked
     */
    public static Tensor record(String name, Tensor output, List<Tensor> inputs, List<Tensor> toSave, BackwardRule rule) {
        if (!needsGrad(inputs)) return output;
        GradFn[] next = new GradFn[inputs.size()];
        long[][] shapes = new long[inputs.size()][];
        DType[] types = new DType[inputs.size()];
        boolean[] needs = new boolean[inputs.size()];
        for (int i = 0; i < next.length; i++) {
            Tensor in = inputs.get(i);
            if (in == null || !in.requiresGrad()) continue;
            needs[i] = true;
            next[i] = edgeOf(in);
            shapes[i] = Tensors.layout(in).shape();
            types[i] = in.dtype();
        }
        Saved saved = new Saved(toSave.isEmpty() ? Saved.NO_TENSORS : toSave.toArray(new Tensor[0]), needs, name);
        GradFn fn = new GradFn(name, rule, saved, next, shapes, types, null);
        Tensors.setGradFn(output, fn);
        return output;
    }

    /**
     * Moves {@code self}'s history after an in-place op whose out-of-place value {@code result} (carrying
     * the op's node) was written into {@code self}: {@code self} takes {@code result}'s node, or, when
     * {@code self} is a view, its base gets a {@code CopySlices} node (PyTorch's in-place on views).
     *
     * @throws IllegalStateException for a view of a leaf that requires grad, as PyTorch
     */
    public static void rebaseHistory(Tensor self, Tensor result) {
        Tensor base = Tensors.viewBase(self);
        boolean tracked = result.gradFn() != null && GradMode.isEnabled();
        if (base != null && (tracked || base.requiresGrad())) {
            if (!tracked) return;
            ViewInPlace.rebase(self, base, result);
            return;
        }
        if (result.gradFn() != null) Tensors.setGradFn(self, result.gradFn());
    }

    /** The node a tensor's gradient flows into: its gradFn, or its leaf's AccumulateGrad node. */
    static GradFn edgeOf(Tensor t) {
        GradFn fn = t.gradFn();
        if (fn != null) return fn;
        GradFn acc = Tensors.accumulator(t);
        if (acc == null) {
            acc = new GradFn("AccumulateGrad", null, Saved.NONE, new GradFn[0], new long[0][], new DType[0], t);
            Tensors.setAccumulator(t, acc);
        }
        return acc;
    }

    /** {@code output.backward(gradient)}; gradient may be null for a one-element output. */
    public static void backward(Tensor output, Tensor gradient, boolean retainGraph, boolean createGraph) {
        try (var noAutocast = Autocast.suspend()) { // backward formulas keep the forward's types (PyTorch)
            run(List.of(output), gradient == null ? null : Arrays.asList(gradient), retainGraph, createGraph, null);
        }
    }

    /**
     * {@code torch.autograd.grad}: the gradients of {@code outputs} with respect to {@code inputs},
     * returned instead of accumulated into {@code .grad}. An input the outputs do not depend on throws.
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                    boolean retainGraph, boolean createGraph) {
        Map<GradFn, Tensor> captured = new IdentityHashMap<>();
        List<GradFn> targets = new ArrayList<>();
        for (Tensor in : inputs) {
            if (!in.requiresGrad()) {
                throw new IllegalArgumentException("One of the differentiated Tensors does not require grad");
            }
            GradFn e = edgeOf(in);
            targets.add(e);
            captured.put(e, null);
        }
        try (var noAutocast = Autocast.suspend()) {
            run(outputs, gradOutputs, retainGraph, createGraph, captured);
        }
        List<Tensor> result = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor g = captured.get(targets.get(i));
            if (g == null) {
                throw new IllegalArgumentException("One of the differentiated Tensors appears to not have been used in the graph.");
            }
            result.add(g);
        }
        return result;
    }

    private static void run(List<Tensor> outputs, List<Tensor> gradOutputs, boolean retainGraph, boolean createGraph,
                            Map<GradFn, Tensor> captured) {
        Map<GradFn, Tensor> pending = new HashMap<>();
        GradOwnership ownership = new GradOwnership();
        GradRelease release = new GradRelease(ownership, createGraph);
        List<GradFn> roots = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            Tensor out = outputs.get(i);
            if (!out.requiresGrad()) {
                throw new IllegalStateException("element " + i + " of tensors does not require grad and does not have a grad_fn");
            }
            Tensor g = gradOutputs == null ? null : gradOutputs.get(i);
            if (g == null) {
                if (out.numel() != 1) {
                    throw new IllegalStateException("grad can be implicitly created only for scalar outputs (got shape "
                            + out.shape() + "); pass a gradient of that shape to backward(gradient)");
                }
                g = Tensors.onesLike(out);
            } else if (!g.shape().equals(out.shape())) {
                throw new IllegalArgumentException("Mismatch in shape: grad_output[" + i + "] has a shape of " + g.shape()
                        + " and output[" + i + "] has a shape of " + out.shape() + ".");
            }
            GradFn root = edgeOf(out);
            roots.add(root);
            release.put(pending, root, g);
        }
        List<GradFn> order = topologicalOrder(roots);
        try (GradMode mode = GradMode.set(createGraph)) {
            for (GradFn fn : order) {
                Tensor g = release.take(pending, fn);
                if (g == null) continue;
                if (fn.outputHooks != null) {
                    release.consumed(g); // a hook that saw it keeps it alive (GradOwnership)
                    g = runHooks(fn.outputHooks, g, ownership);
                }
                boolean capturedHere = captured != null && captured.containsKey(fn);
                if (capturedHere) {
                    ownership.expose(g); // a result of Autograd.grad: never released by this pass
                    captured.merge(fn, g, (a, b) -> a == null ? b : Tensors.addGrads(a, b));
                    if (fn.leaf != null) continue;
                }
                if (fn.leaf != null) {
                    if (captured == null) accumulate(fn.leaf, g, createGraph, ownership);
                    continue;
                }
                if (fn.saved.isFreed()) fn.saved.get(0); // throws PyTorch's "backward a second time" error
                List<Tensor> grads = release.apply(fn, g);
                checkArity(fn, grads);
                for (int i = 0; i < fn.next.length; i++) {
                    GradFn to = fn.next[i];
                    Tensor raw = i < grads.size() ? grads.get(i) : null, gi = raw;
                    if (gi == null) continue;
                    if (to == null) { // no gradient wanted
                        release.consumed(raw);
                        continue;
                    }
                    gi = Tensors.sumToShape(gi, fn.inputShapes[i]);
                    if (gi.dtype() != fn.inputTypes[i]) gi = gi.to(fn.inputTypes[i]); // as PyTorch's validate_outputs
                    release.put(pending, to, gi);
                    if (gi != raw) release.consumed(raw);
                }
                if (!capturedHere) release.consumed(g); // an Autograd.grad result stays
                release.releaseDead();
                if (!retainGraph) fn.saved.free();
            }
        }
    }

    /** A rule returns one entry per input (trailing nulls beyond the inputs are tolerated). */
    private static void checkArity(GradFn fn, List<Tensor> grads) {
        if (grads == null) throw new IllegalStateException("the backward of " + fn.name + " returned null instead of a list");
        for (int i = fn.next.length; i < grads.size(); i++) {
            if (grads.get(i) != null) {
                throw new IllegalStateException("the backward of " + fn.name + " returned " + grads.size()
                        + " gradients for " + fn.next.length + " inputs");
            }
        }
    }

    /** Runs {@code hooks} on {@code g} in order (a non-null result replaces it); what they see is exposed. */
    private static Tensor runHooks(List<TensorHook> hooks, Tensor g, GradOwnership ownership) {
        for (TensorHook h : hooks) {
            ownership.expose(g);
            Tensor r = h.apply(g);
            if (r != null) g = r;
        }
        if (!hooks.isEmpty()) ownership.expose(g);
        return g;
    }

    /**
     * Leaf hooks run, then {@code leaf.grad += g}. The first time, the leaf takes g itself when this pass
     * made it and nothing else holds it ({@link GradOwnership}), else a copy, so that later in-place
     * accumulation never writes into memory another tensor sees (as PyTorch's AccumulateGrad).
     */
    private static void accumulate(Tensor leaf, Tensor g, boolean createGraph, GradOwnership ownership) {
        g = runHooks(Tensors.leafHooks(leaf), g, ownership);
        Tensor old = LeafGrads.grad(leaf);
        if (old == null && createGraph) {
            Tensors.setGrad(leaf, g);
        } else if (old == null) {
            Tensors.setPrivateGrad(leaf, ownership.take(g, leaf) ? g.detach() : Tensors.detachedCopyIfShared(g));
        } else if (createGraph) {
            Tensors.setGrad(leaf, Tensors.addGrads(old, g));
        } else {
            Tensors.accumulateInPlace(old, g);
        }
    }

    /** Nodes reachable from the roots, each after every node that feeds it gradient. */
    private static List<GradFn> topologicalOrder(List<GradFn> roots) {
        Map<GradFn, Integer> dependents = new IdentityHashMap<>();
        ArrayDeque<GradFn> stack = new ArrayDeque<>(roots);
        for (GradFn r : roots) dependents.putIfAbsent(r, 0);
        while (!stack.isEmpty()) {
            GradFn fn = stack.pop();
            for (GradFn n : fn.next) {
                if (n == null) continue;
                Integer c = dependents.get(n);
                if (c == null) stack.push(n);
                dependents.put(n, c == null ? 1 : c + 1);
            }
        }
        List<GradFn> order = new ArrayList<>(dependents.size());
        ArrayDeque<GradFn> ready = new ArrayDeque<>();
        for (GradFn r : roots) if (dependents.get(r) == 0 && !ready.contains(r)) ready.add(r);
        while (!ready.isEmpty()) {
            GradFn fn = ready.poll();
            order.add(fn);
            for (GradFn n : fn.next) {
                if (n == null) continue;
                int c = dependents.merge(n, -1, Integer::sum);
                if (c == 0) ready.add(n);
            }
        }
        return order;
    }
}
