package dev.jtensor.nn;

import dev.jtensor.Tensor;

/** {@code exp(x) / sum(exp(x))} along a dim, as {@code nn.Softmax(dim)}. */
public final class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) { this.dim = dim; }

    @Override
    public Tensor forward(Tensor input) { return F.softmax(input, dim); }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
