package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * Modules applied in order, as {@code torch.nn.Sequential}: {@code forward(x)} feeds each child's output
 * to the next. Children are named {@code 0}, {@code 1}, ..., so parameters are keyed {@code 0.weight},
 * {@code 0.bias}, ... as in PyTorch's state dict.
 */
public class Sequential extends Module {
    private int size;

    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a module (named by its index); returns this. */
    public Sequential add(Module module) {
        registerModule(Integer.toString(size++), module);
        return this;
    }

    /** The module at {@code index}. */
    public Module get(int index) {
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException("index " + index + " is out of range for Sequential of " + size);
        return namedChildren().get(Integer.toString(index));
    }

    /** Number of modules. */
    public int size() { return size; }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : children()) x = m.forward(x);
        return x;
    }
}
