package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.amp.Autocast;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.ReduceKernel;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.backend.plan.ReducePlan;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Promotion;
import java.util.List;

/**
 * Sum-like reductions ({@code sum mean prod all any}) and the machinery every reduction shares: dims
 * to flags, the kernel call on a {@link ReducePlan}, keepdim, and gradient expansion. Reductions copy:
 * the result is a fresh contiguous tensor. Dims may be negative; no dims means all dims.
 * Each op's backward rule sits under its forward, recorded with PyTorch's node name.
 */
public final class Reduce {
    private Reduce() {}

    // ---------------- shared machinery ----------------

    /** The result of a kernel run: values (and indices for MAX/MIN) in the output shape, plus the kept shape. */
    record Result(Tensor values, Tensor indices, long[] keptShape, long innerCount) {}

    /**
     * Runs {@code kernel} over the dims flagged in {@code reduce}, writing {@code outType} values (and int64
     * indices if {@code withIndices}) shaped as the kept shape, or with reduced dims dropped unless {@code keepdim}.
     */
    static Result run(ReduceKernel kernel, double param, Tensor x, boolean[] reduce, boolean keepdim, DType outType,
                      boolean withIndices) {
        Tensors.checkOpen(x);
        Layout l = Tensors.layout(x);
        ReducePlan plan = ReducePlan.of(l, reduce);
        long[] shape = keepdim ? plan.keptShape : dropDims(plan.keptShape, reduce);
        Tensor values = Tensors.empty(outType, shape, x.device());
        Tensor indices = withIndices ? Tensors.empty(DType.INT64, shape, x.device()) : null;
        if (indices == null) {
            Dispatch.run("reduce", values, x, (backend, bv, bx) -> backend.reduce(kernel, param, plan, bv, outType, null, bx, x.dtype()));
        } else {
            Dispatch.run("reduce", values, x, indices, (backend, bv, bx, bi) ->
                    backend.reduce(kernel, param, plan, bv, outType, bi, bx, x.dtype()));
        }
        return new Result(values, indices, plan.keptShape, plan.innerCount);
    }

    static long[] dropDims(long[] kept, boolean[] reduce) {
        int n = 0;
        for (boolean r : reduce) if (!r) n++;
        long[] out = new long[n];
        for (int d = 0, j = 0; d < kept.length; d++) if (!reduce[d]) out[j++] = kept[d];
        return out;
    }

    /** Output gradient {@code g} brought back to the kept shape (reduced dims of size 1), ready to broadcast. */
    static Tensor kept(Tensor g, long[] keptShape) { return g.reshape(keptShape); }

    static boolean[] flags(Tensor x, int[] dims, String op) { return ReducePlan.flags(dims, x.dim(), op); }

    /** Throws as PyTorch when a reduction without identity (max, argmax, ...) meets an empty group. */
    static void requireNonEmpty(String op, Tensor x, int[] dims, boolean[] reduce) {
        if (dims.length == 0 && x.numel() == 0) {
            throw new IllegalArgumentException(op + "(): Expected reduction dim to be specified for input.numel() == 0."
                    + " Specify the reduction dim with the 'dim' argument.");
        }
        for (int d = 0; d < reduce.length; d++) {
            if (reduce[d] && x.size(d) == 0) {
                throw new IndexOutOfBoundsException(op + "(): Expected reduction dim " + d + " to have non-zero size.");
            }
        }
    }

    static void requireFloating(String op, Tensor x) {
        if (!x.dtype().isFloatingPoint()) {
            throw new UnsupportedOperationException(op + "(): input dtype should be either floating point or complex. Got "
                    + x.dtype() + " instead.");
        }
    }

    /** int and bool inputs accumulate into int64, floating ones keep their dtype (PyTorch's sum/prod rule). */
    static DType accumulateType(DType t) { return t.isFloatingPoint() ? t : DType.INT64; }

    // ---------------- sum, mean ----------------

    /**
     * {@code sum x} over {@code dims} (all if empty). Float32 sums are accurate (blocked lanes, double
     * across blocks); integer and bool inputs sum exactly to int64. Backward: g broadcast back to x's shape.
     */
    public static Tensor sum(Tensor x, int[] dims, boolean keepdim) {
        x = Autocast.input("sum", x);
        boolean[] reduce = flags(x, dims, "sum");
        Result r = run(ReduceKernel.SUM, 1, x, reduce, keepdim, accumulateType(x.dtype()), false);
        if (!Autograd.needsGrad(x)) return r.values;
        long[] in = Tensors.layout(x).shape();
        return Autograd.record(dims.length == 0 ? "SumBackward0" : "SumBackward1", r.values, List.of(x), List.of(),
                (g, s) -> List.of(kept(g, r.keptShape).expand(in)));
    }

