package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.Elements;
import dev.jtensor.backend.ReduceKernel;
import dev.jtensor.backend.plan.ReducePlan;
import java.lang.foreign.MemorySegment;

/**
 * The CPU reduction kernels: each output element folds one group of input elements (a
 * {@link ReducePlan}). Float32/float64 sums take the fast path in {@link CpuSum}; every other case
 * reads the group in chunks through a {@link GroupCursor} and folds in double (floating inputs) or in
 * exact int64 (integer inputs for SUM, PROD, AMAX, AMIN, MAX, MIN). Groups run in parallel when there
 * are enough of them.
 */
public final class CpuReduce {
    private CpuReduce() {}

    /**
     * Folds each group of {@code plan} with {@code kernel} into {@code out} (contiguous, {@code outType}).
     * MAX and MIN also write the group-relative (row-major) index of the chosen element into
     * {@code indices} (int64, may be null); argmax/argmin are MAX/MIN whose values the caller drops.
     *
     * @param param SUM's scale, NORM's p, or VAR's correction; ignored otherwise
     */
    public static void reduce(ReduceKernel kernel, double param, MemorySegment in, DType inType, ReducePlan plan,
                              MemorySegment out, DType outType, MemorySegment indices) {
        if (plan.outputCount == 0) return;
        if (kernel == ReduceKernel.SUM && CpuSum.handles(inType, plan)) {
            CpuSum.sum(in, inType, plan, param, out, outType);
            return;
        }
        if (CpuReduceSplit.handles(plan)) {
            CpuReduceSplit.reduce(kernel, param, in, inType, plan, out, outType, indices);
            return;
        }
        long inner = Math.max(plan.innerCount, 1);
        Parallel.forRange(plan.outputCount, Math.max(1, 32768 / inner), (from, to) -> {
            GroupCursor c = new GroupCursor(in, inType, plan);
            for (long o = from; o < to; o++) {
                long base = plan.base(o);
                c.reset(base);
                reduceGroup(kernel, param, c, base, o, out, outType, indices);
            }
        });
    }

    private static void reduceGroup(ReduceKernel kernel, double p, GroupCursor c, long base, long o,
                                    MemorySegment out, DType outType, MemorySegment indices) {
        boolean exact = !c.type.isFloatingPoint();
        switch (kernel) {
            case SUM, PROD -> {
                if (exact) storeLong(out, outType, o, foldLong(kernel, c));
                else store(out, outType, o, finish(kernel, p, foldDouble(kernel, p, c)));
            }
            case NORM, ALL, ANY -> store(out, outType, o, finish(kernel, p, foldDouble(kernel, p, c)));
            case AMAX, AMIN -> extremum(kernel == ReduceKernel.AMAX, c, 0).store(o, out, outType, null);
            case MAX, MIN -> extremum(kernel == ReduceKernel.MAX, c, 0).store(o, out, outType, indices);
            case VAR -> store(out, outType, o, variance(c, base, p));
            case LOGSUMEXP -> {
                double[] ms = logSumExp(c);
                store(out, outType, o, logSumExpFinish(ms[0], ms[1]));
            }
        }
    }

    /** SUM or PROD of integers, exact (wrapping) in int64 as PyTorch. */
    static long foldLong(ReduceKernel kernel, GroupCursor c) {
        long acc = kernel == ReduceKernel.PROD ? 1 : 0;
        long[] buf = c.longs;
        for (int n; (n = c.nextLongs()) > 0; ) {
            if (kernel == ReduceKernel.PROD) for (int i = 0; i < n; i++) acc *= buf[i];
            else for (int i = 0; i < n; i++) acc += buf[i];
        }
        return acc;
    }

    /** SUM, PROD, NORM, ALL, ANY folded in double (before {@link #finish}). */
    static double foldDouble(ReduceKernel kernel, double p, GroupCursor c) {
        double acc = switch (kernel) {
            case PROD, ALL -> 1;
            case NORM -> p == Double.NEGATIVE_INFINITY ? Double.POSITIVE_INFINITY : 0;
            case SUM, ANY, AMAX, AMIN, MAX, MIN, VAR, LOGSUMEXP -> 0;
        };
        double[] buf = c.doubles;
        for (int n; (n = c.nextDoubles()) > 0; ) {
            for (int i = 0; i < n; i++) {
                double v = buf[i];
                acc = switch (kernel) {
                    case SUM -> acc + v;
                    case PROD -> acc * v;
                    case ALL -> v == 0 ? 0 : acc;
                    case ANY -> v != 0 ? 1 : acc;
                    case NORM -> normStep(acc, Math.abs(v), p);
                    case AMAX, AMIN, MAX, MIN, VAR, LOGSUMEXP -> throw new AssertionError(kernel + " is not a fold");
                };
            }
        }
        return acc;
    }

    /** The last step of a fold: SUM's scale, NORM's root. */
    static double finish(ReduceKernel kernel, double p, double acc) {
        if (kernel == ReduceKernel.SUM) return acc * p;
        if (kernel != ReduceKernel.NORM || p == 0 || p == 1 || Double.isInfinite(p)) return acc;
        return p == 2 ? Math.sqrt(acc) : Math.pow(acc, 1 / p);
    }

    private static double normStep(double acc, double a, double p) {
        if (p == 2) return acc + a * a;
        if (p == 1) return acc + a;
        if (p == Double.POSITIVE_INFINITY) return a > acc || Double.isNaN(a) ? a : acc;
        if (p == Double.NEGATIVE_INFINITY) return a < acc || Double.isNaN(a) ? a : acc;
        if (p == 0) return acc + (a != 0 ? 1 : 0);
        return acc + Math.pow(a, p);
    }

