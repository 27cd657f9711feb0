package dev.jtensor.autograd;

import dev.jtensor.Tensor;
import dev.jtensor.internal.Tensors;

/**
 * The tensors a backward rule needs from the forward pass, with the version each had when saved.
 * Reading one that was modified in place since, or after the graph was freed, throws as PyTorch does.
 */
public final class Saved {
    static final Saved NONE = new Saved(new Tensor[0]);

    private Tensor[] tensors;
    private final int[] versions;
    private String nodeName = "?";

    Saved(Tensor[] tensors) {
        this.tensors = tensors;
        this.versions = new int[tensors.length];
        for (int i = 0; i < tensors.length; i++) versions[i] = tensors[i] == null ? 0 : Tensors.version(tensors[i]);
    }

    void owner(String name) { this.nodeName = name; }

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
