package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.ReduceKernel;
import dev.jtensor.backend.plan.ReducePlan;
import java.lang.foreign.MemorySegment;

/**
 * Reductions with fewer groups than threads but large groups ({@code x.amax()} of 16M elements): each
 * group is cut into fixed tasks of {@link #TASK} elements that run on all threads, and the tasks' partial
 * results are combined in task order, so results do not depend on the thread count. The partial state
 * per kernel: a fold's accumulator (SUM, PROD, ALL, ANY, NORM), a max/min candidate with its index, the
 * running {@code (m, s)} of logsumexp, and for VAR a first pass of sums, then of squared deviations.
 */
final class CpuReduceSplit {
    private CpuReduceSplit() {}

    static final long TASK = 1 << 15;

    static boolean handles(ReducePlan plan) {
        return plan.outputCount < Parallel.numThreads() && plan.innerCount >= 4 * TASK && Parallel.numThreads() > 1;
    }

    static void reduce(ReduceKernel kernel, double p, MemorySegment in, DType type, ReducePlan plan,
                       MemorySegment out, DType outType, MemorySegment indices) {
        for (long o = 0; o < plan.outputCount; o++) {
            long base = plan.base(o);
            switch (kernel) {
                case SUM, PROD -> {
                    if (!type.isFloatingPoint()) {
                        long[] parts = new long[tasks(plan)];
                        run(in, type, plan, base, (c, k) -> parts[k] = CpuReduce.foldLong(kernel, c));
                        long acc = kernel == ReduceKernel.PROD ? 1 : 0;
                        for (long v : parts) acc = kernel == ReduceKernel.PROD ? acc * v : acc + v;
                        CpuReduce.storeLong(out, outType, o, acc);
                    } else {
                        CpuReduce.store(out, outType, o, CpuReduce.finish(kernel, p, fold(kernel, p, in, type, plan, base)));
                    }
                }
                case ALL, ANY, NORM -> CpuReduce.store(out, outType, o, CpuReduce.finish(kernel, p, fold(kernel, p, in, type, plan, base)));
                case AMAX, AMIN, MAX, MIN -> {
                    boolean max = kernel == ReduceKernel.AMAX || kernel == ReduceKernel.MAX;
                    CpuReduce.Best[] parts = new CpuReduce.Best[tasks(plan)];
                    run(in, type, plan, base, (c, k) -> parts[k] = CpuReduce.extremum(max, c, k * TASK));
                    best(parts, max, type).store(o, out, outType, kernel == ReduceKernel.MAX || kernel == ReduceKernel.MIN ? indices : null);
                }
                case VAR -> CpuReduce.store(out, outType, o, variance(p, in, type, plan, base));
                case LOGSUMEXP -> CpuReduce.store(out, outType, o, logSumExp(in, type, plan, base));
            }
        }
    }

    /** A task body: fold the cursor's range into slot {@code k}. */
    private interface TaskBody {
        void run(GroupCursor c, int k);
    }

    private static int tasks(ReducePlan plan) { return (int) ((plan.innerCount + TASK - 1) / TASK); }

    /** Runs {@code body} for every task of the group at {@code base}; a thread chunk owns the tasks starting in it. */
    private static void run(MemorySegment in, DType type, ReducePlan plan, long base, TaskBody body) {
        long n = plan.innerCount;
        Parallel.forRange(n, TASK, (from, to) -> {
            GroupCursor c = new GroupCursor(in, type, plan);
            for (long k = (from + TASK - 1) / TASK; k * TASK < to; k++) {
                c.reset(base, k * TASK, Math.min(n, (k + 1) * TASK));
                body.run(c, (int) k);
            }
        });
    }

    /** A fold's partial accumulators combined: sum (SUM, NORM p), product (PROD, ALL), max (ANY, NORM inf), min (NORM -inf). */
    private static double fold(ReduceKernel kernel, double p, MemorySegment in, DType type, ReducePlan plan, long base) {
        double[] parts = new double[tasks(plan)];
        run(in, type, plan, base, (c, k) -> parts[k] = CpuReduce.foldDouble(kernel, p, c));
        double acc = parts[0];
        for (int k = 1; k < parts.length; k++) {
            double v = parts[k];
            boolean inf = kernel == ReduceKernel.NORM && Double.isInfinite(p);
            if (kernel == ReduceKernel.PROD || kernel == ReduceKernel.ALL) acc *= v;
            else if (kernel == ReduceKernel.ANY) acc = Math.max(acc, v);
            else if (inf) acc = Double.isNaN(acc) || Double.isNaN(v) ? Double.NaN : p > 0 ? Math.max(acc, v) : Math.min(acc, v);
            else acc += v;
        }
        return acc;
    }

    /** The winner among the tasks' candidates: the first NaN, else the best value, ties to the earlier task. */
    private static CpuReduce.Best best(CpuReduce.Best[] parts, boolean max, DType type) {
        CpuReduce.Best best = parts[0];
        for (int k = 1; k < parts.length && !best.nan(); k++) {
            CpuReduce.Best b = parts[k];
            boolean better = b.nan() || (type.isFloatingPoint()
                    ? (max ? b.value() > best.value() : b.value() < best.value())
                    : (max ? b.exact() > best.exact() : b.exact() < best.exact()));
            if (better) best = b;
        }
        return best;
    }

    /** Two parallel passes: sums for the mean, then squared deviations (with the rounding drift corrected). */
    private static double variance(double correction, MemorySegment in, DType type, ReducePlan plan, long base) {
        long n = plan.innerCount;
        double mean = fold(ReduceKernel.SUM, 1, in, type, plan, base) / n;
        double[] m2 = new double[tasks(plan)], drift = new double[tasks(plan)];
        run(in, type, plan, base, (c, k) -> {
            double a = 0, b = 0;
            for (int m; (m = c.nextDoubles()) > 0; ) {
                for (int i = 0; i < m; i++) {
                    double d = c.doubles[i] - mean;
                    a += d * d;
                    b += d;
                }
            }
            m2[k] = a;
            drift[k] = b;
        });
        double a = 0, b = 0;
        for (int k = 0; k < m2.length; k++) {
            a += m2[k];
            b += drift[k];
        }
        return Math.max(a - b * b / n, 0) / Math.max(n - correction, 0);
    }

    /** Each task's {@code (m, s)}, combined as {@code M = max m}, {@code S = sum s exp(m - M)}. */
    private static double logSumExp(MemorySegment in, DType type, ReducePlan plan, long base) {
        double[][] parts = new double[tasks(plan)][];
        run(in, type, plan, base, (c, k) -> parts[k] = CpuReduce.logSumExp(c));
        double m = Double.NEGATIVE_INFINITY;
        for (double[] ms : parts) {
            if (Double.isNaN(ms[0])) return ms[0];
            m = Math.max(m, ms[0]);
        }
        if (Double.isInfinite(m)) return m;
        double s = 0;
        for (double[] ms : parts) if (ms[0] != Double.NEGATIVE_INFINITY) s += ms[1] * Math.exp(ms[0] - m);
        return CpuReduce.logSumExpFinish(m, s);
    }
}
