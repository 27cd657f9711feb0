package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.cpu.simd.Simd;
import dev.jtensor.backend.cpu.simd.SimdSum;
import dev.jtensor.backend.plan.ReducePlan;
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
    /** Columns per accumulator band of the vertical case (4 KiB of doubles, in L1). */
    static final int BAND = 512;
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
            boolean inC = NativeKernels.takesSumRuns(in, t, plan, out, outType); // many runs per downcall, the same bits
            Parallel.forRange(plan.outputCount, Math.max(1, 32768 / Math.max(n, 1)), (from, to) -> {
                if (inC) NativeKernels.sumRuns(in, t, plan, scale, out, outType, from, to);
                else for (long o = from; o < to; o++) CpuReduce.store(out, outType, o, scale * sumRun(in, t, plan.base(o), n));
            });
            return;
        }
        sumRows(in, t, plan, scale, out, outType);
    }

    /**
     * Sum of the run {@code [start, start + n)} (element indices) on all threads, deterministic: the run is
     * cut into fixed tasks of {@link #TASK} elements, each owned by the thread chunk holding its first
     * element, and the partial sums are combined pairwise in task order.
     */
    static double sumRunParallel(MemorySegment in, DType t, long start, long n) {
        if (n <= TASK) return sumRun(in, t, start, n);
        int tasks = (int) ((n + TASK - 1) / TASK);
        double[] partial = new double[tasks];
        Parallel.forRange(n, TASK, (from, to) -> {
            for (long k = (from + TASK - 1) / TASK; k * TASK < to; k++) {
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
        if (KernelChoice.sumInC(n) && NativeKernels.sums(in, t)) return NativeKernels.sum(in, t, start, n); // the same blocks, summed in C
        double total = 0;
        for (long b = 0; b < n; b += BLOCK) {
            int m = (int) Math.min(BLOCK, n - b);
            total += t == DType.FLOAT64 ? blockF64(in, (start + b) * 8, m)
                    : Simd.ENABLED ? SimdSum.blockF32(in, (start + b) * 4, m) : blockF32(in, (start + b) * 4, m);
        }
        return total;
    }

    /** Sum of {@code m} float32 values at byte offset {@code p}; the scalar twin and test oracle of {@link SimdSum#blockF32}. */
    public static float blockF32(MemorySegment s, long p, int m) {
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
     * rows ({@code sum(dim=0)} of a row-major matrix). Threads split the outputs; each adds, band of
     * {@link #BAND} columns after band, row after row into double accumulators.
     */
    private static void sumRows(MemorySegment in, DType t, ReducePlan plan, double scale, MemorySegment out, DType outType) {
        boolean large = KernelChoice.sumInC(plan.outputCount * plan.innerCount);
        if (!large || !NativeKernels.sumRows(in, t, plan, scale, out, outType)) sumRowsJava(in, t, plan, scale, out, outType);
    }

    /** The Java loop of {@link #sumRows}: the fallback, and the oracle of the C kernel (the same order per column). */
    static void sumRowsJava(MemorySegment in, DType t, ReducePlan plan, double scale, MemorySegment out, DType outType) {
        int last = plan.outerShape.length - 1;
        long width = plan.outerShape[last];
        long grain = Math.max(16, 65536 / Math.max(1, plan.innerCount));
        Parallel.forRange(plan.outputCount, grain, (from, to) -> { // output o = r * width + j
            double[] acc = new double[BAND];
            long[] idx = new long[plan.innerShape.length];
            for (long o = from; o < to; ) {
                long r = o / width, j0 = o % width;
                int w = (int) Math.min(BAND, Math.min(width - j0, to - o));
                java.util.Arrays.fill(acc, 0, w, 0.0);
                addRows(in, t, plan, plan.base(r * width) + j0, acc, w, idx);
                for (int j = 0; j < w; j++) CpuReduce.store(out, outType, o + j, scale * acc[j]);
                o += w;
            }
        });
    }

    /**
     * One reduced float32 dim of {@code rows} rows {@code stride} elements apart: rows are copied four at a
     * time into float arrays (bulk copies), added in float (one rounding per four elements), then into the
     * double accumulators; array loops let C2 vectorise the arithmetic.
     */
    private static void addRowsF32(MemorySegment in, long base, long rows, long stride, double[] acc, int w) {
        float[] b0 = new float[w], b1 = new float[w], b2 = new float[w], b3 = new float[w];
        long r = 0, rowBytes = stride * 4;
        for (; r + 4 <= rows; r += 4) {
            long p = (base + r * stride) * 4;
            MemorySegment.copy(in, F32, p, b0, 0, w);
            MemorySegment.copy(in, F32, p + rowBytes, b1, 0, w);
            MemorySegment.copy(in, F32, p + 2 * rowBytes, b2, 0, w);
            MemorySegment.copy(in, F32, p + 3 * rowBytes, b3, 0, w);
            for (int j = 0; j < w; j++) acc[j] += (b0[j] + b1[j]) + (b2[j] + b3[j]);
        }
        for (; r < rows; r++) {
            MemorySegment.copy(in, F32, (base + r * stride) * 4, b0, 0, w);
            for (int j = 0; j < w; j++) acc[j] += b0[j];
        }
    }

    /** {@code acc[j] += in[base + innerOffset + j]} for every inner index (odometer over the reduced dims). */
    private static void addRows(MemorySegment in, DType t, ReducePlan plan, long base, double[] acc, int w, long[] idx) {
        long[] shape = plan.innerShape, strides = plan.innerStrides;
        if (shape.length == 1 && t == DType.FLOAT32) {
            addRowsF32(in, base, shape[0], strides[0], acc, w);
            return;
        }
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
