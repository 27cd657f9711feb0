package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.UnaryKernel;
import dev.jtensor.backend.cpu.simd.Simd;
import dev.jtensor.backend.cpu.simd.SimdFloatLoops;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Typed span loops for operands that all have the compute type float32 or float64: plain counted
 * loops over {@code MemorySegment.get/set}, which C2 (JDK 25) unrolls and auto-vectorises for native
 * segments (measured in bench/ElementwiseBench: at or above the hand-written baseline loop). The common
 * arithmetic kernels have one loop per kernel and stride pattern (all unit, or one scalar-broadcast
 * operand); the rest call {@link ScalarMath} per element, still without boxing or dtype switches.
 *
 * <p>Heap segments (tiny tensors) take a separate scalar loop, so the vectorised loops' type profiles
 * see only native segments (one segment class per call site keeps them monomorphic).
 * Offsets and strides are in elements.
 */
final class CpuFloatLoops {
    private CpuFloatLoops() {}

    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;

    /** True when this class computes the op: every operand and the compute type are float32, or all float64. */
    static boolean handles(DType compute, DType out, DType a, DType b) {
        return (compute == DType.FLOAT32 || compute == DType.FLOAT64) && out == compute && a == compute && b == compute;
    }

    static void binary(BinaryKernel k, double alpha, DType type, MemorySegment o, long oo, long so,
                       MemorySegment a, long ao, long sa, MemorySegment b, long bo, long sb, int n) {
        if (type == DType.FLOAT32) {
            if (so == 1 && sa == 1 && sb == 1 && o.isNative() && a.isNative() && b.isNative()) {
                if (F32Contiguous.binary(k, (float) alpha, o, oo * 4, a, ao * 4, b, bo * 4, n)) return;
            } else if (so == 1 && sa == 1 && sb == 0 && o.isNative() && a.isNative()) {
                if (F32Contiguous.binaryScalar(k, (float) alpha, o, oo * 4, a, ao * 4, b.get(F, bo * 4), n)) return;
            }
            for (int i = 0; i < n; i++) {
                float x = a.get(F, (ao + i * sa) * 4), y = b.get(F, (bo + i * sb) * 4);
                o.set(F, (oo + i * so) * 4, (float) ScalarMath.binary(k, x, y, alpha));
            }
        } else {
            for (int i = 0; i < n; i++) {
                double x = a.get(D, (ao + i * sa) * 8), y = b.get(D, (bo + i * sb) * 8);
                o.set(D, (oo + i * so) * 8, ScalarMath.binary(k, x, y, alpha));
            }
        }
    }

    static void unary(UnaryKernel k, double p0, double p1, double p2, DType type, MemorySegment o, long oo, long so,
                      MemorySegment x, long xo, long sx, int n) {
        if (type == DType.FLOAT32) {
            if (so == 1 && sx == 1 && o.isNative() && x.isNative() && F32Contiguous.unary(k, o, oo * 4, x, xo * 4, n)) return;
            for (int i = 0; i < n; i++) {
                float v = x.get(F, (xo + i * sx) * 4);
                o.set(F, (oo + i * so) * 4, (float) ScalarMath.unary(k, v, p0, p1, p2));
            }
        } else {
            for (int i = 0; i < n; i++) {
                double v = x.get(D, (xo + i * sx) * 8);
                o.set(D, (oo + i * so) * 8, ScalarMath.unary(k, v, p0, p1, p2));
            }
        }
    }

    /** The vectorisable float32 loops: native segments, unit strides, byte offsets. */
    static final class F32Contiguous {
        private F32Contiguous() {}

