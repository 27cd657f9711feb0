package dev.jtensor.internal.ops;

import dev.jtensor.Tensor;
import dev.jtensor.ValuesIndices;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.ReduceKernel;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.Tensors;
import java.util.List;

/**
 * {@code max min amax amin argmax argmin}: the value-selecting reductions. NaN propagates (the first
 * NaN wins, as PyTorch); ties go to the first occurrence. Results keep the input dtype (indices are
 * int64). An empty reduced dim throws, as these have no identity.
 */
public final class Extremes {
    private Extremes() {}

    /**
     * The largest element (a 0-d tensor). Backward (MaxBackward1): the gradient is shared evenly among
     * all elements equal to the maximum, as PyTorch's {@code evenly_distribute_backward}.
     */
    public static Tensor max(Tensor x) { return extremeAll(x, true); }

    /** The smallest element; backward as {@link #max(Tensor)} (MinBackward1). */
    public static Tensor min(Tensor x) { return extremeAll(x, false); }

    private static Tensor extremeAll(Tensor x, boolean max) {
        String op = max ? "max" : "min";
        int[] all = new int[0];
        Reduce.requireNonEmpty(op, x, all, Reduce.flags(x, all, op));
        Reduce.Result r = Reduce.run(max ? ReduceKernel.AMAX : ReduceKernel.AMIN, 0, x, Reduce.flags(x, all, op), false,
                x.dtype(), false);
        if (!Autograd.needsGrad(x)) return r.values();
        return Autograd.record(max ? "MaxBackward1" : "MinBackward1", r.values(), List.of(x), List.of(x, r.values()),
                (g, s) -> List.of(evenly(g, s.get(0), s.get(1), all)));
    }

    /** {@code g * (x == result) / count(x == result)} over the reduced dims ({@code result} and g in kept shape). */
    private static Tensor evenly(Tensor g, Tensor x, Tensor result, int[] dims) {
        Tensor mask = x.eq(result).to(g.dtype());
        Tensor count = Reduce.sum(mask, dims, true);
        return g.mul(mask).div(count);
    }

    /**
     * Values and int64 indices of the maxima along {@code dim} (PyTorch's {@code max(dim)}). Backward
     * (MaxBackward0): g sent to the returned index only.
     */
    public static ValuesIndices max(Tensor x, int dim, boolean keepdim) { return extremeDim(x, dim, keepdim, true, "max"); }

    /** Values and indices of the minima along {@code dim}; backward MinBackward0. */
    public static ValuesIndices min(Tensor x, int dim, boolean keepdim) { return extremeDim(x, dim, keepdim, false, "min"); }

    private static ValuesIndices extremeDim(Tensor x, int dim, boolean keepdim, boolean max, String op) {
        int[] dims = {dim};
        boolean[] reduce = Reduce.flags(x, dims, op);
        Reduce.requireNonEmpty(op, x, dims, reduce);
        Reduce.Result r = Reduce.run(max ? ReduceKernel.MAX : ReduceKernel.MIN, 0, x, reduce, keepdim, x.dtype(), true);
        Tensor values = r.values(), indices = r.indices();
        if (Autograd.needsGrad(x)) {
            long[] in = Tensors.layout(x).shape();
            int d = Layout.wrapDim(dim, x.dim());
            values = Autograd.record(max ? "MaxBackward0" : "MinBackward0", values, List.of(x), List.of(),
                    (g, s) -> List.of(valueSelectingBackward(g, d, indices, in, r.keptShape())));
        }
        return new ValuesIndices(values, indices);
    }

    /** Zeros of the input's shape with {@code g} scattered to the selected {@code indices} along {@code dim}. */
    static Tensor valueSelectingBackward(Tensor g, int dim, Tensor indices, long[] inShape, long[] keptShape) {
        Tensor zeros = Creation.full(inShape, 0, g.dtype(), g.device());
        if (inShape.length == 0) return g.reshape(inShape);
        return Indexing.scatter(zeros, dim, indices.reshape(keptShape), g.reshape(keptShape));
    }

    /**
     * Largest element over {@code dims} (all if empty), keeping the dtype. Backward (AmaxBackward0): g shared
     * evenly among the elements equal to the maximum of their group.
     */
    public static Tensor amax(Tensor x, int[] dims, boolean keepdim) { return extremeDims(x, dims, keepdim, true); }

    /** Smallest element over {@code dims}; backward AminBackward0. */
    public static Tensor amin(Tensor x, int[] dims, boolean keepdim) { return extremeDims(x, dims, keepdim, false); }

    private static Tensor extremeDims(Tensor x, int[] dims, boolean keepdim, boolean max) {
        String op = max ? "amax" : "amin";
        boolean[] reduce = Reduce.flags(x, dims, op);
        Reduce.requireNonEmpty(op, x, dims, reduce);
        Reduce.Result r = Reduce.run(max ? ReduceKernel.AMAX : ReduceKernel.AMIN, 0, x, reduce, keepdim, x.dtype(), false);
        if (!Autograd.needsGrad(x)) return r.values();
        int[] all = allFlagged(reduce);
        return Autograd.record(max ? "AmaxBackward0" : "AminBackward0", r.values(), List.of(x), List.of(x, r.values()),
                (g, s) -> List.of(evenly(Reduce.kept(g, r.keptShape()), s.get(0), Reduce.kept(s.get(1), r.keptShape()), all)));
    }

    static int[] allFlagged(boolean[] reduce) {
        int n = 0;
        for (boolean b : reduce) if (b) n++;
        int[] out = new int[n];
        for (int d = 0, j = 0; d < reduce.length; d++) if (reduce[d]) out[j++] = d;
        return out;
    }

    /** Flat (row-major) index of the first maximum (a 0-d int64 tensor). */
    public static Tensor argmax(Tensor x) { return argAll(x, true); }

    /** Flat index of the first minimum. */
    public static Tensor argmin(Tensor x) { return argAll(x, false); }

    private static Tensor argAll(Tensor x, boolean max) {
        String op = max ? "argmax" : "argmin";
        int[] all = new int[0];
        boolean[] reduce = Reduce.flags(x, all, op);
        Reduce.requireNonEmpty(op, x, all, reduce);
        return Reduce.run(max ? ReduceKernel.MAX : ReduceKernel.MIN, 0, x, reduce, false, x.dtype(), true).indices();
    }

    /** Index of the first maximum along {@code dim} (int64). */
    public static Tensor argmax(Tensor x, int dim, boolean keepdim) { return extremeDim(x.detach(), dim, keepdim, true, "argmax").indices(); }

    /** Index of the first minimum along {@code dim} (int64). */
    public static Tensor argmin(Tensor x, int dim, boolean keepdim) { return extremeDim(x.detach(), dim, keepdim, false, "argmin").indices(); }
}
