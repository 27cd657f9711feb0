package dev.jtensor;

import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.ops.Comparison;
import dev.jtensor.internal.ops.Indexing;
import dev.jtensor.internal.ops.Linalg;
import dev.jtensor.internal.ops.MemoryFormats;
import dev.jtensor.internal.ops.Movement;
import dev.jtensor.internal.ops.PointwiseForms;
import dev.jtensor.internal.ops.Reduce;
import dev.jtensor.internal.ops.ScatterReduceOps;
import dev.jtensor.internal.ops.Softmax;

/**
 * The method forms of {@link JtOverloads} (issue 20): reversed operands, tensor clamp bounds, rounding
 * modes, {@code scatter_reduce}, {@code dtype=} arguments and memory formats; one-line delegates.
 */
abstract class TensorOverloads extends TensorLinalg {
    TensorOverloads(Storage s, DType d, Layout l, Device dev, boolean owns) {
        super(s, d, l, dev, owns);
    }

    /** {@code other - this} ({@code torch.rsub}). */
    public Tensor rsub(Tensor other) { return PointwiseForms.rsub(self(), other, 1); }

    /** {@code other - alpha * this}. */
    public Tensor rsub(Tensor other, double alpha) { return PointwiseForms.rsub(self(), other, alpha); }

    /** {@code value - alpha * this}. */
    public Tensor rsub(double value, double alpha) { return PointwiseForms.rsub(self(), value, alpha); }

    /** {@code value - alpha * this} for integers: an integer tensor stays integer. */
    public Tensor rsub(long value, long alpha) { return PointwiseForms.rsub(self(), value, alpha); }

    /** {@code other / this}. */
    public Tensor rdiv(Tensor other) { return PointwiseForms.rdiv(self(), other); }

    /** {@code value / this}. */
    public Tensor rdiv(double value) { return PointwiseForms.rdiv(self(), value); }

    /** {@code other ** this}. */
    public Tensor rpow(Tensor other) { return PointwiseForms.rpow(self(), other); }

    /** {@code value ** this}. */
    public Tensor rpow(double value) { return PointwiseForms.rpow(self(), value); }

    /** {@code this.where(cond, value)} for an integer value: this tensor's integer type is kept. */
    public Tensor where(Tensor cond, long value) { return PointwiseForms.where(cond, self(), value); }

    /** {@code this + value} for a boolean value: this tensor's type is kept (bool + True is a logical or). */
    public Tensor add(boolean value) { return PointwiseForms.add(self(), value); }

    /** {@code this * value} for a boolean value. */
    public Tensor mul(boolean value) { return PointwiseForms.mul(self(), value); }

    /** {@code this.where(cond, value)} for a boolean value. */
    public Tensor where(Tensor cond, boolean value) { return PointwiseForms.where(cond, self(), value); }

    /** {@code torch.max(this, other)}: {@link #maximum}. */
    public Tensor max(Tensor other) { return Comparison.maximum(self(), other, null); }

    /** {@code torch.min(this, other)}: {@link #minimum}. */
    public Tensor min(Tensor other) { return Comparison.minimum(self(), other, null); }

    /** {@code this.clamp(min, max)} with tensor bounds (either may be null), broadcast and promoted. */
    public Tensor clamp(Tensor min, Tensor max) { return PointwiseForms.clamp(self(), min, max); }

    /** {@code this.clamp_min(min)} with a tensor bound. */
    public Tensor clampMin(Tensor min) { return PointwiseForms.clampMin(self(), min); }

    /** {@code this.clamp_max(max)} with a tensor bound. */
    public Tensor clampMax(Tensor max) { return PointwiseForms.clampMax(self(), max); }

    /** {@code this.round(decimals=d)}. */
    public Tensor round(int decimals) { return PointwiseForms.round(self(), decimals); }

    /** {@code this.div(other, rounding_mode=mode)}: mode null, {@code "trunc"} or {@code "floor"}. */
    public Tensor div(Tensor other, String roundingMode) { return PointwiseForms.div(self(), other, roundingMode); }

    /** {@code this.div(value, rounding_mode=mode)}. */
    public Tensor div(double value, String roundingMode) { return PointwiseForms.div(self(), value, roundingMode); }

    /** {@code this.div(value, rounding_mode=mode)} for an integer value: an integer tensor stays integer. */
    public Tensor div(long value, String roundingMode) { return PointwiseForms.div(self(), value, roundingMode); }

    /** {@code this.ger(other)}: {@link #outer}. */
    public Tensor ger(Tensor other) { return Linalg.outer(self(), other); }

    /** {@code this.index_add(dim, index, src, alpha=alpha)}. */
    public Tensor indexAdd(int dim, Tensor index, Tensor src, double alpha) { return Indexing.indexAdd(self(), dim, index, src, alpha); }

    /** {@code this.index_add_(dim, index, src)}: in place, returns this. */
    public Tensor indexAdd_(int dim, Tensor index, Tensor src) { return Indexing.indexAdd_(self(), dim, index, src, 1); }

    /** {@code this.index_add_(dim, index, src, alpha=alpha)}: in place, returns this. */
    public Tensor indexAdd_(int dim, Tensor index, Tensor src, double alpha) { return Indexing.indexAdd_(self(), dim, index, src, alpha); }

