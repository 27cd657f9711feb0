package dev.jtensor.backend.plan;

import java.util.Arrays;

/**
 * How an elementwise kernel walks its operands, resolved once per call (DESIGN §4): operand 0 is the
 * output, the rest are inputs already broadcast to the output's shape (stride 0 where they repeat).
 *
 * <p>Building the plan drops size-1 dims, orders dims so the output's memory is walked in increasing
 * address order (an in-place op on a transposed view still streams), then merges every pair of
 * adjacent dims that is contiguous within itself in all operands. A contiguous elementwise op thus
 * becomes rank 1 with unit strides ({@link #isContiguous()}), and {@code [1000, 1000] + [1000]} becomes
 * 1000 contiguous rows. All strides and offsets count elements. Immutable.
 */
public final class IterPlan {
    private final long[] shape;
    private final long[][] strides;
    private final long[] offsets;
    private final long numel;

    private IterPlan(long[] shape, long[][] strides, long[] offsets, long numel) {
        this.shape = shape;
        this.strides = strides;
        this.offsets = offsets;
        this.numel = numel;
    }

    /**
     * The plan for {@code layouts} (output first), all of shape {@code shape}.
     *
     * @throws IllegalArgumentException if the output writes one memory location twice (stride 0)
     */
    public static IterPlan of(long[] shape, Layout... layouts) {
        int ops = layouts.length;
        long[] offsets = new long[ops];
        for (int k = 0; k < ops; k++) offsets[k] = layouts[k].offset();
        long numel = 1;
        for (long s : shape) numel *= s;
        int[] dims = new int[shape.length];
        int rank = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (layouts[0].stride(d) == 0 && shape[d] > 1) {
                throw new IllegalArgumentException("unsupported operation: more than one element of the written-to tensor "
                        + "refers to a single memory location. Please clone() the tensor before performing the operation.");
            }
            dims[rank++] = d;
        }
        sortByOutputStride(dims, rank, layouts[0]);
        long[] mShape = new long[Math.max(rank, 1)];
        long[][] mStrides = new long[ops][Math.max(rank, 1)];
        int m = -1;
        for (int i = 0; i < rank; i++) {
            int d = dims[i];
            if (m >= 0 && mergeable(layouts, dims[i - 1], d, shape)) {
                mShape[m] *= shape[d];
                for (int k = 0; k < ops; k++) mStrides[k][m] = layouts[k].stride(d);
                continue;
            }
            m++;
            mShape[m] = shape[d];
            for (int k = 0; k < ops; k++) mStrides[k][m] = layouts[k].stride(d);
        }
        int merged = Math.max(m + 1, 1);
        if (m < 0) { mShape[0] = numel == 0 ? 0 : 1; for (long[] s : mStrides) s[0] = 1; }
        long[] outShape = Arrays.copyOf(mShape, merged);
        long[][] outStrides = new long[ops][];
        for (int k = 0; k < ops; k++) outStrides[k] = Arrays.copyOf(mStrides[k], merged);
        return new IterPlan(outShape, outStrides, offsets, numel);
    }

    /** Dims {@code outer, inner} (adjacent after sorting) fold into one in every operand. */
    private static boolean mergeable(Layout[] layouts, int outer, int inner, long[] shape) {
        for (Layout l : layouts) {
            if (l.stride(outer) != l.stride(inner) * shape[inner]) return false;
        }
        return true;
    }

    /** Stable insertion sort of dims by decreasing |output stride| (the innermost dim moves fastest). */
    private static void sortByOutputStride(int[] dims, int rank, Layout out) {
        for (int i = 1; i < rank; i++) {
            int d = dims[i];
            int j = i - 1;
            while (j >= 0 && Math.abs(out.stride(dims[j])) < Math.abs(out.stride(d))) {
                dims[j + 1] = dims[j];
                j--;
            }
            dims[j + 1] = d;
        }
    }

    /** Merged sizes, innermost last; never empty (a 0-d or all-ones operation is {@code [1]}). */
    public long[] shape() { return shape; }

    public int rank() { return shape.length; }

    public long numel() { return numel; }

    /** Element strides of operand {@code k} (0 = output) over {@link #shape()}. */
    public long[] strides(int k) { return strides[k]; }

    /** Element offset of operand {@code k}'s first element. */
    public long offset(int k) { return offsets[k]; }

    public int operands() { return offsets.length; }

    /** True when every operand is one flat run of unit stride: the kernel is a single vectorisable loop. */
    public boolean isContiguous() {
        if (shape.length != 1) return false;
        for (long[] s : strides) if (s[0] != 1) return false;
        return true;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("IterPlan(shape=").append(Arrays.toString(shape));
        for (int k = 0; k < offsets.length; k++) {
            b.append(", op").append(k).append("=").append(Arrays.toString(strides[k])).append("@").append(offsets[k]);
        }
        return b.append(")").toString();
    }
}
