package dev.jtensor.nn;

import dev.jtensor.Device;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.GradMode;
import dev.jtensor.internal.LeafGrads;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A layer or a model, as {@code torch.nn.Module}: it owns named parameters (leaf tensors that require
 * grad), named buffers and named child modules, and computes {@link #forward}. Names compose with dots
 * exactly as PyTorch's {@code state_dict} keys do ({@code 0.weight}, {@code encoder.1.bias}), so a
 * state dict saved by {@link #save} loads in PyTorch ({@code torch.from_numpy} over {@code np.load})
 * and back.
 *
 * <p>Subclasses create their tensors in the constructor and register them with
 * {@link #registerParameter}, {@link #registerBuffer} and {@link #registerModule}, in the order
 * PyTorch's module would (that order is the state dict's order).
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    /** Buffers registered with {@code persistent=false}: in {@link #namedBuffers()}, not in the state dict. */
    private final java.util.Set<String> nonPersistent = new java.util.HashSet<>();
    private boolean training = true;

    /** The module's computation, {@code model(x)} in PyTorch. */
    public abstract Tensor forward(Tensor input);

    // ---------------- registration ----------------

    /** Registers {@code param} under {@code name} (null allowed, as {@code bias=False}); makes it require grad. */
    protected final Tensor registerParameter(String name, Tensor param) {
        checkName(name);
        if (param != null) Parameter.of(param);
        parameters.put(name, param);
        return param;
    }

    /** Registers a state tensor that is saved in the state dict but not trained (e.g. running statistics). */
    protected final Tensor registerBuffer(String name, Tensor buffer) {
        return registerBuffer(name, buffer, true);
    }

    /**
     * {@code register_buffer(name, tensor, persistent)}: a non-persistent buffer moves with the module and is
     * listed by {@link #namedBuffers()}, but is not part of {@link #stateDict()} (so neither saved nor loaded).
     */
    protected final Tensor registerBuffer(String name, Tensor buffer, boolean persistent) {
        checkName(name);
        buffers.put(name, buffer);
        if (!persistent) nonPersistent.add(name);
        return buffer;
    }

    /** This module's own buffer {@code name} (null if none): a map lookup, unlike {@link #namedBuffers()}. */
    protected final Tensor buffer(String name) { return buffers.get(name); }

    /** Registers a child module under {@code name}; its parameters appear as {@code name.param}. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, Objects.requireNonNull(module, "module"));
        return module;
    }

    /**
     * Replaces the child registered as {@code name} with {@code module}, keeping its place in the order
     * (PyTorch's {@code setattr(model, name, module)} / {@code model[i] = module}).
     *
     * @throws IllegalArgumentException if no child has that name
     */
    protected final <M extends Module> M replaceModule(String name, M module) {
        if (!children.containsKey(name)) {
            throw new IllegalArgumentException("no child module '" + name + "' in " + getClass().getSimpleName() + " (children "
                    + children.keySet() + ")");
        }
        children.put(name, Objects.requireNonNull(module, "module"));
        return module;
    }

    /** Removes the child {@code name} (for containers that delete or renumber); returns it. */
    final Module removeModule(String name) { return children.remove(name); }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module attribute name must be non-empty and contain no '.' (got '" + name + "')");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists in " + getClass().getSimpleName());
        }
    }

    // ---------------- traversal ----------------

    /** All parameters of this module and its descendants, in registration order, without duplicates. */
    public List<Tensor> parameters() { return new ArrayList<>(namedParameters().values()); }

    /** Parameters keyed by their dotted path ({@code 0.weight}, ...), as PyTorch's {@code named_parameters()}. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Map<Tensor, Boolean> seen = new java.util.IdentityHashMap<>();
        collect(this, "", out, seen, true);
        return out;
    }

    /** Buffers keyed by their dotted path. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect(this, "", out, new java.util.IdentityHashMap<>(), false);
        return out;
    }

    private static void collect(Module m, String prefix, Map<String, Tensor> out, Map<Tensor, Boolean> seen, boolean params) {
        for (var e : (params ? m.parameters : m.buffers).entrySet()) {
            Tensor t = e.getValue();
            if (t != null && seen.put(t, Boolean.TRUE) == null) out.put(prefix + e.getKey(), t);
        }
        for (var c : m.children.entrySet()) collect(c.getValue(), prefix + c.getKey() + ".", out, seen, params);
    }

    /**
     * Moves every parameter and buffer to {@code device} in place ({@code model.to(device)}): the tensors keep
     * their identity, so layers, optimizers and references held elsewhere see the moved values; gradients
     * move with their parameters. Returns this module.
     */
    public Module to(Device device) {
        java.util.Objects.requireNonNull(device, "device");
        for (Tensor t : namedParameters().values()) moveTo(t, device);
        for (Tensor t : namedBuffers().values()) moveTo(t, device);
        return this;
    }

    /** {@code t.data = t.data.to(device)}, its gradient likewise. */
    private static void moveTo(Tensor t, Device device) {
        if (t.device().equals(device)) return;
        try (GradMode g = GradMode.set(false)) {
            t.setData(t.to(device));
            Tensor grad = LeafGrads.grad(t);
            if (grad != null) grad.setData(grad.to(device));
        }
    }

    /** {@code model.cuda()}: {@link #to} CUDA device 0. */
    public Module cuda() { return to(Device.cuda(0)); }

    /** {@code model.cpu()}: {@link #to} the CPU. */
    public Module cpu() { return to(Device.CPU); }

    /** The direct children, in registration order. */
    public List<Module> children() { return new ArrayList<>(children.values()); }

    /** The direct children keyed by name. */
    public Map<String, Module> namedChildren() { return Collections.unmodifiableMap(children); }

    /** This module and all its descendants, depth first (as PyTorch's {@code modules()}). */
    public List<Module> modules() {
        List<Module> out = new ArrayList<>();
        out.add(this);
        for (Module c : children.values()) out.addAll(c.modules());
        return out;
    }

    // ---------------- modes and gradients ----------------

    /** Training mode (Dropout drops) for this module and its descendants; returns this. */
    public Module train() { return train(true); }

    /** Sets training mode recursively; returns this. */
    public Module train(boolean mode) {
        for (Module m : modules()) m.training = mode;
        return this;
    }

    /** Evaluation mode (Dropout is the identity), as {@code model.eval()}; returns this. */
    public Module eval() { return train(false); }

    /** True in training mode (the default). */
    public boolean isTraining() { return training; }

    /** Sets every parameter's gradient to null, as PyTorch 2's {@code zero_grad()} (set_to_none). */
    public void zeroGrad() { zeroGrad(true); }

    /** {@code setToNone}: drop the gradients; else zero them in place (PyTorch 1's default). */
    public void zeroGrad(boolean setToNone) { LeafGrads.zeroGrads(parameters(), setToNone); }

    // ---------------- state dict ----------------

    /** Parameters then buffers of each module, keyed by dotted path, as PyTorch's {@code state_dict()} (live tensors). */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        stateDictInto(this, "", out);
        return out;
    }

    private static void stateDictInto(Module m, String prefix, Map<String, Tensor> out) {
        for (var e : m.parameters.entrySet()) if (e.getValue() != null) out.put(prefix + e.getKey(), e.getValue());
        for (var e : m.buffers.entrySet()) {
            if (e.getValue() != null && !m.nonPersistent.contains(e.getKey())) out.put(prefix + e.getKey(), e.getValue());
        }
        for (var c : m.children.entrySet()) stateDictInto(c.getValue(), prefix + c.getKey() + ".", out);
    }

    /**
     * {@code load_state_dict(state)}: {@link #loadStateDict(Map, boolean)} with {@code strict = true}.
     *
     * @throws IllegalArgumentException naming missing and unexpected keys, and keys whose shapes differ
     */
    public void loadStateDict(Map<String, Tensor> state) { loadStateDict(state, true); }

    /**
     * Copies {@code state} into this module's parameters and persistent buffers in place, as PyTorch's
     * {@code load_state_dict(state, strict)}: each value is converted to the tensor's dtype and copied onto its
     * device (tensors keep their identity, so an optimizer holding them keeps working). Every problem is
     * reported in one error worded as PyTorch's ({@code Missing key(s) in state_dict: "w". Unexpected key(s)
     * ...}, {@code size mismatch for w: copying a param with shape torch.Size([...]) from checkpoint, ...}).
     * With {@code strict}, missing or unexpected keys are errors; without, they are returned and the keys
     * present are loaded. A shape mismatch is an error either way; nothing is copied when there is an error.
     *
     * @return the keys that were missing and unexpected (both empty under a successful strict load)
     * @throws IllegalArgumentException listing every problem found
     */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), errors = new ArrayList<>();
        for (String k : own.keySet()) if (!state.containsKey(k)) missing.add(k);
        for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        if (strict && !missing.isEmpty()) errors.add("Missing key(s) in state_dict: " + quoted(missing) + ". ");
        if (strict && !unexpected.isEmpty()) errors.add("Unexpected key(s) in state_dict: " + quoted(unexpected) + ". ");
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null && !src.shape().equals(e.getValue().shape())) {
                errors.add("size mismatch for " + e.getKey() + ": copying a param with shape torch.Size(" + src.shape()
                        + ") from checkpoint, the shape in current model is torch.Size(" + e.getValue().shape() + ").");
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + getClass().getSimpleName() + ":\n\t"
                    + String.join("\n\t", errors));
        }
        try (GradMode g = GradMode.set(false)) {
            for (var e : own.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) ParamOps.copyInto(e.getValue(), src);
            }
        }
        return new IncompatibleKeys(List.copyOf(missing), List.copyOf(unexpected));
    }

    private static String quoted(List<String> keys) {
        return String.join(", ", keys.stream().map(k -> "\"" + k + "\"").toList());
    }

    /**
     * Writes the state dict to {@code path}, in the format its name asks for: {@code .safetensors},
     * {@code .pt}/{@code .pth}/{@code .bin} (a PyTorch checkpoint {@code torch.load} reads), otherwise a
     * {@code .npz} archive (keys as PyTorch's {@code state_dict}).
     */
    public void save(java.nio.file.Path path) throws java.io.IOException { StateFiles.save(path, stateDict()); }

    /**
     * Reads a state dict into this module (strict), whatever the file's format: {@code .npz}, safetensors or a
     * PyTorch zip checkpoint, recognised by content. Weights are mapped, not read into the heap, and copied
     * straight into the parameters.
     */
    public void load(java.nio.file.Path path) throws java.io.IOException { StateFiles.load(path, this); }

    /** Short description, as PyTorch's module repr: {@code Linear(in_features=1, out_features=1, bias=True)}. */
    @Override
    public String toString() {
        String extra = extraRepr();
        if (children.isEmpty()) return getClass().getSimpleName() + "(" + extra + ")";
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append("(\n");
        if (!extra.isEmpty()) sb.append("  ").append(extra).append('\n');
        for (var c : children.entrySet()) {
            sb.append("  (").append(c.getKey()).append("): ").append(c.getValue().toString().replace("\n", "\n  ")).append('\n');
        }
        return sb.append(')').toString();
    }

    /** The arguments shown inside this module's repr (empty by default). */
    protected String extraRepr() { return ""; }
}