    /** {@code this.masked_fill(mask, value)} with a 0-d tensor value (differentiable in value too). */
    public Tensor maskedFill(Tensor mask, Tensor value) { return Indexing.maskedFill(self(), mask, value); }

    /** {@code this.masked_fill_(mask, value)} with a 0-d tensor value: in place, returns this. */
    public Tensor maskedFill_(Tensor mask, Tensor value) { return Indexing.maskedFill_(self(), mask, value); }

    /** {@code this.clamp_(min, max)} with tensor bounds (either may be null): in place, returns this. */
    public Tensor clamp_(Tensor min, Tensor max) { return PointwiseForms.clamp_(self(), min, max); }

    /** {@code this.scatter_reduce_(dim, index, src, reduce, include_self=includeSelf)}: in place, returns this. */
    public Tensor scatterReduce_(int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
        return ScatterReduceOps.scatterReduce_(self(), dim, index, src, reduce, includeSelf);
    }

    /** {@code this.scatter_reduce(dim, index, src, reduce)} (include_self true). */
    public Tensor scatterReduce(int dim, Tensor index, Tensor src, String reduce) {
        return ScatterReduceOps.scatterReduce(self(), dim, index, src, reduce, true);
    }

    /** {@code this.scatter_reduce(dim, index, src, reduce, include_self=includeSelf)}: sum, prod, mean, amax, amin. */
    public Tensor scatterReduce(int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
        return ScatterReduceOps.scatterReduce(self(), dim, index, src, reduce, includeSelf);
    }

    /** {@code this.scatter(dim, index, src, reduce=)} with {@code "add"} or {@code "multiply"}. */
    public Tensor scatter(int dim, Tensor index, Tensor src, String reduce) { return ScatterReduceOps.scatter(self(), dim, index, src, reduce); }

    /** {@code this.scatter(dim, index, value, reduce=)}. */
    public Tensor scatter(int dim, Tensor index, double value, String reduce) {
        return ScatterReduceOps.scatter(self(), dim, index, value, reduce);
    }

    /** {@code this.narrow(dim, start, length)} with a 0-d integer tensor start (read on the host). */
    public Tensor narrow(int dim, Tensor start, long length) {
        return Movement.narrow(self(), dim, Indexing.hostIndex("narrow", start), length);
    }

    /** {@code this.softmax(dim, dtype=dtype)}: cast first. */
    public Tensor softmax(int dim, DType dtype) { return Softmax.softmax(to(dtype), dim); }

    /** {@code this.log_softmax(dim, dtype=dtype)}: cast first. */
    public Tensor logSoftmax(int dim, DType dtype) { return Softmax.logSoftmax(to(dtype), dim); }

    /** {@code this.sum(dim, keepdim, dtype=dtype)}. */
    public Tensor sum(int dim, boolean keepdim, DType dtype) { return Reduce.sum(self(), new int[] {dim}, keepdim, dtype); }

    /** {@code this.sum(dim, dtype=dtype)}. */
    public Tensor sum(int dim, DType dtype) { return Reduce.sum(self(), new int[] {dim}, false, dtype); }

    /** {@code this.mean(dim, dtype=dtype)} (dtype floating). */
    public Tensor mean(int dim, DType dtype) { return Reduce.mean(self(), new int[] {dim}, false, dtype); }

    /** {@code this.prod(dtype=dtype)}. */
    public Tensor prod(DType dtype) { return Reduce.prod(to(dtype), null, false); }

    /** {@code this.prod(dim, keepdim, dtype=dtype)}. */
    public Tensor prod(int dim, boolean keepdim, DType dtype) { return Reduce.prod(to(dtype), dim, keepdim); }

    /** {@code this.mean(dim, keepdim, dtype=dtype)}. */
    public Tensor mean(int dim, boolean keepdim, DType dtype) { return Reduce.mean(self(), new int[] {dim}, keepdim, dtype); }

    /** {@code this.mean(dims, keepdim, dtype=dtype)}. */
    public Tensor mean(int[] dims, boolean keepdim, DType dtype) { return Reduce.mean(self(), dims, keepdim, dtype); }

    /** {@code this.cumsum(dim, dtype=dtype)}. */
    public Tensor cumsum(int dim, DType dtype) { return Reduce.cumsum(to(dtype), dim); }

    /** {@code this.cumprod(dim, dtype=dtype)}. */
    public Tensor cumprod(int dim, DType dtype) { return Reduce.cumprod(to(dtype), dim); }

    /** {@code this.contiguous(memory_format=format)}: this tensor when already so laid out, else a copy. */
    public Tensor contiguous(MemoryFormat format) { return MemoryFormats.contiguous(self(), format); }

    /** {@code this.clone(memory_format=format)}: a copy laid out as {@code format} (PRESERVE keeps a dense layout). */
    public Tensor clone(MemoryFormat format) { return MemoryFormats.clone(self(), format); }

    /** {@code this.is_contiguous(memory_format=format)}: are the strides those of {@code format}? */
    public boolean isContiguous(MemoryFormat format) { return MemoryFormats.isContiguous(self(), format); }
}
