package dev.jtensor;

import dev.jtensor.internal.ops.Comparison;
import dev.jtensor.internal.ops.Creation;
import dev.jtensor.internal.ops.Indexing;
import dev.jtensor.internal.ops.Linalg;
import dev.jtensor.internal.ops.MemoryFormats;
import dev.jtensor.internal.ops.PointwiseForms;
import dev.jtensor.internal.ops.Reduce;
import dev.jtensor.internal.ops.ScatterReduceOps;
import dev.jtensor.internal.ops.Softmax;

/**
 * The {@code torch.} overloads real code reaches beyond the plain forms (issue 20, part of {@link Jt}): a
 * number as the first operand, tensor clamp bounds, rounding modes, {@code scatter_reduce}, {@code dtype=}
 * arguments and memory formats. Each has its {@link Tensor} method where PyTorch has one.
 */
abstract class JtOverloads extends JtLinalg {
    JtOverloads() {}

    // ---- a number first (PyTorch's promotion of a wrapped number: a double floats an integer tensor) ----

    /** {@code torch.add(value, t)}: {@code value + t}. */
    public static Tensor add(double value, Tensor t) { return PointwiseForms.add(value, t, 1); }

    /** {@code torch.add(value, t, alpha=alpha)}: {@code value + alpha * t}. */
    public static Tensor add(double value, Tensor t, double alpha) { return PointwiseForms.add(value, t, alpha); }

    /** {@code torch.add(value, t)} for an integer value: t's integer type is kept. */
    public static Tensor add(long value, Tensor t) { return PointwiseForms.add(value, t); }

    /** {@code torch.sub(value, t)}: {@code value - t}. */
    public static Tensor sub(double value, Tensor t) { return PointwiseForms.sub(value, t, 1); }

    /** {@code torch.sub(value, t, alpha=alpha)}: {@code value - alpha * t}. */
    public static Tensor sub(double value, Tensor t, double alpha) { return PointwiseForms.sub(value, t, alpha); }

    public static Tensor sub(long value, Tensor t) { return PointwiseForms.sub(value, t); }

    /** {@code torch.mul(value, t)}. */
    public static Tensor mul(double value, Tensor t) { return PointwiseForms.mul(value, t); }

    public static Tensor mul(long value, Tensor t) { return PointwiseForms.mul(value, t); }

    /** {@code torch.div(value, t)}: true division. */
    public static Tensor div(double value, Tensor t) { return PointwiseForms.div(value, t); }

    /** {@code torch.pow(base, e)} for an integer base: an integer exponent tensor stays integer. */
    public static Tensor pow(long base, Tensor e) { return PointwiseForms.pow(base, e); }

    /** {@code torch.rsub(a, b)}: {@code b - a}. */
    public static Tensor rsub(Tensor a, Tensor b) { return PointwiseForms.rsub(a, b, 1); }

    /** {@code torch.rsub(a, b, alpha=alpha)}: {@code b - alpha * a}. */
    public static Tensor rsub(Tensor a, Tensor b, double alpha) { return PointwiseForms.rsub(a, b, alpha); }

    /** {@code torch.rsub(a, value, alpha=alpha)}: {@code value - alpha * a}. */
    public static Tensor rsub(Tensor a, double value, double alpha) { return PointwiseForms.rsub(a, value, alpha); }

    /** {@code torch.rsub(a, value, alpha=alpha)} for integers: an integer tensor stays integer. */
    public static Tensor rsub(Tensor a, long value, long alpha) { return PointwiseForms.rsub(a, value, alpha); }

    /** {@code b / a} ({@code a.__rtruediv__(b)}). */
    public static Tensor rdiv(Tensor a, Tensor b) { return PointwiseForms.rdiv(a, b); }

    /** {@code value / a}. */
    public static Tensor rdiv(Tensor a, double value) { return PointwiseForms.rdiv(a, value); }

    /** {@code b ** a} ({@code a.__rpow__(b)}). */
    public static Tensor rpow(Tensor a, Tensor b) { return PointwiseForms.rpow(a, b); }

    /** {@code value ** a}. */
    public static Tensor rpow(Tensor a, double value) { return PointwiseForms.rpow(a, value); }

    /** {@code torch.where(cond, value, b)}. */
    public static Tensor where(Tensor cond, double value, Tensor b) { return PointwiseForms.where(cond, value, b); }

    public static Tensor where(Tensor cond, long value, Tensor b) { return PointwiseForms.where(cond, value, b); }

    /** {@code torch.where(cond, a, value)} for an integer value: a's integer type is kept. */
    public static Tensor where(Tensor cond, Tensor a, long value) { return PointwiseForms.where(cond, a, value); }

    /** {@code torch.where(cond, x, y)} of two doubles: the default float type. */
    public static Tensor where(Tensor cond, double x, double y) { return PointwiseForms.where(cond, x, y); }

