package dev.jtensor;

import dev.jtensor.backend.plan.Layout;
import java.util.Arrays;

/**
 * An immutable tensor shape, PyTorch's {@code torch.Size}. Prints as {@code [3, 2]}, compares by
 * content. Not a record: a record with an array component would compare arrays by reference.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new long[0]);
    private final long[] dims;

    private Shape(long[] dims) { this.dims = dims; }

    /**
     * A shape with the given sizes, copied.
     *
     * @throws IllegalArgumentException if a size is negative or the element count overflows a long
     */
    public static Shape of(long... dims) {
        if (dims.length == 0) return SCALAR;
        long[] copy = dims.clone();
        numelOf(copy);
        return new Shape(copy);
    }

    /** Wraps an array that the caller promises never to modify (internal use). */
    static Shape trusted(long[] dims) { return dims.length == 0 ? SCALAR : new Shape(dims); }

    /**
     * Number of elements: the product of the sizes, checked for negative sizes and overflow. As NumPy, the
     * product of the non-zero sizes must fit in a long even when a size is 0 (so {@code [0, 2^62, 2^62]}
     * is refused whatever the order of its sizes).
     *
     * @throws IllegalArgumentException for a negative size, or "numel: integer multiplication overflow"
     */
    public static long numelOf(long[] dims) {
        return Layout.checkedNumel(dims);
    }

    /** Number of dimensions. */
    public int rank() { return dims.length; }

    /** The size of {@code dim}; negative dims count from the end. */
    public long get(int dim) {
        int d = dim < 0 ? dim + dims.length : dim;
        if (d < 0 || d >= dims.length) {
            throw new IndexOutOfBoundsException("dim " + dim + " out of range for shape " + this
                    + " of rank " + dims.length);
        }
        return dims[d];
    }

    /** The number of elements. */
    public long numel() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    /** A copy of the sizes. */
    public long[] toArray() { return dims.clone(); }

    /** The sizes as ints, for Java arrays; throws if a size does not fit. */
    public int[] toIntArray() {
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) out[i] = Math.toIntExact(dims[i]);
        return out;
    }

    @Override
    public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }

    @Override
    public int hashCode() { return Arrays.hashCode(dims); }

    @Override
    public String toString() { return Arrays.toString(dims); }
}
