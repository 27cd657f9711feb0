package dev.jtensor;

import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.ops.Extremes;
import dev.jtensor.internal.ops.Reduce;
import dev.jtensor.internal.ops.Softmax;
import dev.jtensor.internal.ops.Statistics;

/**
 * Reductions, scans and softmax (one-line delegates to {@code internal.ops.Reduce}, {@code Extremes},
 * {@code Statistics}, {@code Softmax}). Every reduction copies into a fresh tensor; dims may be negative;
 * {@code keepdim} keeps reduced dims with size 1. The no-dim forms reduce over all elements.
 */
abstract class TensorReduce extends TensorMath {
    private static final int[] ALL = new int[0];

    TensorReduce(Storage s, DType d, Layout l, Device dev, boolean owns) {
        super(s, d, l, dev, owns);
    }

    // ---- sum, mean, prod ----

    /** Sum of all elements (0-d); int and bool sum to int64; float32 sums are accurate (blocked, double across blocks). */
    public Tensor sum() { return Reduce.sum(self(), ALL, false); }

    /** Sum of all elements, converted to {@code dtype} first. */
    public Tensor sum(DType dtype) { return Reduce.sum(self(), ALL, false, dtype); }

    /** Sum over {@code dim}. */
    public Tensor sum(int dim) { return Reduce.sum(self(), new int[] {dim}, false); }

    /** Sum over {@code dim}. */
    public Tensor sum(int dim, boolean keepdim) { return Reduce.sum(self(), new int[] {dim}, keepdim); }

    /** Sum over several dims. */
    public Tensor sum(int[] dims, boolean keepdim) { return Reduce.sum(self(), dims, keepdim); }

    /** Sum over several dims, converted to {@code dtype} first. */
    public Tensor sum(int[] dims, boolean keepdim, DType dtype) { return Reduce.sum(self(), dims, keepdim, dtype); }

    /** Mean of all elements; floating dtypes only (NaN when empty). */
    public Tensor mean() { return Reduce.mean(self(), ALL, false); }

    /** Mean of all elements, converted to {@code dtype} first. */
    public Tensor mean(DType dtype) { return Reduce.mean(self(), ALL, false, dtype); }

    /** Mean over {@code dim}. */
    public Tensor mean(int dim) { return Reduce.mean(self(), new int[] {dim}, false); }

    /** Mean over {@code dim}. */
    public Tensor mean(int dim, boolean keepdim) { return Reduce.mean(self(), new int[] {dim}, keepdim); }

    /** Mean over several dims. */
    public Tensor mean(int[] dims, boolean keepdim) { return Reduce.mean(self(), dims, keepdim); }

    /** Product of all elements; int and bool give int64. */
    public Tensor prod() { return Reduce.prod(self(), null, false); }

    /** Product over {@code dim}. */
    public Tensor prod(int dim) { return Reduce.prod(self(), dim, false); }

    /** Product over {@code dim}. */
    public Tensor prod(int dim, boolean keepdim) { return Reduce.prod(self(), dim, keepdim); }

    // ---- max, min, amax, amin, argmax, argmin ----

    /** The largest element (0-d); NaN if any is NaN; throws for an empty tensor. */
    public Tensor max() { return Extremes.max(self()); }

    /** Maxima along {@code dim} and their int64 indices (first occurrence). */
    public ValuesIndices max(int dim) { return Extremes.max(self(), dim, false); }

    /** Maxima along {@code dim} and their indices. */
    public ValuesIndices max(int dim, boolean keepdim) { return Extremes.max(self(), dim, keepdim); }

    /** The smallest element (0-d). */
    public Tensor min() { return Extremes.min(self()); }

    /** Minima along {@code dim} and their indices. */
    public ValuesIndices min(int dim) { return Extremes.min(self(), dim, false); }

    /** Minima along {@code dim} and their indices. */
    public ValuesIndices min(int dim, boolean keepdim) { return Extremes.min(self(), dim, keepdim); }

    /** Largest element over all dims. */
    public Tensor amax() { return Extremes.amax(self(), ALL, false); }

    /** Largest element along {@code dim}. */
    public Tensor amax(int dim) { return Extremes.amax(self(), new int[] {dim}, false); }

    /** Largest element along {@code dim}. */
    public Tensor amax(int dim, boolean keepdim) { return Extremes.amax(self(), new int[] {dim}, keepdim); }

    /** Largest element over several dims. */
    public Tensor amax(int[] dims, boolean keepdim) { return Extremes.amax(self(), dims, keepdim); }

    /** Smallest element over all dims. */
    public Tensor amin() { return Extremes.amin(self(), ALL, false); }

    /** Smallest element along {@code dim}. */
    public Tensor amin(int dim) { return Extremes.amin(self(), new int[] {dim}, false); }

    /** Smallest element along {@code dim}. */
    public Tensor amin(int dim, boolean keepdim) { return Extremes.amin(self(), new int[] {dim}, keepdim); }

    /** Smallest element over several dims. */
    public Tensor amin(int[] dims, boolean keepdim) { return Extremes.amin(self(), dims, keepdim); }

    /** Flat index of the first maximum (0-d int64). */
    public Tensor argmax() { return Extremes.argmax(self()); }