    /** {@code torch.where(cond, x, y)} of two integers: int64. */
    public static Tensor where(Tensor cond, long x, long y) { return PointwiseForms.where(cond, x, y); }

    /** {@code torch.add(t, value)} for a boolean value: t's type is kept (bool + True is a logical or). */
    public static Tensor add(Tensor t, boolean value) { return PointwiseForms.add(t, value); }

    /** {@code torch.add(value, t)} for a boolean value. */
    public static Tensor add(boolean value, Tensor t) { return PointwiseForms.add(t, value); }

    /** {@code torch.mul(t, value)} for a boolean value: t's type is kept. */
    public static Tensor mul(Tensor t, boolean value) { return PointwiseForms.mul(t, value); }

    /** {@code torch.where(cond, a, value)} for a boolean value: a's type is kept. */
    public static Tensor where(Tensor cond, Tensor a, boolean value) { return PointwiseForms.where(cond, a, value); }

    /** {@code torch.where(cond, value, b)} for a boolean value: b's type is kept. */
    public static Tensor where(Tensor cond, boolean value, Tensor b) { return PointwiseForms.where(cond, value, b); }

    /** {@code torch.max(a, b)}: {@link #maximum}. */
    public static Tensor max(Tensor a, Tensor b) { return Comparison.maximum(a, b, null); }

    /** {@code torch.min(a, b)}: {@link #minimum}. */
    public static Tensor min(Tensor a, Tensor b) { return Comparison.minimum(a, b, null); }

    // ---- clamp with tensor bounds, rounding ----

    /** {@code torch.clamp(x, min, max)} with tensor bounds (either may be null), broadcast and promoted. */
    public static Tensor clamp(Tensor x, Tensor min, Tensor max) { return PointwiseForms.clamp(x, min, max); }

    /** {@code torch.clamp_min(x, min)} with a tensor bound. */
    public static Tensor clampMin(Tensor x, Tensor min) { return PointwiseForms.clampMin(x, min); }

    /** {@code torch.clamp_max(x, max)} with a tensor bound. */
    public static Tensor clampMax(Tensor x, Tensor max) { return PointwiseForms.clampMax(x, max); }

    /** {@code torch.clamp_min(x, min)}. */
    public static Tensor clampMin(Tensor x, double min) { return x.clampMin(min); }

    /** {@code torch.clamp_max(x, max)}. */
    public static Tensor clampMax(Tensor x, double max) { return x.clampMax(max); }

    /** {@code torch.round(x, decimals=d)}: ties to even at the d-th decimal (d may be negative). */
    public static Tensor round(Tensor x, int decimals) { return PointwiseForms.round(x, decimals); }

    /** {@code torch.div(a, b, rounding_mode=mode)}: mode null, {@code "trunc"} or {@code "floor"}. */
    public static Tensor div(Tensor a, Tensor b, String roundingMode) { return PointwiseForms.div(a, b, roundingMode); }

    /** {@code torch.div(a, value, rounding_mode=mode)}. */
    public static Tensor div(Tensor a, double value, String roundingMode) { return PointwiseForms.div(a, value, roundingMode); }

    /** {@code torch.div(a, value, rounding_mode=mode)} for an integer value: integer tensors stay integer. */
    public static Tensor div(Tensor a, long value, String roundingMode) { return PointwiseForms.div(a, value, roundingMode); }

    /** {@code torch.outer}'s alias {@code torch.ger}. */
    public static Tensor ger(Tensor a, Tensor b) { return Linalg.outer(a, b); }

    // ---- indexing ----

    /** {@code torch.index_add(x, dim, index, src)}: a copy with {@code src}'s slices added at {@code index}. */
    public static Tensor indexAdd(Tensor x, int dim, Tensor index, Tensor src) { return Indexing.indexAdd(x, dim, index, src); }

    /** {@code torch.index_add(x, dim, index, src, alpha=alpha)}. */
    public static Tensor indexAdd(Tensor x, int dim, Tensor index, Tensor src, double alpha) {
        return Indexing.indexAdd(x, dim, index, src, alpha);
    }

    /** {@code torch.masked_fill(x, mask, value)} with a 0-d tensor value (differentiable in value too). */
    public static Tensor maskedFill(Tensor x, Tensor mask, Tensor value) { return Indexing.maskedFill(x, mask, value); }

    /** {@code torch.scatter_reduce(x, dim, index, src, reduce)} (include_self true): sum, prod, mean, amax, amin. */
    public static Tensor scatterReduce(Tensor x, int dim, Tensor index, Tensor src, String reduce) {
        return ScatterReduceOps.scatterReduce(x, dim, index, src, reduce, true);
    }

    /** {@code torch.scatter_reduce(x, dim, index, src, reduce, include_self=includeSelf)}. */
    public static Tensor scatterReduce(Tensor x, int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
        return ScatterReduceOps.scatterReduce(x, dim, index, src, reduce, includeSelf);
    }

