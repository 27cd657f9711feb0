package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.Elements;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * GradScaler's fused finite check and unscale ({@code torch._amp_foreach_non_finite_check_and_unscale_}):
 * one pass over a gradient that multiplies every element by {@code invScale} (in float32 for the half types
 * and float32, in float64 for float64, as PyTorch's kernel computes in the op math type) and notes whether
 * any element was infinite or NaN. Modified: {@code grad}, and {@code foundInf} (one float32) set to 1 when
 * a non-finite element was seen; it is never cleared here.
 */
final class CpuGradUnscale {
    private CpuGradUnscale() {}

    private static final long GRAIN = 1 << 16;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    static void run(DType type, long n, MemorySegment grad, float invScale, MemorySegment foundInf) {
        if (!type.isFloatingPoint()) {
            throw new IllegalArgumentException("unscale: gradients must be floating point, got " + type);
        }
        if (grad.byteSize() < n * type.byteSize() || foundInf.byteSize() < 4) {
            throw new IndexOutOfBoundsException("unscale: a gradient of " + n + " " + type + " elements needs "
                    + n * type.byteSize() + " bytes, got " + grad.byteSize() + "; foundInf needs 4 bytes, got " + foundInf.byteSize());
        }
        boolean[] nonFinite = new boolean[1];
        Parallel.forRange(n, GRAIN, (from, to) -> {
            if (!range(type, grad, invScale, from, to)) nonFinite[0] = true; // benign race: only ever set to true
        });
        if (nonFinite[0]) foundInf.set(F32, 0, 1f);
    }

    /** Elements {@code [from, to)}; false when one of them was not finite. */
    private static boolean range(DType type, MemorySegment g, float invScale, long from, long to) {
        boolean finite = true;
        switch (type) {
            case FLOAT32 -> {
                for (long i = from; i < to; i++) {
                    float v = g.getAtIndex(F32, i);
                    finite &= Float.isFinite(v);
                    g.setAtIndex(F32, i, v * invScale);
                }
            }
            case FLOAT64 -> {
                for (long i = from; i < to; i++) {
                    double v = g.getAtIndex(F64, i);
                    finite &= Double.isFinite(v);
                    g.setAtIndex(F64, i, v * (double) invScale);
                }
            }
            case FLOAT16 -> {
                for (long i = from; i < to; i++) {
                    float v = Float.float16ToFloat(g.getAtIndex(I16, i));
                    finite &= Float.isFinite(v);
                    g.setAtIndex(I16, i, Float.floatToFloat16(v * invScale));
                }
            }
            default -> { // BFLOAT16
                for (long i = from; i < to; i++) {
                    float v = Elements.fromBFloat16(g.getAtIndex(I16, i));
                    finite &= Float.isFinite(v);
                    g.setAtIndex(I16, i, Elements.toBFloat16(v * invScale));
                }
            }
        }
        return finite;
    }
}
