package dev.jtensor.nn;

import dev.jtensor.Tensor;
import java.util.Iterator;

/**
 * Modules applied in order, as {@code torch.nn.Sequential}: {@code forward(x)} feeds each child's output
 * to the next. Children are named {@code 0}, {@code 1}, ..., so parameters are keyed {@code 0.weight},
 * {@code 0.bias}, ... as in PyTorch's state dict. Indexable ({@code get(-1)}, {@code set(i, m)} as
 * {@code model[i] = m}) and iterable ({@code for (Module m : seq)}).
 */
public class Sequential extends Module implements Iterable<Module> {
    private int size;

    /** {@code nn.Sequential(m0, m1, ...)}. */
    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a module (named by its index), as {@code append}; returns this. */
    public Sequential add(Module module) {
        registerModule(Integer.toString(size++), module);
        return this;
    }

    /** {@code model[index]}: the module at {@code index} (negative counts from the end). */
    public Module get(int index) { return namedChildren().get(Integer.toString(wrap(index))); }

    /**
     * {@code model[index] = module}: replaces the module at {@code index} (e.g. a classifier head), keeping
     * its name, so the state dict keys of the others do not change; returns this.
     */
    public Sequential set(int index, Module module) {
        replaceModule(Integer.toString(wrap(index)), module);
        return this;
    }

    /**
     * {@code model[from:to]}: a new Sequential of the same module objects (their parameters shared), with
     * Python's slice bounds (negative from the end, clamped).
     */
    public Sequential slice(int from, int to) {
        int s = Math.min(Math.max(from < 0 ? from + size : from, 0), size), e = Math.min(Math.max(to < 0 ? to + size : to, 0), size);
        Sequential out = new Sequential();
        for (int i = s; i < e; i++) out.add(get(i));
        return out;
    }

    /** Number of modules ({@code len(model)}). */
    public int size() { return size; }

    /** The modules in order. */
    @Override
    public Iterator<Module> iterator() { return children().iterator(); }

    private int wrap(int index) {
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("index " + index + " is out of range for Sequential of " + size);
        return i;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : children()) x = m.forward(x);
        return x;
    }
}