    /** A max/min candidate: the value (as double or exact long), its index in the group, whether it is NaN. */
    record Best(double value, long exact, long index, boolean nan) {
        void store(long o, MemorySegment out, DType outType, MemorySegment indices) {
            if (outType.isFloatingPoint()) store(out, outType, o, value);
            else storeLong(out, outType, o, exact);
            if (indices != null) indices.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, o * 8, index);
        }

        private static void store(MemorySegment out, DType t, long o, double v) { CpuReduce.store(out, t, o, v); }
    }

    /**
     * Max or min with the first index of the winner (indices counted from {@code first}); NaN wins (the
     * first NaN), as PyTorch. Integer types compare exactly.
     */
    static Best extremum(boolean max, GroupCursor c, long first) {
        long bestIndex = first, k = first;
        if (!c.type.isFloatingPoint()) {
            long best = max ? Long.MIN_VALUE : Long.MAX_VALUE;
            for (int n; (n = c.nextLongs()) > 0; k += n) {
                for (int i = 0; i < n; i++) {
                    long v = c.longs[i];
                    if (max ? v > best : v < best) { best = v; bestIndex = k + i; }
                }
            }
            return new Best(best, best, bestIndex, false);
        }
        double best = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        boolean nan = false;
        for (int n; !nan && (n = c.nextDoubles()) > 0; k += n) {
            for (int i = 0; i < n; i++) {
                double v = c.doubles[i];
                if (Double.isNaN(v)) { best = v; bestIndex = k + i; nan = true; break; }
                if (max ? v > best : v < best) { best = v; bestIndex = k + i; }
            }
        }
        return new Best(best, 0, bestIndex, nan);
    }

    /**
     * Two passes over the group: the mean, then {@code sum (x - mean)^2 / (n - correction)} (a zero or
     * negative divisor counts as 0, giving inf or NaN as PyTorch). Both sums in double.
     */
    static double variance(GroupCursor c, long base, double correction) {
        double sum = 0;
        long count = 0;
        for (int n; (n = c.nextDoubles()) > 0; count += n) {
            for (int i = 0; i < n; i++) sum += c.doubles[i];
        }
        double mean = sum / count, m2 = 0, drift = 0;
        c.reset(base);
        for (int n; (n = c.nextDoubles()) > 0; ) {
            for (int i = 0; i < n; i++) {
                double d = c.doubles[i] - mean;
                m2 += d * d;
                drift += d;
            }
        }
        m2 -= drift * drift / count; // corrects the rounding of the mean (the "corrected two-pass" formula)
        return Math.max(m2, 0) / Math.max(count - correction, 0);
    }

    /** The running max m and {@code s = sum exp(x - m)} of a group, rescaling s when m grows ({m, s}). */
    static double[] logSumExp(GroupCursor c) {
        double m = Double.NEGATIVE_INFINITY, s = 0;
        for (int n; (n = c.nextDoubles()) > 0; ) {
            for (int i = 0; i < n; i++) {
                double v = c.doubles[i];
                if (Double.isNaN(v)) return new double[] {v, 1};
                if (v > m) {
                    s = (m == Double.NEGATIVE_INFINITY ? 0 : s * Math.exp(m - v)) + 1;
                    m = v;
                } else if (v != Double.NEGATIVE_INFINITY) {
                    s += Math.exp(v - m);
                }
            }
        }
        return new double[] {m, s};
    }

    /** {@code m + log s}; an infinite or NaN m is the result itself. */
    static double logSumExpFinish(double m, double s) {
        if (Double.isNaN(m) || Double.isInfinite(m)) return m;
        return m + Math.log(s);
    }

    /**
     * Cumulative sum or product along the plan's single reduced dim (of size {@code length}), written to
     * {@code out}, contiguous in the input's shape; {@code after} is the product of the sizes after that
     * dim. Integer inputs accumulate exactly in int64, floating ones in double.
     */
    public static void scan(boolean prod, MemorySegment in, DType inType, ReducePlan plan, long length, long after,
                            MemorySegment out, DType outType) {
        if (plan.outputCount == 0 || length == 0) return;
        Parallel.forRange(plan.outputCount, Math.max(1, 32768 / length), (from, to) -> {
            GroupCursor c = new GroupCursor(in, inType, plan);
            for (long o = from; o < to; o++) {
                c.reset(plan.base(o));
                long first = (o / after) * length * after + (o % after);
                if (inType.isFloatingPoint()) {
                    double acc = prod ? 1 : 0;
                    long k = 0;
                    for (int n; (n = c.nextDoubles()) > 0; ) {
                        for (int i = 0; i < n; i++, k++) {
                            acc = prod ? acc * c.doubles[i] : acc + c.doubles[i];
                            store(out, outType, first + k * after, acc);
                        }
                    }
                } else {
                    long acc = prod ? 1 : 0;
                    long k = 0;
                    for (int n; (n = c.nextLongs()) > 0; ) {
                        for (int i = 0; i < n; i++, k++) {
                            acc = prod ? acc * c.longs[i] : acc + c.longs[i];
                            storeLong(out, outType, first + k * after, acc);
                        }
                    }
                }
            }
        });
    }

    /** Stores output element {@code o} of a contiguous output. */
    static void store(MemorySegment out, DType t, long o, double v) { Elements.setDouble(out, t, o * t.byteSize(), v); }

    static void storeLong(MemorySegment out, DType t, long o, long v) { Elements.setLong(out, t, o * t.byteSize(), v); }
}