    /** {@code sum} with the input first converted to {@code dtype} (PyTorch's {@code sum(dtype=...)}). */
    public static Tensor sum(Tensor x, int[] dims, boolean keepdim, DType dtype) { return sum(x.to(dtype), dims, keepdim); }

    /**
     * {@code sum x / n} over {@code dims}; floating dtypes only (PyTorch's message otherwise). The empty
     * mean is NaN. Backward: g / n broadcast back.
     */
    public static Tensor mean(Tensor x, int[] dims, boolean keepdim) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a floating "
                    + "point or complex dtype. Got: " + Promotion.cTypeName(x.dtype()));
        }
        boolean[] reduce = flags(x, dims, "mean");
        long n = ReducePlan.of(Tensors.layout(x), reduce).innerCount;
        Result r = run(ReduceKernel.SUM, 1.0 / n, x, reduce, keepdim, x.dtype(), false);
        if (!Autograd.needsGrad(x)) return r.values;
        long[] in = Tensors.layout(x).shape();
        return Autograd.record(dims.length == 0 ? "MeanBackward0" : "MeanBackward1", r.values, List.of(x), List.of(),
                (g, s) -> List.of(kept(g, r.keptShape).div(n).expand(in)));
    }

    /** {@code mean} with the input first converted to {@code dtype}. */
    public static Tensor mean(Tensor x, int[] dims, boolean keepdim, DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("mean(): could not infer output dtype. Optional dtype must be either a floating "
                    + "point or complex dtype. Got: " + Promotion.cTypeName(dtype));
        }
        return mean(x.to(dtype), dims, keepdim);
    }

    // ---------------- prod ----------------

    /**
     * {@code prod x} over all elements ({@code dim == null}) or one dim; int and bool give int64 (exact,
     * wrapping). Backward: {@code g * prod(others)}, written so that zeros in x give the right gradient:
     * {@code P / x} where x has no zero in its group, the product of the nonzero others at a single zero,
     * and 0 everywhere in a group with two or more zeros.
     */
    public static Tensor prod(Tensor x, Integer dim, boolean keepdim) {
        x = Autocast.input("prod", x);
        int[] dims = dim == null ? new int[0] : new int[] {dim};
        boolean[] reduce = flags(x, dims, "prod");
        Result r = run(ReduceKernel.PROD, 0, x, reduce, keepdim, accumulateType(x.dtype()), false);
        if (!Autograd.needsGrad(x)) return r.values;
        return Autograd.record(dim == null ? "ProdBackward0" : "ProdBackward1", r.values, List.of(x), List.of(x, r.values),
                (g, s) -> List.of(kept(g, r.keptShape).mul(prodOthers(s.get(0), kept(s.get(1), r.keptShape), dims))));
    }

    /** For each element, the product of the other elements of its group (see {@link #prod}). */
    private static Tensor prodOthers(Tensor x, Tensor product, int[] dims) {
        Tensor zero = x.eq(0.0);
        Tensor quotient = Indexing.maskedFill(product.div(x), zero, 0);
        if (!any(zero)) return quotient;
        Tensor zeroCount = sum(zero, dims, true);
        Tensor productOfNonzero = prod1(Indexing.maskedFill(x, zero, 1), dims);
        Tensor single = zeroCount.eq(1L).to(x.dtype());
        return quotient.add(productOfNonzero.mul(zero.to(x.dtype())).mul(single));
    }

    private static Tensor prod1(Tensor x, int[] dims) {
        if (dims.length == 0) return prod(x, null, false);
        return prod(x, dims[0], true);
    }

    private static boolean any(Tensor mask) {
        return run(ReduceKernel.ANY, 0, mask, flags(mask, new int[0], "any"), false, DType.BOOL, false).values.item() != 0;
    }

    // ---------------- all, any ----------------

    /** True where every element of the group is nonzero (true for an empty group); a bool tensor, not differentiable. */
    public static Tensor all(Tensor x, int[] dims, boolean keepdim) {
        return run(ReduceKernel.ALL, 0, x, flags(x, dims, "all"), keepdim, DType.BOOL, false).values;
    }

    /** True where any element of the group is nonzero; a bool tensor, not differentiable. */
    public static Tensor any(Tensor x, int[] dims, boolean keepdim) {
        return run(ReduceKernel.ANY, 0, x, flags(x, dims, "any"), keepdim, DType.BOOL, false).values;
    }

    // ---------------- cumulative ----------------

    /** {@code out[i] = x[0] + ... + x[i]} along {@code dim}; int/bool give int64. Backward: reversed cumsum of g. */
    public static Tensor cumsum(Tensor x, int dim) {
        x = Autocast.input("cumsum", x);
        Tensor out = scan(false, x, dim);
        if (!Autograd.needsGrad(x)) return out;
        int d = Layout.wrapDim(dim, x.dim());
        return Autograd.record("CumsumBackward0", out, List.of(x), List.of(), (g, s) -> List.of(reverseCumsum(g, d)));
    }

    /** {@code sum_{j >= i} g[j]} along dim, as {@code total - cumsum(g) + g}. */
    static Tensor reverseCumsum(Tensor g, int dim) {
        return sum(g, new int[] {dim}, true).sub(cumsum(g, dim)).add(g);
    }

    /**
     * {@code out[i] = x[0] * ... * x[i]} along {@code dim}; int/bool give int64.
     * Backward: {@code (sum_{j >= i} g[j] out[j]) / x[i]} when x has no zero, else the exact
     * {@code sum_{j >= i} g[j] prod_{k <= j, k != i} x[k]} ({@link #cumprodBackwardWithZeros}), as PyTorch.
     */
    public static Tensor cumprod(Tensor x, int dim) {
        x = Autocast.input("cumprod", x);
        Tensor out = scan(true, x, dim);
        if (!Autograd.needsGrad(x)) return out;
        int d = Layout.wrapDim(dim, x.dim());
        return Autograd.record("CumprodBackward0", out, List.of(x), List.of(x, out), (g, s) -> {
            Tensor in = s.get(0);
            if (in.dim() == 0 || in.numel() == 0) return List.of(g);
            if (!any(in.eq(0.0))) return List.of(reverseCumsum(g.mul(s.get(1)), d).div(in)); // PyTorch also syncs here
            return List.of(cumprodBackwardWithZeros(g, in, d));
        });
    }

    /**
     * {@code dx[i] = sum_{j >= i} g[j] prod_{k <= j, k != i} x[k]} along {@code dim}, in tensor ops (so
     * differentiable again): for each i, the cumulative product of x with {@code x[i]} replaced by 1, masked
     * to {@code j >= i}. O(n^2) per line, used only when x holds a zero.
     */
    static Tensor cumprodBackwardWithZeros(Tensor g, Tensor x, int dim) {
        Tensor xt = x.transpose(dim, -1), gt = g.transpose(dim, -1);
        long n = xt.size(-1);
        Tensor pos = Creation.arange(0, n, 1, DType.INT64).to(x.device());
        Tensor diagonal = pos.unsqueeze(1).eq(pos.unsqueeze(0)), upper = pos.unsqueeze(1).le(pos.unsqueeze(0)); // [i, j]
        long[] square = xt.unsqueeze(-2).shape().toArray();
        square[square.length - 2] = n;
        Tensor withOne = Comparison.where(diagonal, Creation.full(new long[0], 1, x.dtype(), x.device()), xt.unsqueeze(-2).expand(square));
        Tensor terms = cumprod(withOne, -1).mul(gt.unsqueeze(-2)).mul(upper);
        return sum(terms, new int[] {-1}, false).transpose(dim, -1);
    }

    private static Tensor scan(boolean prod, Tensor x, int dim) {
        Tensors.checkOpen(x);
        Layout l = Tensors.layout(x);
        ReducePlan.AlongDim along = ReducePlan.alongDim(l, dim);
        ReducePlan plan = along.plan();
        long length = along.length(), after = along.after();
        Tensor out = Tensors.empty(accumulateType(x.dtype()), l.shape().clone(), x.device());
        Dispatch.run(prod ? "cumprod" : "cumsum", out, x, (backend, bo, bx) ->
                backend.scan(prod, plan, length, after, bo, out.dtype(), bx, x.dtype()));
        return out;
    }
}
