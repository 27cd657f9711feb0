package dev.jtensor.nn;

import dev.jtensor.Tensor;
import java.util.Iterator;
import java.util.List;

/**
 * {@code nn.ModuleList}: a list of modules whose parameters belong to the owner (keys {@code 0.weight},
 * ...), with no forward of its own: the owner calls the items. Indexable (negative from the end),
 * replaceable and iterable.
 */
public final class ModuleList extends Module implements Iterable<Module> {
    private int size;

    /** {@code nn.ModuleList([m0, m1, ...])}. */
    public ModuleList(Module... modules) { this(List.of(modules)); }

    /** {@code nn.ModuleList(modules)}. */
    public ModuleList(List<? extends Module> modules) { for (Module m : modules) add(m); }

    /** {@code append(module)}; returns this. */
    public ModuleList add(Module module) {
        registerModule(Integer.toString(size++), module);
        return this;
    }

    /** {@code extend(modules)}; returns this. */
    public ModuleList addAll(List<? extends Module> modules) {
        for (Module m : modules) add(m);
        return this;
    }

    /** {@code list[index]}. */
    public Module get(int index) { return namedChildren().get(Integer.toString(wrap(index))); }

    /** {@code list[index] = module}; returns this. */
    public ModuleList set(int index, Module module) {
        replaceModule(Integer.toString(wrap(index)), module);
        return this;
    }

    /** {@code len(list)}. */
    public int size() { return size; }

    @Override
    public Iterator<Module> iterator() { return children().iterator(); }

    private int wrap(int index) {
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("index " + index + " is out of range for ModuleList of " + size);
        return i;
    }

    /** A ModuleList has no forward, as in PyTorch: iterate it in the owner's forward. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleList has no forward(): call its modules from the owning module's forward");
    }
}
