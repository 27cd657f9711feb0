package dev.jtensor.autograd;

import dev.jtensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ctx} of a custom {@link Function}: what forward leaves for backward. Saved tensors are
 * version-checked as PyTorch's ({@code saved_tensors} throws if one was modified in place since).
 */
public final class FunctionCtx {
    private final boolean[] needsInputGrad;
    private final List<Tensor> toSave = new ArrayList<>();
    private final Map<String, Object> values = new HashMap<>();
    private Saved saved;

    FunctionCtx(boolean[] needsInputGrad) { this.needsInputGrad = needsInputGrad; }

    /** {@code ctx.save_for_backward(*tensors)}: call once in forward. */
    public void saveForBackward(Tensor... tensors) {
        if (saved != null) throw new IllegalStateException("saveForBackward can only be called in forward");
        toSave.clear();
        toSave.addAll(java.util.Arrays.asList(tensors));
    }

    /**
     * {@code ctx.saved_tensors}, in backward.
     *
     * @throws IllegalStateException if one was modified in place after being saved, or the graph was freed
     */
    public List<Tensor> savedTensors() {
        if (saved == null) return List.copyOf(toSave);
        List<Tensor> out = new ArrayList<>(saved.size());
        for (int i = 0; i < saved.size(); i++) out.add(saved.get(i));
        if (saved.size() == 0 && !toSave.isEmpty()) saved.get(0); // freed: throws PyTorch's message
        return out;
    }

    /** {@code ctx.needs_input_grad[i]}: whether input {@code i} wants a gradient. */
    public boolean needsInputGrad(int i) { return needsInputGrad[i]; }

    /** {@code ctx.name = value}: any non-tensor value backward needs (a constant, a shape). */
    public void set(String name, Object value) { values.put(name, value); }

    /** A value stored with {@link #set}. */
    @SuppressWarnings("unchecked")
    public <T> T get(String name) {
        if (!values.containsKey(name)) throw new IllegalArgumentException("ctx has no value '" + name + "' (set: " + values.keySet() + ")");
        return (T) values.get(name);
    }

    List<Tensor> toSave() { return List.copyOf(toSave); }

    void bind(Saved s) { this.saved = s; }
}
