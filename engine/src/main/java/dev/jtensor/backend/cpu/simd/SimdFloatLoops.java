package dev.jtensor.backend.cpu.simd;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twins of the contiguous float32 {@code add} and {@code mul} loops of
 * {@code CpuFloatLoops.F32Contiguous} ({@code o[i] = a[i] + alpha * b[i]}, {@code o[i] = a[i] * b[i]}),
 * kept to measure against C2's auto-vectorised loops (bench/results/simd.md). Offsets are in bytes;
 * {@code o} may alias {@code a} or {@code b} at the same offset (in place). Modified: {@code o}.
 */
public final class SimdFloatLoops {
    private SimdFloatLoops() {}

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** {@code o[i] = a[i] + alpha * b[i]} for {@code i < n} (alpha 1 rounds once, as the scalar loop). */
    public static void add(MemorySegment o, long oo, MemorySegment a, long ao, MemorySegment b, long bo, int n, float alpha) {
        int lanes = SPECIES.length(), i = 0;
        if (alpha == 1f) {
            for (; i <= n - lanes; i += lanes) {
                FloatVector x = FloatVector.fromMemorySegment(SPECIES, a, ao + 4L * i, ORDER);
                x.add(FloatVector.fromMemorySegment(SPECIES, b, bo + 4L * i, ORDER)).intoMemorySegment(o, oo + 4L * i, ORDER);
            }
        } else {
            for (; i <= n - lanes; i += lanes) {
                FloatVector y = FloatVector.fromMemorySegment(SPECIES, b, bo + 4L * i, ORDER).mul(alpha);
                FloatVector.fromMemorySegment(SPECIES, a, ao + 4L * i, ORDER).add(y).intoMemorySegment(o, oo + 4L * i, ORDER);
            }
        }
        for (; i < n; i++) o.set(F32, oo + 4L * i, a.get(F32, ao + 4L * i) + alpha * b.get(F32, bo + 4L * i));
    }

    /** {@code o[i] = a[i] * b[i]} for {@code i < n}. */
    public static void mul(MemorySegment o, long oo, MemorySegment a, long ao, MemorySegment b, long bo, int n) {
        int lanes = SPECIES.length(), i = 0;
        for (; i <= n - lanes; i += lanes) {
            FloatVector x = FloatVector.fromMemorySegment(SPECIES, a, ao + 4L * i, ORDER);
            x.mul(FloatVector.fromMemorySegment(SPECIES, b, bo + 4L * i, ORDER)).intoMemorySegment(o, oo + 4L * i, ORDER);
        }
        for (; i < n; i++) o.set(F32, oo + 4L * i, a.get(F32, ao + 4L * i) * b.get(F32, bo + 4L * i));
    }

    /**
     * {@code y[i] = fma(alpha, x[i], y[i])} for {@code i < n}, rounded once per element as {@link Math#fma}
     * (the scalar twin is {@code CpuUpdate.axpy}; results are bit-identical).
     */
    public static void fma(float alpha, MemorySegment x, MemorySegment y, int n) {
        int lanes = SPECIES.length(), i = 0;
        FloatVector a = FloatVector.broadcast(SPECIES, alpha);
        for (; i <= n - lanes; i += lanes) {
            FloatVector xv = FloatVector.fromMemorySegment(SPECIES, x, 4L * i, ORDER);
            a.fma(xv, FloatVector.fromMemorySegment(SPECIES, y, 4L * i, ORDER)).intoMemorySegment(y, 4L * i, ORDER);
        }
        for (; i < n; i++) y.set(F32, 4L * i, Math.fma(alpha, x.get(F32, 4L * i), y.get(F32, 4L * i)));
    }
}
