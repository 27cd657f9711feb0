package dev.jtensor.backend.cpu.simd;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twin of {@code CpuSoftmax.normalizeRow} for one contiguous float32 row:
 * {@code softmax(x)_i = exp(x_i - m) / sum_j exp(x_j - m)} or
 * {@code logSoftmax(x)_i = x_i - m - log sum_j exp(x_j - m)}, with {@code m} the row maximum
 * (a NaN anywhere makes the row NaN; a row of -inf is shifted by 0 and gives NaN, as PyTorch).
 *
 * <p>Precision: the exponentials are float32 ({@code lanewise(EXP)}, which HotSpot compiles to the
 * vector math library's intrinsic; the API specifies results within 1 ulp of {@link Math#exp}); the
 * sum is added in float lanes over chunks of {@link #CHUNK} elements (at most 64 additions per lane)
 * and the chunk sums in double. PyTorch's CPU kernel is float32 too. The scalar twin computes in double
 * and rounds once; the two agree within a few float32 ulps (tested).
 */
public final class SimdSoftmax {
    private SimdSoftmax() {}

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Elements per float-lane partial sum of the exponentials. */
    static final int CHUNK = 1024;

    /**
     * Writes the softmax (or log-softmax) of the {@code n} float32 values at byte offset {@code inByte}
     * of {@code in} into {@code n} floats at byte offset {@code outByte} of {@code out}. Not modified:
     * {@code in} (unless it is {@code out} at the same offset). Modified: that range of {@code out}.
     */
    public static void rowF32(MemorySegment in, long inByte, MemorySegment out, long outByte, int n, boolean log) {
        float m = max(in, inByte, n);
        if (m == Float.NEGATIVE_INFINITY) m = 0;
        // softmax keeps exp(x - m) in out and rescales it; log-softmax only needs the sum
        double s = expSum(in, inByte, out, outByte, n, m, !log);
        if (log) {
            shift(in, inByte, out, outByte, n, m, (float) Math.log(s));
        } else {
            scale(out, outByte, n, (float) (1 / s));
        }
    }

    /** Maximum of the row, NaN if any element is NaN. */
    static float max(MemorySegment in, long p, int n) {
        int lanes = SPECIES.length(), i = 0;
        FloatVector acc = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        for (; i <= n - lanes; i += lanes) acc = acc.max(FloatVector.fromMemorySegment(SPECIES, in, p + 4L * i, ORDER));
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, in.get(F32, p + 4L * i));
        return m;
    }

    /** Sum of {@code exp(x - m)} over the row; stores each exponential into {@code out} if {@code keep}. */
    private static double expSum(MemorySegment in, long p, MemorySegment out, long q, int n, float m, boolean keep) {
        int lanes = SPECIES.length(), i = 0;
        double total = 0;
        while (i <= n - lanes) {
            int end = Math.min(n - lanes, i + CHUNK - lanes);
            FloatVector acc = FloatVector.zero(SPECIES);
            for (; i <= end; i += lanes) {
                FloatVector e = FloatVector.fromMemorySegment(SPECIES, in, p + 4L * i, ORDER)
                        .sub(m).lanewise(VectorOperators.EXP);
                if (keep) e.intoMemorySegment(out, q + 4L * i, ORDER);
                acc = acc.add(e);
            }
            total += SimdSum.laneSum(acc);
        }
        for (; i < n; i++) {
            float e = (float) Math.exp(in.get(F32, p + 4L * i) - m);
            if (keep) out.set(F32, q + 4L * i, e);
            total += e;
        }
        return total;
    }

    /** {@code out[i] *= inv}. */
    private static void scale(MemorySegment out, long q, int n, float inv) {
        int lanes = SPECIES.length(), i = 0;
        for (; i <= n - lanes; i += lanes) {
            FloatVector.fromMemorySegment(SPECIES, out, q + 4L * i, ORDER).mul(inv).intoMemorySegment(out, q + 4L * i, ORDER);
        }
        for (; i < n; i++) out.set(F32, q + 4L * i, out.get(F32, q + 4L * i) * inv);
    }

    /** {@code out[i] = (in[i] - m) - logSum}: subtracting m first keeps huge inputs accurate, as PyTorch. */
    private static void shift(MemorySegment in, long p, MemorySegment out, long q, int n, float m, float logSum) {
        int lanes = SPECIES.length(), i = 0;
        for (; i <= n - lanes; i += lanes) {
            FloatVector.fromMemorySegment(SPECIES, in, p + 4L * i, ORDER).sub(m).sub(logSum).intoMemorySegment(out, q + 4L * i, ORDER);
        }
        for (; i < n; i++) out.set(F32, q + 4L * i, (in.get(F32, p + 4L * i) - m) - logSum);
    }
}
