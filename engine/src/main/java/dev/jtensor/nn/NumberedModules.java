package dev.jtensor.nn;

import java.util.Iterator;

/**
 * What {@link Sequential} and {@link ModuleList} share: children named {@code 0}, {@code 1}, ... by position (so
 * their parameters are keyed {@code 0.weight}, ... as in PyTorch's state dict), indexed as a Python list
 * (negative from the end), replaceable in place and iterable.
 *
 * @param <S> the concrete container, returned by the fluent methods
 */
abstract class NumberedModules<S extends NumberedModules<S>> extends Module implements Iterable<Module> {
    private int size;

    @SuppressWarnings("unchecked")
    private S self() { return (S) this; }

    /** Appends a module (named by its index), as {@code append}; returns this. */
    public S add(Module module) {
        registerModule(Integer.toString(size++), module);
        return self();
    }

    /** {@code container[index]}: the module at {@code index} (negative counts from the end). */
    public Module get(int index) { return namedChildren().get(Integer.toString(wrap(index))); }

    /**
     * {@code container[index] = module}: replaces the module at {@code index} (e.g. a classifier head), keeping
     * its name, so the state dict keys of the others do not change; returns this.
     */
    public S set(int index, Module module) {
        replaceModule(Integer.toString(wrap(index)), module);
        return self();
    }

    /** The number of modules ({@code len(container)}). */
    public int size() { return size; }

    /** The modules in order. */
    @Override
    public Iterator<Module> iterator() { return children().iterator(); }

    private int wrap(int index) {
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for " + getClass().getSimpleName() + " of " + size);
        }
        return i;
    }
}
