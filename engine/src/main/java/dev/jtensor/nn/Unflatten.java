package dev.jtensor.nn;

import dev.jtensor.Tensor;
import java.util.Arrays;

/**
 * {@code nn.Unflatten(dim, unflattened_size)}: splits dim {@code dim} into {@code sizes} (their product
 * must be the dim's size; one may be -1). A view when the strides allow.
 */
public final class Unflatten extends Module {
    private final int dim;
    private final long[] sizes;

    /** {@code nn.Unflatten(dim, unflattened_size)}: {@code new Unflatten(1, 2, 5)} splits dim 1 into (2, 5). */
    public Unflatten(int dim, long... sizes) {
        if (sizes.length == 0) throw new IllegalArgumentException("Unflatten: unflattened_size must be non-empty");
        this.dim = dim;
        this.sizes = sizes.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        long[] in = input.shape().toArray();
        int d = dim < 0 ? dim + in.length : dim;
        if (d < 0 || d >= in.length) {
            throw new IndexOutOfBoundsException("Unflatten: dim " + dim + " is out of range for input of shape " + input.shape());
        }
        long[] out = new long[in.length - 1 + sizes.length];
        System.arraycopy(in, 0, out, 0, d);
        System.arraycopy(sizes, 0, out, d, sizes.length);
        System.arraycopy(in, d + 1, out, d + sizes.length, in.length - d - 1);
        return input.view(out);
    }

    @Override
    protected String extraRepr() {
        String t = Arrays.toString(sizes).replace('[', '(').replace(']', ')');
        return "dim=" + dim + ", unflattened_size=" + (sizes.length == 1 ? t.replace(")", ",)") : t);
    }
}
