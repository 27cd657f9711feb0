package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.Elements;
import dev.jtensor.backend.cpu.simd.Simd;
import dev.jtensor.backend.cpu.simd.SimdSoftmax;
import dev.jtensor.backend.plan.ReducePlan;
import java.lang.foreign.MemorySegment;

/**
 * The softmax and log-softmax row loop: each line along the dim is shifted by its maximum before
 * exponentiating ({@code softmax(x)_i = exp(x_i - m) / sum_j exp(x_j - m)},
 * {@code logSoftmax(x)_i = x_i - m - log sum_j exp(x_j - m)}), computed in double; contiguous float32 rows
 * take the Vector API twin ({@link SimdSoftmax}) when it is on.
 */
public final class CpuSoftmax {
    private CpuSoftmax() {}

    /**
     * Normalises every line of {@code in} ({@code plan} walks the lines, each {@code length} long, elements
     * {@code inStride} apart) into the contiguous {@code out} of the same shape (its elements {@code after}
     * apart along the dim).
     */
    public static void rows(boolean log, MemorySegment in, DType t, ReducePlan plan, long length, long after, long inStride,
                            MemorySegment out) {
        if (plan.outputCount == 0 || length == 0) return;
        if (KernelChoice.softmaxInC(t, plan.outputCount * length) && inStride == 1 && after == 1
                && rowsContiguous(plan, length) && NativeKernels.softmaxRows(log, in, plan.offset, out, 0, plan.outputCount, length)) {
            return;
        }
        if (KernelChoice.softmaxInC(t, plan.outputCount * length) && after > 1
                && NativeKernels.softmaxColumns(log, in, plan, length, after, inStride, out)) {
            return;
        }
        boolean simd = Simd.ENABLED && t == DType.FLOAT32 && inStride == 1 && after == 1; // SimdSoftmax: rows contiguous
        Parallel.forRange(plan.outputCount, Math.max(1, 16384 / length), (from, to) -> {
            double[] row = new double[simd ? 0 : (int) length];
            for (long o = from; o < to; o++) {
                long base = plan.base(o), first = (o / after) * length * after + (o % after);
                if (simd) {
                    SimdSoftmax.rowF32(in, base * 4, out, first * 4, (int) length, log);
                    continue;
                }
                for (int k = 0; k < length; k++) row[k] = Elements.getDouble(in, t, (base + k * inStride) * t.byteSize());
                normalizeRow(row, log);
                for (int k = 0; k < length; k++) Elements.setDouble(out, t, (first + k * after) * t.byteSize(), row[k]);
            }
        });
    }

    /** True when line o starts at element {@code offset + o * length}: the lines form one contiguous block. */
    private static boolean rowsContiguous(ReducePlan plan, long length) {
        return plan.outerShape.length == 0 || plan.outerShape.length == 1 && plan.outerStrides[0] == length;
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
