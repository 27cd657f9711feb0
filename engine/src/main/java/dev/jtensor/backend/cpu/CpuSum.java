package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.internal.Parallel;
import dev.jtensor.internal.layout.ReducePlan;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Fast float32/float64 summation, the hot path of {@code sum}, {@code mean} and the autograd engine's
 * broadcast reductions.
 *
 * <p>Accuracy: a run of elements is cut into blocks of {@link #BLOCK} elements; each block is summed in
 * 8 independent lanes (512 float32 additions per lane at most, so the rounding error of a block is that
 * of 512 additions, not of the whole run), and the block sums are added in double. The sum of 10^8
 * float32 ones is exactly 1e8. Full reductions split the run into fixed blocks whose partial sums are
 * combined in block order, so the result does not depend on the thread count.
 *
 * <p>Scalar code with 8 accumulators: C2 does not vectorise an ordered float reduction, but 8
 * independent chains keep both load ports busy (see bench/results/reduce.md for the measured rate).
 */
public final class CpuSum {
    private CpuSum() {}

    static final int BLOCK = 4096;
    /** Elements per task of a full reduction; partial sums are combined in this order. */
    static final long TASK = 1 << 16;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /** True if {@link #sum} handles this case. */
    static boolean handles(DType t, ReducePlan plan) {
        return (t == DType.FLOAT32 || t == DType.FLOAT64) && (plan.innerContiguous() || plan.outerContiguous());
    }

    /** Writes the sums of {@code plan}'s groups into {@code out}, contiguous, as {@code outType}. */
    static void sum(MemorySegment in, DType t, ReducePlan plan, double scale, MemorySegment out, DType outType) {
        if (plan.innerContiguous()) {
            if (plan.outputCount == 1) {
                CpuReduce.store(out, outType, 0, scale * sumRunParallel(in, t, plan.offset, plan.innerCount));
                return;
            }
            long n = plan.innerCount;
            Parallel.forRange(plan.outputCount, Math.max(1, 32768 / Math.max(n, 1)), (from, to) -> {
                for (long o = from; o < to; o++) CpuReduce.store(out, outType, o, scale * sumRun(in, t, plan.base(o), n));
            });
            return;
        }
        sumRows(in, t, plan, scale, out, outType);
    }

    /** Sum of the run {@code [start, start + n)} (element indices) on all threads, deterministic. */
    static double sumRunParallel(MemorySegment in, DType t, long start, long n) {
        if (n <= TASK) return sumRun(in, t, start, n);
        int tasks = (int) ((n + TASK - 1) / TASK);
        double[] partial = new double[tasks];
        Parallel.forRange(tasks, 1, (from, to) -> {
            for (long k = from; k < to; k++) {
                long s = k * TASK;
                partial[(int) k] = sumRun(in, t, start + s, Math.min(TASK, n - s));
            }
        });
        return pairwise(partial, 0, tasks);
    }

    private static double pairwise(double[] a, int from, int to) {
        if (to - from <= 8) {
            double s = 0;
            for (int i = from; i < to; i++) s += a[i];
            return s;
        }
        int mid = (from + to) >>> 1;
        return pairwise(a, from, mid) + pairwise(a, mid, to);
    }

    /** Sum of one contiguous run, in blocks of {@link #BLOCK} elements. */
    static double sumRun(MemorySegment in, DType t, long start, long n) {
        double total = 0;
        for (long b = 0; b < n; b += BLOCK) {
            int m = (int) Math.min(BLOCK, n - b);
            total += t == DType.FLOAT32 ? blockF32(in, (start + b) * 4, m) : blockF64(in, (start + b) * 8, m);
        }
        return total;
    }

    private static float blockF32(MemorySegment s, long p, int m) {
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        int i = 0;
        for (; i <= m - 8; i += 8) {
            long q = p + (long) i * 4;
            a0 += s.get(F32, q);
            a1 += s.get(F32, q + 4);
            a2 += s.get(F32, q + 8);
            a3 += s.get(F32, q + 12);
            a4 += s.get(F32, q + 16);
            a5 += s.get(F32, q + 20);
            a6 += s.get(F32, q + 24);
            a7 += s.get(F32, q + 28);
        }
        for (; i < m; i++) a0 += s.get(F32, p + (long) i * 4);
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    private static double blockF64(MemorySegment s, long p, int m) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        int i = 0;
        for (; i <= m - 8; i += 8) {
            long q = p + (long) i * 8;
            a0 += s.get(F64, q);
            a1 += s.get(F64, q + 8);
            a2 += s.get(F64, q + 16);
            a3 += s.get(F64, q + 24);
            a4 += s.get(F64, q + 32);
            a5 += s.get(F64, q + 40);
            a6 += s.get(F64, q + 48);
            a7 += s.get(F64, q + 56);
        }
        for (; i < m; i++) a0 += s.get(F64, p + (long) i * 8);
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    /**
     * The "vertical" case: the innermost kept dim is contiguous and the reduced dims step over whole
     * rows ({@code sum(dim=0)} of a row-major matrix). Each task owns a band of columns and adds row after
     * row into double accumulators, reading memory in order.
     */
    private static void sumRows(MemorySegment in, DType t, ReducePlan plan, double scale, MemorySegment out, DType outType) {
        int last = plan.outerShape.length - 1;
        long width = plan.outerShape[last];
        long rows = plan.outputCount / width; // outer index space above the contiguous dim
        long bands = Math.max(1, (width + 511) / 512);
        long tasks = rows * bands;
        Parallel.forRange(tasks, 1, (from, to) -> {
            double[] acc = new double[512];
            long[] idx = new long[plan.innerShape.length];
            for (long task = from; task < to; task++) {
                long r = task / bands, j0 = (task % bands) * 512;
                int w = (int) Math.min(512, width - j0);
                long base = plan.base(r * width) + j0;
                java.util.Arrays.fill(acc, 0, w, 0.0);
                addRows(in, t, plan, base, acc, w, idx);
                for (int j = 0; j < w; j++) CpuReduce.store(out, outType, r * width + j0 + j, scale * acc[j]);
            }
        });
    }

    /** {@code acc[j] += in[base + innerOffset + j]} for every inner index (odometer over the reduced dims). */
    private static void addRows(MemorySegment in, DType t, ReducePlan plan, long base, double[] acc, int w, long[] idx) {
        long[] shape = plan.innerShape, strides = plan.innerStrides;
        java.util.Arrays.fill(idx, 0);
        long off = base;
        for (long k = 0; k < plan.innerCount; k++) {
            if (t == DType.FLOAT32) {
                long p = off * 4;
                for (int j = 0; j < w; j++) acc[j] += in.get(F32, p + (long) j * 4);
            } else {
                long p = off * 8;
                for (int j = 0; j < w; j++) acc[j] += in.get(F64, p + (long) j * 8);
            }
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) { off += strides[d]; break; }
                off -= strides[d] * (shape[d] - 1);
                idx[d] = 0;
            }
        }
    }
}
