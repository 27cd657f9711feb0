package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * Modules applied in order, as {@code torch.nn.Sequential}: {@code forward(x)} feeds each child's output
 * to the next. Children are named {@code 0}, {@code 1}, ..., so parameters are keyed {@code 0.weight},
 * {@code 0.bias}, ... as in PyTorch's state dict. Indexable ({@code get(-1)}, {@code set(i, m)} as
 * {@code model[i] = m}) and iterable ({@code for (Module m : seq)}).
 */
public class Sequential extends NumberedModules<Sequential> {
    /** {@code nn.Sequential(m0, m1, ...)}. */
    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /**
     * {@code model[from:to]}: a new Sequential of the same module objects (their parameters shared), with
     * Python's slice bounds (negative from the end, clamped).
     */
    public Sequential slice(int from, int to) {
        int size = size(), s = Math.min(Math.max(from < 0 ? from + size : from, 0), size), e = Math.min(Math.max(to < 0 ? to + size : to, 0), size);
        Sequential out = new Sequential();
        for (int i = s; i < e; i++) out.add(get(i));
        return out;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : children()) x = m.forward(x);
        return x;
    }
}
