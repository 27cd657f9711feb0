package dev.jtensor.autograd;

import dev.jtensor.Tensor;
import dev.jtensor.internal.Tensors;

/**
 * What a backward rule gets from the forward pass (PyTorch's {@code ctx}): the tensors it saved, with the
 * version each had when saved, and which inputs need a gradient ({@link #needsInputGrad}). Reading a saved
 * tensor that was modified in place since, or after the graph was freed, throws as PyTorch does.
 */
public final class Saved {
    static final Tensor[] NO_TENSORS = new Tensor[0];
    static final Saved NONE = new Saved(NO_TENSORS, new boolean[0], "AccumulateGrad");

    private Tensor[] tensors;
    private final int[] versions;
    private final boolean[] needsInputGrad;
    private final String nodeName;

    Saved(Tensor[] tensors, boolean[] needsInputGrad, String nodeName) {
        this.tensors = tensors;
        this.needsInputGrad = needsInputGrad;
        this.nodeName = nodeName;
        this.versions = new int[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i] != null && Tensors.isInference(tensors[i])) {
                throw new IllegalStateException("Inference tensors cannot be saved for backward (" + nodeName + "). To work around "
                        + "you can make a clone to get a normal tensor and use it in autograd.");
            }
            versions[i] = tensors[i] == null ? 0 : Tensors.version(tensors[i]);
        }
    }

    /**
     * True when input {@code i} of the recorded op required grad when the op ran (PyTorch's
     * {@code ctx.needs_input_grad[i]}). A rule computes a gradient only for these inputs and puts
     * {@code null} in the other places ({@link BackwardRule#grads}); the engine ignores what it returns
     * for an input that needs none.
     */
    public boolean needsInputGrad(int i) {
        if (i < 0 || i >= needsInputGrad.length) {
            throw new IndexOutOfBoundsException("needsInputGrad: input " + i + " of " + nodeName + ", which has "
                    + needsInputGrad.length + " inputs");
        }
        return needsInputGrad[i];
    }

    /** The number of inputs of the recorded op. */
    public int inputCount() { return needsInputGrad.length; }

    /** Saved tensor {@code i}, checked against in-place modification. */
    public Tensor get(int i) {
        if (tensors == null) {
            throw new IllegalStateException("Trying to backward through the graph a second time (or directly access saved "
                    + "tensors after they have already been freed). Saved intermediate values of the graph are freed when "
                    + "you call .backward() or autograd.grad(). Specify retainGraph=true if you need to backward through "
                    + "the graph a second time or if you need to access saved tensors after calling backward.");
        }
        Tensor t = tensors[i];
        if (t != null && Tensors.version(t) != versions[i]) {
            throw new IllegalStateException("one of the variables needed for gradient computation has been modified by an "
                    + "inplace operation: [" + t.dtype() + " " + t.shape() + "], which is saved by " + nodeName
                    + ", is at version " + Tensors.version(t) + "; expected version " + versions[i] + " instead.");
        }
        return t;
    }

    public int size() { return tensors == null ? 0 : tensors.length; }

    void free() { if (tensors != null && tensors.length > 0) tensors = null; }

    boolean isFreed() { return tensors == null; }
}
