package dev.jtensor.autograd;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A node of the autograd tape: the backward of one recorded op (PyTorch's {@code grad_fn}). Its
 * {@link #name()} is PyTorch's node name ({@code AddBackward0}, {@code MulBackward0}, ...); a leaf that
 * requires grad is fed by an {@code AccumulateGrad} node.
 */
public final class GradFn {
    final String name;
    final BackwardRule rule;
    final Saved saved;
    /** For each input: the node its gradient flows to (null if it needs none). */
    final GradFn[] next;
    /** For each input: its shape, to sum broadcast gradients back. */
    final long[][] inputShapes;
    /** For each input: its dtype, which its gradient is converted to (mixed-dtype ops promote their output). */
    final DType[] inputTypes;
    /** For AccumulateGrad only: the leaf. */
    final Tensor leaf;
    /** Hooks on the gradient flowing into this node's output tensor (retainGrad, registerHook). */
    List<TensorHook> outputHooks;

    GradFn(String name, BackwardRule rule, Saved saved, GradFn[] next, long[][] inputShapes, DType[] inputTypes, Tensor leaf) {
        this.name = name;
        this.rule = rule;
        this.saved = saved;
        this.next = next;
        this.inputShapes = inputShapes;
        this.inputTypes = inputTypes;
        this.leaf = leaf;
    }

    /** PyTorch's node name, e.g. {@code AddBackward0}. */
    public String name() { return name; }

    /** The nodes this one sends gradients to (PyTorch's {@code next_functions}), null where none. */
    public List<GradFn> nextFunctions() {
        List<GradFn> out = new ArrayList<>(next.length);
        Collections.addAll(out, next);
        return Collections.unmodifiableList(out);
    }

    /** The leaf tensor this node accumulates into (AccumulateGrad only), else null. */
    public Tensor variable() { return leaf; }

    /** Internal: a hook on the gradient of this node's output tensor (used by retainGrad/registerHook). */
    public void addTensorHook(TensorHook hook) {
        if (outputHooks == null) outputHooks = new ArrayList<>(2);
        outputHooks.add(hook);
    }

    @Override
    public String toString() { return "<" + name + " object>"; }
}
