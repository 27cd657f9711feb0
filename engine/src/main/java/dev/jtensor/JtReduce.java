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
}
