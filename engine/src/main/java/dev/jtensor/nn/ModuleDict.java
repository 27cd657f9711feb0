package dev.jtensor.nn;

import dev.jtensor.Tensor;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.ModuleDict}: modules by name, in insertion order, whose parameters belong to the owner
 * (keys {@code name.weight}); no forward of its own. {@code put} of an existing name replaces it in place.
 */
public final class ModuleDict extends Module implements Iterable<Map.Entry<String, Module>> {
    /** {@code nn.ModuleDict()}: empty. */
    public ModuleDict() {}

    /** {@code nn.ModuleDict(dict)}: the entries in the map's iteration order (use a LinkedHashMap). */
    public ModuleDict(Map<String, ? extends Module> modules) { modules.forEach(this::put); }

    /** {@code dict[name] = module}; returns this. */
    public ModuleDict put(String name, Module module) {
        if (namedChildren().containsKey(name)) replaceModule(name, module);
        else registerModule(name, module);
        return this;
    }

    /**
     * {@code dict[name]}.
     *
     * @throws IllegalArgumentException naming the missing key and the keys there are (Python's KeyError)
     */
    public Module get(String name) {
        Module m = namedChildren().get(name);
        if (m == null) throw new IllegalArgumentException("no module '" + name + "' in ModuleDict (keys " + keys() + ")");
        return m;
    }

    /** {@code name in dict}. */
    public boolean containsKey(String name) { return namedChildren().containsKey(name); }

    /** {@code dict.pop(name)}: removes and returns the module. */
    public Module remove(String name) {
        Module m = get(name);
        removeModule(name);
        return m;
    }

    /** {@code dict.keys()}, in order. */
    public Set<String> keys() { return namedChildren().keySet(); }

    /** {@code len(dict)}. */
    public int size() { return namedChildren().size(); }

    /** {@code dict.items()}. */
    @Override
    public Iterator<Map.Entry<String, Module>> iterator() { return new LinkedHashMap<>(namedChildren()).entrySet().iterator(); }

    /** A ModuleDict has no forward, as in PyTorch. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleDict has no forward(): call its modules from the owning module's forward");
    }
}
