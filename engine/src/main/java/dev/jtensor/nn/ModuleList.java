package dev.jtensor.nn;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

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

    /**
     * PyTorch's {@code _get_clones}: {@code n} modules from {@code make}, every one holding the first one's weights
     * (PyTorch deep-copies one layer); {@code owner} names the stack in the error for {@code n < 1}.
     */
    static ModuleList clones(String owner, Supplier<? extends Module> make, int n) {
        if (n < 1) throw new IllegalArgumentException(owner + " needs at least one layer, got " + n);
        List<Module> made = new ArrayList<>();
        for (int i = 0; i < n; i++) made.add(make.get());
        try (var g = Jt.noGrad()) {
            for (int i = 1; i < n; i++) made.get(i).loadStateDict(made.get(0).stateDict());
        }
        return new ModuleList(made);
    }
}
