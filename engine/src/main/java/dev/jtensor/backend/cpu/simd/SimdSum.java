package dev.jtensor.backend.cpu.simd;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twin of {@code CpuSum.blockF32}: the float32 sum of one block of at most
 * {@code CpuSum.BLOCK} (4096) contiguous elements. Scalar twin: {@code CpuSum.blockF32}.
 *
 * <p>Accuracy: four independent vector accumulators of {@link #SPECIES} lanes (64 float lanes with
 * AVX-512), so each lane adds at most 4096 / 64 = 64 elements and a block's rounding error is that of
 * 64 additions; the caller adds block sums in double, so the sum of 10^8 ones stays exactly 1e8. Lanes are combined
 * in a fixed order ({@link #laneSum}), so a block's result does not change when C2 compiles the loop. The
 * lane order differs from the scalar twin, so the two agree to rounding, not bit for bit; both are
 * deterministic and independent of the thread count (the caller keeps the fixed task partition).
 */
public final class SimdSum {
    private SimdSum() {}

    /** The widest float species the CPU runs natively (16 lanes with AVX-512, 8 with AVX2). */
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /**
     * Sum of the {@code m} float32 values at byte offset {@code p} of {@code s} (heap or native, any
     * alignment). Not modified: {@code s}.
     */
    public static float blockF32(MemorySegment s, long p, int m) {
        int lanes = SPECIES.length(), step = 4 * lanes;
        FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i <= m - step; i += step) {
            long q = p + 4L * i;
            a0 = a0.add(FloatVector.fromMemorySegment(SPECIES, s, q, ORDER));
            a1 = a1.add(FloatVector.fromMemorySegment(SPECIES, s, q + 4L * lanes, ORDER));
            a2 = a2.add(FloatVector.fromMemorySegment(SPECIES, s, q + 8L * lanes, ORDER));
            a3 = a3.add(FloatVector.fromMemorySegment(SPECIES, s, q + 12L * lanes, ORDER));
        }
        for (; i <= m - lanes; i += lanes) a0 = a0.add(FloatVector.fromMemorySegment(SPECIES, s, p + 4L * i, ORDER));
        float tail = 0;
        for (; i < m; i++) tail += s.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, p + 4L * i);
        return laneSum(a0.add(a1).add(a2.add(a3))) + tail;
    }

    /**
     * Sum of the lanes in a fixed pairwise order. Not {@code reduceLanes(ADD)}: its association order is
     * unspecified and differs between the interpreter's Java fallback and C2's intrinsic, so the same
     * call could round differently before and after JIT compilation.
     */
    static float laneSum(FloatVector v) {
        float[] t = new float[v.length()];
        v.intoArray(t, 0);
        for (int w = t.length / 2; w > 0; w /= 2) {
            for (int i = 0; i < w; i++) t[i] += t[i + w];
        }
        return t[0];
    }
}
