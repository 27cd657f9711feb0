package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.cpu.simd.Simd;
import dev.jtensor.backend.cpu.simd.SimdSoftmax;
import dev.jtensor.internal.Elements;
import dev.jtensor.internal.Parallel;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Layout;
import dev.jtensor.internal.layout.Promotion;
import dev.jtensor.internal.layout.ReducePlan;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * {@code softmax} and {@code logSoftmax} along one dim, numerically stable: each row is shifted by its
 * maximum before exponentiating ({@code softmax(x)_i = exp(x_i - m) / sum_j exp(x_j - m)},
 * {@code logSoftmax(x)_i = x_i - m - log sum_j exp(x_j - m)}), computed in double. Floating dtypes only;
 * the result is a fresh contiguous tensor of x's shape and dtype.
 */
public final class Softmax {
    private Softmax() {}

    /** Softmax along {@code dim}. Backward (SoftmaxBackward0): {@code y * (g - sum(g * y, dim))}. */
    public static Tensor softmax(Tensor x, int dim) {
        Tensor y = forward(x, dim, false, "softmax");
        if (!Autograd.needsGrad(x)) return y;
        int d = Layout.wrapDim(dim, x.dim());
        return Autograd.record("SoftmaxBackward0", y, List.of(x), List.of(y), (g, s) -> {
            Tensor out = s.get(0);
            Tensor dot = Reduce.sum(g.mul(out), new int[] {d}, true);
            return List.of(out.mul(g.sub(dot)));
        });
    }

    /** Log-softmax along {@code dim}. Backward (LogSoftmaxBackward0): {@code g - exp(y) * sum(g, dim)}. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        Tensor y = forward(x, dim, true, "log_softmax");
        if (!Autograd.needsGrad(x)) return y;
        int d = Layout.wrapDim(dim, x.dim());
        return Autograd.record("LogSoftmaxBackward0", y, List.of(x), List.of(y), (g, s) ->
                List.of(g.sub(s.get(0).exp().mul(Reduce.sum(g, new int[] {d}, true)))));
    }

    private static Tensor forward(Tensor x, int dim, boolean log, String op) {
        if (!x.dtype().isFloatingPoint()) {
            throw new UnsupportedOperationException(op + "(): not implemented for '" + Promotion.cTypeName(x.dtype())
                    + "' (floating dtypes only)");
        }
        Tensors.checkOpen(x);
        Layout l = Tensors.layout(x);
        ReducePlan.AlongDim along = ReducePlan.alongDim(l, dim);
        ReducePlan plan = along.plan();
        long length = along.length(), after = along.after();
        long inStride = l.rank() == 0 ? 0 : l.stride(along.dim());
        Tensor y = Tensors.empty(x.dtype(), l.shape().clone());
        if (plan.outputCount == 0 || length == 0) return y;
        Storage src = Tensors.storage(x);
        MemorySegment in = src.acquire();
        MemorySegment out = Tensors.storage(y).writableSegment();
        DType t = x.dtype();
        long stepAfter = after;
        boolean simd = Simd.ENABLED && t == DType.FLOAT32 && inStride == 1 && after == 1; // SimdSoftmax: rows contiguous
        try {
            Parallel.forRange(plan.outputCount, Math.max(1, 16384 / length), (from, to) -> {
                double[] row = new double[simd ? 0 : (int) length];
                for (long o = from; o < to; o++) {
                    long base = plan.base(o), first = (o / stepAfter) * length * stepAfter + (o % stepAfter);
                    if (simd) { SimdSoftmax.rowF32(in, base * 4, out, first * 4, (int) length, log); continue; }
                    for (int k = 0; k < length; k++) row[k] = Elements.getDouble(in, t, (base + k * inStride) * t.byteSize());
                    normalizeRow(row, log);
                    for (int k = 0; k < length; k++) Elements.setDouble(out, t, (first + k * stepAfter) * t.byteSize(), row[k]);
                }
            });
        } finally {
            src.release();
        }
        return y;
    }

    /** Replaces {@code row} by its softmax (or log-softmax), shifted by the row maximum; the scalar twin of SimdSoftmax. */
    public static void normalizeRow(double[] row, boolean log) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : row) if (v > m || Double.isNaN(v)) m = v;
        if (m == Double.NEGATIVE_INFINITY) m = 0; // all -inf: exp gives 0s, the sum 0, the result NaN as PyTorch
        double s = 0;
        if (log) {
            for (double v : row) s += Math.exp(v - m);
            double shift = m + Math.log(s);
            for (int k = 0; k < row.length; k++) row[k] -= shift;
            return;
        }
        for (int k = 0; k < row.length; k++) {
            row[k] = Math.exp(row[k] - m);
            s += row[k];
        }
        double inv = 1 / s;
        for (int k = 0; k < row.length; k++) row[k] *= inv;
    }
}
