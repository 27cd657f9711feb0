package dev.jtensor;

import dev.jtensor.internal.ops.Extremes;
import dev.jtensor.internal.ops.Reduce;
import dev.jtensor.internal.ops.Softmax;
import dev.jtensor.internal.ops.Statistics;

/** Reduction statics of the {@code torch.} namespace (part of {@link Jt}); each is the method of the same name. */
abstract class JtReduce extends JtMath {
    JtReduce() {}

    private static final int[] ALL = new int[0];

    public static Tensor sum(Tensor x) { return Reduce.sum(x, ALL, false); }

    public static Tensor sum(Tensor x, int dim, boolean keepdim) { return Reduce.sum(x, new int[] {dim}, keepdim); }

    public static Tensor sum(Tensor x, int[] dims, boolean keepdim) { return Reduce.sum(x, dims, keepdim); }

    public static Tensor mean(Tensor x) { return Reduce.mean(x, ALL, false); }

    public static Tensor mean(Tensor x, int dim, boolean keepdim) { return Reduce.mean(x, new int[] {dim}, keepdim); }

    public static Tensor mean(Tensor x, int[] dims, boolean keepdim) { return Reduce.mean(x, dims, keepdim); }

    public static Tensor prod(Tensor x) { return Reduce.prod(x, null, false); }

    public static Tensor prod(Tensor x, int dim, boolean keepdim) { return Reduce.prod(x, dim, keepdim); }

    public static Tensor max(Tensor x) { return Extremes.max(x); }

    public static ValuesIndices max(Tensor x, int dim, boolean keepdim) { return Extremes.max(x, dim, keepdim); }

    public static Tensor min(Tensor x) { return Extremes.min(x); }

    public static ValuesIndices min(Tensor x, int dim, boolean keepdim) { return Extremes.min(x, dim, keepdim); }

    public static Tensor amax(Tensor x, int[] dims, boolean keepdim) { return Extremes.amax(x, dims, keepdim); }

    public static Tensor amin(Tensor x, int[] dims, boolean keepdim) { return Extremes.amin(x, dims, keepdim); }

    public static Tensor argmax(Tensor x) { return Extremes.argmax(x); }

    public static Tensor argmax(Tensor x, int dim, boolean keepdim) { return Extremes.argmax(x, dim, keepdim); }

    public static Tensor argmin(Tensor x) { return Extremes.argmin(x); }

    public static Tensor argmin(Tensor x, int dim, boolean keepdim) { return Extremes.argmin(x, dim, keepdim); }

    public static Tensor var(Tensor x) { return Statistics.var(x, ALL, 1, false); }

    public static Tensor var(Tensor x, int[] dims, double correction, boolean keepdim) { return Statistics.var(x, dims, correction, keepdim); }

    public static Tensor std(Tensor x) { return Statistics.std(x, ALL, 1, false); }

    public static Tensor std(Tensor x, int[] dims, double correction, boolean keepdim) { return Statistics.std(x, dims, correction, keepdim); }

    public static Tensor norm(Tensor x) { return Statistics.norm(x, 2, ALL, false); }

    public static Tensor norm(Tensor x, double p) { return Statistics.norm(x, p, ALL, false); }

    public static Tensor norm(Tensor x, double p, int[] dims, boolean keepdim) { return Statistics.norm(x, p, dims, keepdim); }

    public static Tensor logsumexp(Tensor x, int dim, boolean keepdim) { return Statistics.logsumexp(x, new int[] {dim}, keepdim); }

    public static Tensor logsumexp(Tensor x, int[] dims, boolean keepdim) { return Statistics.logsumexp(x, dims, keepdim); }

    public static Tensor all(Tensor x) { return Reduce.all(x, ALL, false); }

    public static Tensor all(Tensor x, int dim, boolean keepdim) { return Reduce.all(x, new int[] {dim}, keepdim); }

    public static Tensor any(Tensor x) { return Reduce.any(x, ALL, false); }

    public static Tensor any(Tensor x, int dim, boolean keepdim) { return Reduce.any(x, new int[] {dim}, keepdim); }

    public static Tensor cumsum(Tensor x, int dim) { return Reduce.cumsum(x, dim); }

    public static Tensor cumprod(Tensor x, int dim) { return Reduce.cumprod(x, dim); }