    /** {@code torch.scatter(x, dim, index, src, reduce=)} with {@code "add"} or {@code "multiply"}. */
    public static Tensor scatter(Tensor x, int dim, Tensor index, Tensor src, String reduce) {
        return ScatterReduceOps.scatter(x, dim, index, src, reduce);
    }

    /** {@code torch.scatter(x, dim, index, value, reduce=)}. */
    public static Tensor scatter(Tensor x, int dim, Tensor index, double value, String reduce) {
        return ScatterReduceOps.scatter(x, dim, index, value, reduce);
    }

    /** {@code torch.narrow(x, dim, start, length)} with a 0-d integer tensor start (read on the host). */
    public static Tensor narrow(Tensor x, int dim, Tensor start, long length) { return x.narrow(dim, start, length); }

    /** {@code torch.narrow(x, dim, start, length)}: a view. */
    public static Tensor narrow(Tensor x, int dim, long start, long length) { return x.narrow(dim, start, length); }

    // ---- dtype= (the input is cast first, as PyTorch) ----

    /** {@code torch.softmax(x, dim, dtype=dtype)}. */
    public static Tensor softmax(Tensor x, int dim, DType dtype) { return Softmax.softmax(x.to(dtype), dim); }

    /** {@code torch.log_softmax(x, dim, dtype=dtype)}. */
    public static Tensor logSoftmax(Tensor x, int dim, DType dtype) { return Softmax.logSoftmax(x.to(dtype), dim); }

    /** {@code torch.sum(x, dim, keepdim, dtype=dtype)}. */
    public static Tensor sum(Tensor x, int dim, boolean keepdim, DType dtype) { return Reduce.sum(x, new int[] {dim}, keepdim, dtype); }

    /** {@code torch.sum(x, dim, dtype=dtype)}. */
    public static Tensor sum(Tensor x, int dim, DType dtype) { return Reduce.sum(x, new int[] {dim}, false, dtype); }

    /** {@code torch.mean(x, dim, dtype=dtype)} (dtype floating). */
    public static Tensor mean(Tensor x, int dim, DType dtype) { return Reduce.mean(x, new int[] {dim}, false, dtype); }

    /** {@code torch.prod(x, dtype=dtype)}. */
    public static Tensor prod(Tensor x, DType dtype) { return Reduce.prod(x.to(dtype), null, false); }

    /** {@code torch.prod(x, dim, keepdim, dtype=dtype)}. */
    public static Tensor prod(Tensor x, int dim, boolean keepdim, DType dtype) { return Reduce.prod(x.to(dtype), dim, keepdim); }

    /** {@code torch.mean(x, dim, keepdim, dtype=dtype)} (dtype floating). */
    public static Tensor mean(Tensor x, int dim, boolean keepdim, DType dtype) { return Reduce.mean(x, new int[] {dim}, keepdim, dtype); }

    /** {@code torch.mean(x, dims, keepdim, dtype=dtype)} (dtype floating). */
    public static Tensor mean(Tensor x, int[] dims, boolean keepdim, DType dtype) { return Reduce.mean(x, dims, keepdim, dtype); }

    /** {@code torch.cumsum(x, dim, dtype=dtype)}. */
    public static Tensor cumsum(Tensor x, int dim, DType dtype) { return Reduce.cumsum(x.to(dtype), dim); }

    /** {@code torch.cumprod(x, dim, dtype=dtype)}. */
    public static Tensor cumprod(Tensor x, int dim, DType dtype) { return Reduce.cumprod(x.to(dtype), dim); }

    /** {@code torch.randint_like(t, high)}: integers in {@code [0, high)} of t's shape, dtype and device. */
    public static Tensor randintLike(Tensor t, long high) { return randintLike(t, 0, high, t.dtype()); }

    /** {@code torch.randint_like(t, high, dtype=dtype)}. */
    public static Tensor randintLike(Tensor t, long high, DType dtype) { return randintLike(t, 0, high, dtype); }

    /** {@code torch.randint_like(t, low, high, dtype=dtype)}. */
    public static Tensor randintLike(Tensor t, long low, long high, DType dtype) {
        return Creation.randint(low, high, t.shape().toArray(), dtype, Generator.defaultGenerator(), t.device());
    }

    // ---- memory formats ----

    /** {@code torch.empty_like(t, memory_format=format)} (zero-filled here). */
    public static Tensor emptyLike(Tensor t, MemoryFormat format) { return MemoryFormats.emptyLike(t, t.dtype(), format); }

    /** {@code torch.empty_like(t, dtype=dtype, memory_format=format)}. */
    public static Tensor emptyLike(Tensor t, DType dtype, MemoryFormat format) { return MemoryFormats.emptyLike(t, dtype, format); }
}
