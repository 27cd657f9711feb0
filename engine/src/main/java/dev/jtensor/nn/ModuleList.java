package dev.jtensor.nn;

import dev.jtensor.Tensor;
import java.util.List;

/**
 * {@code nn.ModuleList}: a list of modules whose parameters belong to the owner (keys {@code 0.weight},
 * ...), with no forward of its own: the owner calls the items. Indexable (negative from the end),
 * replaceable and iterable.
 */
public final class ModuleList extends NumberedModules<ModuleList> {
    /** {@code nn.ModuleList([m0, m1, ...])}. */
    public ModuleList(Module... modules) { this(List.of(modules)); }

    /** {@code nn.ModuleList(modules)}. */
    public ModuleList(List<? extends Module> modules) { for (Module m : modules) add(m); }

    /** {@code extend(modules)}; returns this. */
    public ModuleList addAll(List<? extends Module> modules) {
        for (Module m : modules) add(m);
        return this;
    }

    /** A ModuleList has no forward, as in PyTorch: iterate it in the owner's forward. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleList has no forward(): call its modules from the owning module's forward");
    }
}
