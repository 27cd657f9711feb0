package dev.jtensor.backend.plan;

import java.util.Arrays;

/**
 * How a reduction walks its input: the input's dims split into <em>outer</em> dims (kept, one output
 * element per index) and <em>inner</em> dims (reduced), each group coalesced where strides allow, with
 * the output written contiguously in the kept shape (reduced dims of size 1).
 *
 * <p>Output element {@code o} (row-major over the outer dims) reads the input elements at
 * {@code base(o) + i0*innerStrides[0] + i1*innerStrides[1] + ...} for every inner index.
 * Pure values, no memory involved (STYLE G4).
 */
public final class ReducePlan {
    /** The input shape with reduced dims set to 1 (the keepdim output shape). */
    public final long[] keptShape;
    /** Outer (kept) dims, coalesced: sizes and input strides, row-major over the output. */
    public final long[] outerShape, outerStrides;
    /** Inner (reduced) dims, coalesced: sizes and input strides; the innermost last. */
    public final long[] innerShape, innerStrides;
    /** Input element index of the first element. */
    public final long offset;
    /** Number of output elements and of elements reduced into each. */
    public final long outputCount, innerCount;

    private ReducePlan(long[] keptShape, long[] outerShape, long[] outerStrides, long[] innerShape,
                       long[] innerStrides, long offset) {
        this.keptShape = keptShape;
        this.outerShape = outerShape;
        this.outerStrides = outerStrides;
        this.innerShape = innerShape;
        this.innerStrides = innerStrides;
        this.offset = offset;
        this.outputCount = product(outerShape);
        this.innerCount = product(innerShape);
    }

    /** The plan for reducing {@code in} over the dims flagged in {@code reduce} (one flag per dim). */
    public static ReducePlan of(Layout in, boolean[] reduce) {
        int rank = in.rank();
        long[] kept = in.shape().clone();
        int nOuter = 0;
        for (int d = 0; d < rank; d++) {
            if (reduce[d]) kept[d] = 1;
            else nOuter++;
        }
        long[] os = new long[nOuter], ost = new long[nOuter];
        long[] is = new long[rank - nOuter], ist = new long[rank - nOuter];
        for (int d = 0, o = 0, i = 0; d < rank; d++) {
            if (reduce[d]) { is[i] = in.size(d); ist[i++] = in.stride(d); }
            else { os[o] = in.size(d); ost[o++] = in.stride(d); }
        }
        long[][] outer = coalesce(os, ost), inner = coalesce(is, ist);
        return new ReducePlan(kept, outer[0], outer[1], inner[0], inner[1], in.offset());
    }

    /**
     * The geometry of an op that runs along one dim (softmax, cumsum): the plan reducing that dim, the
     * wrapped dim, its length (1 for a 0-d input) and the number of elements after it in row-major order.
     */
    public record AlongDim(ReducePlan plan, int dim, long length, long after) {}

    /** {@link AlongDim} for {@code dim} of {@code in} (negative dims wrap). */
    public static AlongDim alongDim(Layout in, int dim) {
        int rank = in.rank();
        int d = Layout.wrapDim(dim, rank);
        boolean[] reduce = new boolean[rank];
        if (rank > 0) reduce[d] = true;
        long length = rank == 0 ? 1 : in.size(d), after = 1;
        for (int i = d + 1; i < rank; i++) after *= in.size(i);
        return new AlongDim(of(in, reduce), d, length, after);
    }

    /** Flags for {@code dims} (negative dims wrap); no dims means all dims, as PyTorch's {@code sum()}. */
    public static boolean[] flags(int[] dims, int rank, String op) {
        boolean[] reduce = new boolean[rank];
        if (dims.length == 0) {
            Arrays.fill(reduce, true);
            return reduce;
        }
        for (int d : dims) {
            int w = Layout.wrapDim(d, rank);
            if (rank == 0) continue;
            if (reduce[w]) {
                throw new IllegalArgumentException(op + ": dim " + w + " appears multiple times in the list of dims "
                        + Arrays.toString(dims));
            }
            reduce[w] = true;
        }
        return reduce;
    }

    /**
     * Merges neighbouring dims {@code i, i+1} where {@code stride[i] == stride[i+1] * size[i+1]} and drops
     * size-1 dims, keeping row-major order; returns {sizes, strides}.
     */
    static long[][] coalesce(long[] shape, long[] strides) {
        long[] s = new long[shape.length], st = new long[shape.length];
        int n = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (n > 0 && st[n - 1] == strides[d] * shape[d]) {
                s[n - 1] *= shape[d];
                st[n - 1] = strides[d];
            } else {
                s[n] = shape[d];
                st[n++] = strides[d];
            }
        }
        if (Arrays.stream(shape).anyMatch(v -> v == 0)) return new long[][] {{0}, {0}};
        return new long[][] {Arrays.copyOf(s, n), Arrays.copyOf(st, n)};
    }

    /** Input element index of the first element reduced into output {@code o}. */
    public long base(long o) {
        long off = offset;
        for (int d = outerShape.length - 1; d >= 0; d--) {
            long i = o % outerShape[d];
            o /= outerShape[d];
            off += i * outerStrides[d];
        }
        return off;
    }

    /** True if each output reads one run of {@code innerCount} adjacent elements. */
    public boolean innerContiguous() {
        return innerShape.length == 0 || (innerShape.length == 1 && innerStrides[0] == 1);
    }

    /**
     * True if the innermost outer dim has stride 1 and the reduction strides over whole rows of it: the
     * "vertical" case ({@code sum(dim=0)} of a row-major matrix), best done a row at a time.
     */
    public boolean outerContiguous() {
        return outerShape.length >= 1 && outerStrides[outerShape.length - 1] == 1 && innerShape.length >= 1;
    }

    static long product(long[] a) {
        long n = 1;
        for (long v : a) n *= v;
        return n;
    }

    @Override
    public String toString() {
        return "ReducePlan(outer=" + Arrays.toString(outerShape) + "/" + Arrays.toString(outerStrides) + ", inner="
                + Arrays.toString(innerShape) + "/" + Arrays.toString(innerStrides) + ", offset=" + offset + ")";
    }
}