    public static Tensor softmax(Tensor x, int dim) { return Softmax.softmax(x, dim); }

    public static Tensor logSoftmax(Tensor x, int dim) { return Softmax.logSoftmax(x, dim); }

    // ---------------- the function forms of Tensor methods (JtTensorParityTest) ----------------

    /** True where every element along {@code dim} is nonzero. */
    public static Tensor all(Tensor x, int dim) { return Reduce.all(x, new int[] {dim}, false); }

    /** Largest element over all dims. */
    public static Tensor amax(Tensor x) { return Extremes.amax(x, ALL, false); }

    /** Largest element along {@code dim}. */
    public static Tensor amax(Tensor x, int dim) { return Extremes.amax(x, new int[] {dim}, false); }

    /** Largest element along {@code dim}. */
    public static Tensor amax(Tensor x, int dim, boolean keepdim) { return Extremes.amax(x, new int[] {dim}, keepdim); }

    /** Smallest element over all dims. */
    public static Tensor amin(Tensor x) { return Extremes.amin(x, ALL, false); }

    /** Smallest element along {@code dim}. */
    public static Tensor amin(Tensor x, int dim) { return Extremes.amin(x, new int[] {dim}, false); }

    /** Smallest element along {@code dim}. */
    public static Tensor amin(Tensor x, int dim, boolean keepdim) { return Extremes.amin(x, new int[] {dim}, keepdim); }

    /** True where any element along {@code dim} is nonzero. */
    public static Tensor any(Tensor x, int dim) { return Reduce.any(x, new int[] {dim}, false); }

    /** Index of the first maximum along {@code dim}. */
    public static Tensor argmax(Tensor x, int dim) { return Extremes.argmax(x, dim, false); }

    /** Index of the first minimum along {@code dim}. */
    public static Tensor argmin(Tensor x, int dim) { return Extremes.argmin(x, dim, false); }

    /** {@code log sum exp} along {@code dim}, stable for large values. */
    public static Tensor logsumexp(Tensor x, int dim) { return Statistics.logsumexp(x, new int[] {dim}, false); }

    /** Mean of all elements, converted to {@code dtype} first. */
    public static Tensor mean(Tensor x, DType dtype) { return Reduce.mean(x, ALL, false, dtype); }

    /** Mean over {@code dim}. */
    public static Tensor mean(Tensor x, int dim) { return Reduce.mean(x, new int[] {dim}, false); }

    /** The norm named by {@code p} ({@code "fro"}, {@code "inf"}, {@code "-inf"} or a number) over {@code dims}. */
    public static Tensor norm(Tensor x, String p, int[] dims, boolean keepdim) { return Statistics.norm(x, Statistics.normOrder(p), dims, keepdim); }

    /** The p-norm along {@code dim}. */
    public static Tensor norm(Tensor x, double p, int dim) { return Statistics.norm(x, p, new int[] {dim}, false); }

    /** Product over {@code dim}. */
    public static Tensor prod(Tensor x, int dim) { return Reduce.prod(x, dim, false); }

    /** Standard deviation along {@code dim} (correction 1). */
    public static Tensor std(Tensor x, int dim) { return Statistics.std(x, new int[] {dim}, 1, false); }

    /** Standard deviation along {@code dim} (correction 1). */
    public static Tensor std(Tensor x, int dim, boolean keepdim) { return Statistics.std(x, new int[] {dim}, 1, keepdim); }

    /** Sum of all elements, converted to {@code dtype} first. */
    public static Tensor sum(Tensor x, DType dtype) { return Reduce.sum(x, ALL, false, dtype); }

    /** Sum over {@code dim}. */
    public static Tensor sum(Tensor x, int dim) { return Reduce.sum(x, new int[] {dim}, false); }

    /** Sum over several dims, converted to {@code dtype} first. */
    public static Tensor sum(Tensor x, int[] dims, boolean keepdim, DType dtype) { return Reduce.sum(x, dims, keepdim, dtype); }

    /** Variance along {@code dim} (correction 1). */
    public static Tensor var(Tensor x, int dim) { return Statistics.var(x, new int[] {dim}, 1, false); }

    /** Variance along {@code dim} (correction 1). */
    public static Tensor var(Tensor x, int dim, boolean keepdim) { return Statistics.var(x, new int[] {dim}, 1, keepdim); }
}