    /** Index of the first maximum along {@code dim}. */
    public Tensor argmax(int dim) { return Extremes.argmax(self(), dim, false); }

    /** Index of the first maximum along {@code dim}. */
    public Tensor argmax(int dim, boolean keepdim) { return Extremes.argmax(self(), dim, keepdim); }

    /** Flat index of the first minimum. */
    public Tensor argmin() { return Extremes.argmin(self()); }

    /** Index of the first minimum along {@code dim}. */
    public Tensor argmin(int dim) { return Extremes.argmin(self(), dim, false); }

    /** Index of the first minimum along {@code dim}. */
    public Tensor argmin(int dim, boolean keepdim) { return Extremes.argmin(self(), dim, keepdim); }

    // ---- var, std, norm, logsumexp ----

    /** Variance of all elements with Bessel's correction (1). */
    public Tensor var() { return Statistics.var(self(), ALL, 1, false); }

    /** Variance along {@code dim} (correction 1). */
    public Tensor var(int dim) { return Statistics.var(self(), new int[] {dim}, 1, false); }

    /** Variance along {@code dim} (correction 1). */
    public Tensor var(int dim, boolean keepdim) { return Statistics.var(self(), new int[] {dim}, 1, keepdim); }

    /** Variance over {@code dims}: {@code sum (x - mean)^2 / (N - correction)}. */
    public Tensor var(int[] dims, double correction, boolean keepdim) { return Statistics.var(self(), dims, correction, keepdim); }

    /** Standard deviation of all elements (correction 1). */
    public Tensor std() { return Statistics.std(self(), ALL, 1, false); }

    /** Standard deviation along {@code dim} (correction 1). */
    public Tensor std(int dim) { return Statistics.std(self(), new int[] {dim}, 1, false); }

    /** Standard deviation along {@code dim} (correction 1). */
    public Tensor std(int dim, boolean keepdim) { return Statistics.std(self(), new int[] {dim}, 1, keepdim); }

    /** Standard deviation over {@code dims} with {@code correction}. */
    public Tensor std(int[] dims, double correction, boolean keepdim) { return Statistics.std(self(), dims, correction, keepdim); }

    /** The 2-norm (Frobenius) of all elements. */
    public Tensor norm() { return Statistics.norm(self(), 2, ALL, false); }

    /** The p-norm of all elements (p = 1, 2, inf, -inf, 0, or any other p). */
    public Tensor norm(double p) { return Statistics.norm(self(), p, ALL, false); }

    /** The p-norm along {@code dim}. */
    public Tensor norm(double p, int dim) { return Statistics.norm(self(), p, new int[] {dim}, false); }

    /** The p-norm over {@code dims}. */
    public Tensor norm(double p, int[] dims, boolean keepdim) { return Statistics.norm(self(), p, dims, keepdim); }

    /** The norm named by {@code p} ({@code "fro"}, {@code "inf"}, {@code "-inf"} or a number) over {@code dims}. */
    public Tensor norm(String p, int[] dims, boolean keepdim) { return Statistics.norm(self(), Statistics.normOrder(p), dims, keepdim); }

    /** {@code log sum exp} along {@code dim}, stable for large values. */
    public Tensor logsumexp(int dim) { return Statistics.logsumexp(self(), new int[] {dim}, false); }

    /** {@code log sum exp} along {@code dim}. */
    public Tensor logsumexp(int dim, boolean keepdim) { return Statistics.logsumexp(self(), new int[] {dim}, keepdim); }

    /** {@code log sum exp} over {@code dims}. */
    public Tensor logsumexp(int[] dims, boolean keepdim) { return Statistics.logsumexp(self(), dims, keepdim); }

    // ---- all, any, scans, softmax ----

    /** True if every element is nonzero (bool 0-d). */
    public Tensor all() { return Reduce.all(self(), ALL, false); }

    /** True where every element along {@code dim} is nonzero. */
    public Tensor all(int dim) { return Reduce.all(self(), new int[] {dim}, false); }

    /** True where every element along {@code dim} is nonzero. */
    public Tensor all(int dim, boolean keepdim) { return Reduce.all(self(), new int[] {dim}, keepdim); }

    /** True if any element is nonzero (bool 0-d). */
    public Tensor any() { return Reduce.any(self(), ALL, false); }

    /** True where any element along {@code dim} is nonzero. */
    public Tensor any(int dim) { return Reduce.any(self(), new int[] {dim}, false); }

    /** True where any element along {@code dim} is nonzero. */
    public Tensor any(int dim, boolean keepdim) { return Reduce.any(self(), new int[] {dim}, keepdim); }

    /** Cumulative sum along {@code dim}; int and bool give int64. */
    public Tensor cumsum(int dim) { return Reduce.cumsum(self(), dim); }

    /** Cumulative product along {@code dim}; int and bool give int64. */
    public Tensor cumprod(int dim) { return Reduce.cumprod(self(), dim); }

    /** Softmax along {@code dim} (numerically stable). */
    public Tensor softmax(int dim) { return Softmax.softmax(self(), dim); }

    /** Log-softmax along {@code dim} (numerically stable). */
    public Tensor logSoftmax(int dim) { return Softmax.logSoftmax(self(), dim); }
}