        /** Returns false for kernels without a dedicated loop. */
        static boolean binary(BinaryKernel k, float alpha, MemorySegment o, long oo, MemorySegment a, long ao,
                              MemorySegment b, long bo, int n) {
            // Vector API loops: C2 leaves loops over several native segments scalar (bench/RESULTS.md, SimdBench)
            if (Simd.ENABLED && k == BinaryKernel.ADD) {
                SimdFloatLoops.add(o, oo, a, ao, b, bo, n, alpha);
                return true;
            }
            if (Simd.ENABLED && k == BinaryKernel.MUL) {
                SimdFloatLoops.mul(o, oo, a, ao, b, bo, n);
                return true;
            }
            // one loop per kernel: a loop with the kernel switch inside does not vectorise
            switch (k) {
                case ADD -> {
                    if (alpha == 1f) {
                        for (int i = 0; i < n; i++) o.set(F, oo + 4L * i, a.get(F, ao + 4L * i) + b.get(F, bo + 4L * i));
                    } else {
                        for (int i = 0; i < n; i++) o.set(F, oo + 4L * i, a.get(F, ao + 4L * i) + alpha * b.get(F, bo + 4L * i));
                    }
                }
                case SUB -> {
                    for (int i = 0; i < n; i++) o.set(F, oo + 4L * i, a.get(F, ao + 4L * i) - alpha * b.get(F, bo + 4L * i));
                }
                case MUL -> {
                    for (int i = 0; i < n; i++) o.set(F, oo + 4L * i, a.get(F, ao + 4L * i) * b.get(F, bo + 4L * i));
                }
                case DIV -> {
                    for (int i = 0; i < n; i++) o.set(F, oo + 4L * i, a.get(F, ao + 4L * i) / b.get(F, bo + 4L * i));
                }
                case MAXIMUM -> {
                    for (int i = 0; i < n; i++) o.set(F, oo + 4L * i, Math.max(a.get(F, ao + 4L * i), b.get(F, bo + 4L * i)));
                }
                case MINIMUM -> {
                    for (int i = 0; i < n; i++) o.set(F, oo + 4L * i, Math.min(a.get(F, ao + 4L * i), b.get(F, bo + 4L * i)));
                }
                case THRESHOLD_BACKWARD -> { // on the bits: a float compare-and-select loop did not vectorise (8x slower)
                    for (int i = 0; i < n; i++) o.set(I, oo + 4L * i, a.get(I, ao + 4L * i) & unlessAtMostZero(b.get(I, bo + 4L * i)));
                }
                default -> { return false; } // the other kernels take the per-element loop
            }
            return true;
        }

        /**
         * For the bits {@code v} of a float x: all ones unless {@code x <= 0} (so NaN, of either sign,
         * gives all ones), else zero. Positive floats are exactly the positive ints among the bits; NaNs
         * are those whose magnitude bits exceed infinity's.
         */
        static int unlessAtMostZero(int v) {
            return ((-v & ~v) | (0x7f800000 - (v & 0x7fffffff))) >> 31;
        }

        /** {@code o = a (k) y} with the right operand one broadcast scalar. */
        static boolean binaryScalar(BinaryKernel k, float alpha, MemorySegment o, long oo, MemorySegment a, long ao, float y, int n) {
            float v = switch (k) {
                case ADD -> alpha * y;
                case SUB -> -alpha * y;
                case MUL, DIV, MAXIMUM, MINIMUM -> y;
                default -> Float.NaN;
            };
            switch (k) {
                case ADD, SUB -> { for (int i = 0; i < n; i++) o.set(F, oo + 4L * i, a.get(F, ao + 4L * i) + v); }
                case MUL -> { for (int i = 0; i < n; i++) o.set(F, oo + 4L * i, a.get(F, ao + 4L * i) * v); }
                case DIV -> { for (int i = 0; i < n; i++) o.set(F, oo + 4L * i, a.get(F, ao + 4L * i) / v); }
                case MAXIMUM -> { for (int i = 0; i < n; i++) o.set(F, oo + 4L * i, Math.max(a.get(F, ao + 4L * i), v)); }
                case MINIMUM -> { for (int i = 0; i < n; i++) o.set(F, oo + 4L * i, Math.min(a.get(F, ao + 4L * i), v)); }
                default -> { return false; }
            }
            return true;
        }

        static boolean unary(UnaryKernel k, MemorySegment o, long oo, MemorySegment x, long xo, int n) {
            switch (k) {
                case NEG -> { for (int i = 0; i < n; i++) o.set(F, oo + 4L * i, -x.get(F, xo + 4L * i)); }
                case ABS -> { for (int i = 0; i < n; i++) o.set(F, oo + 4L * i, Math.abs(x.get(F, xo + 4L * i))); }
                case SQUARE -> {
                    for (int i = 0; i < n; i++) {
                        float v = x.get(F, xo + 4L * i);
                        o.set(F, oo + 4L * i, v * v);
                    }
                }
                case RELU -> {
                    for (int i = 0; i < n; i++) {
                        float v = x.get(F, xo + 4L * i);
                        o.set(F, oo + 4L * i, v <= 0f ? 0f : v);
                    }
                }
                case IDENTITY -> MemorySegment.copy(x, xo, o, oo, 4L * n);
                default -> { return false; }
            }
            return true;
        }
    }
}
