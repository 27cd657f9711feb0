package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.UnaryKernel;
import dev.jtensor.bindings.cpukernels.jtensor_cpu_h;
import java.lang.foreign.MemorySegment;

/**
 * The elementwise part of the {@link NativeKernels} facade: the unary kernels ({@code native/cpu/unary.c}) and
 * the binary kernels over strided spans ({@code jt_cpu_binary_strided_*} in {@code binary.c}), under the same
 * rules (every range checked before the downcall, heap segments declined, the library's state and thresholds
 * from {@link NativeKernels}). Called by {@link CpuLoops} per span of a plan, and for contiguous unary ops.
 */
final class NativeElementwise {
    private NativeElementwise() {}

    /**
     * The range check of a strided operand: elements {@code offset + i * stride} for i in [0, count) (stride any
     * sign, 0 = one element) must lie in {@code s}. Returns the segment from element i = 0 on, which C indexes
     * with the stride (below its start for a negative stride: still inside {@code s}, as checked here).
     *
     * @throws IndexOutOfBoundsException naming the operand, the elements and the segment's size
     */
    static MemorySegment strided(String kernel, String operand, MemorySegment s, long offset, long stride, long count,
                                 int elementBytes) {
        if (count <= 0) return NativeKernels.range(kernel, operand, s, offset, 0, elementBytes);
        long lo, hi;
        try {
            long span = Math.multiplyExact(count - 1, stride);
            lo = Math.addExact(offset, Math.min(0, span));
            hi = Math.addExact(offset, Math.max(0, span));
        } catch (ArithmeticException e) { // beyond any segment
            lo = offset;
            hi = Long.MAX_VALUE;
        }
        if (lo < 0 || hi >= s.byteSize() / elementBytes) {
            throw new IndexOutOfBoundsException(kernel + ": operand " + operand + " needs " + count + " elements from "
                    + offset + " with stride " + stride + " (elements [" + lo + ", " + hi + "] of " + elementBytes
                    + " bytes), but its segment holds " + s.byteSize() + " bytes");
        }
        return s.asSlice(offset * elementBytes);
    }

    private static int unaryOp(UnaryKernel k) {
        return switch (k) {
            case NEG -> jtensor_cpu_h.JT_CPU_NEG();
            case ABS -> jtensor_cpu_h.JT_CPU_ABS();
            case SQUARE -> jtensor_cpu_h.JT_CPU_SQUARE();
            case RELU -> jtensor_cpu_h.JT_CPU_RELU();
            case SQRT -> jtensor_cpu_h.JT_CPU_SQRT();
            case RSQRT -> jtensor_cpu_h.JT_CPU_RSQRT();
            case RECIPROCAL -> jtensor_cpu_h.JT_CPU_RECIPROCAL();
            case FLOOR -> jtensor_cpu_h.JT_CPU_FLOOR();
            case CEIL -> jtensor_cpu_h.JT_CPU_CEIL();
            case TRUNC -> jtensor_cpu_h.JT_CPU_TRUNC();
            case ROUND -> jtensor_cpu_h.JT_CPU_ROUND();
            case CLAMP -> jtensor_cpu_h.JT_CPU_CLAMP();
            case EXP -> jtensor_cpu_h.JT_CPU_EXP();
            case LOG -> jtensor_cpu_h.JT_CPU_LOG();
            case SIGMOID -> jtensor_cpu_h.JT_CPU_SIGMOID();
            case TANH -> jtensor_cpu_h.JT_CPU_TANH();
            case SILU -> jtensor_cpu_h.JT_CPU_SILU();
            case ERF -> jtensor_cpu_h.JT_CPU_ERF();
            case GELU -> jtensor_cpu_h.JT_CPU_GELU();
            default -> -1;
        };
    }

    /** True when {@link #unarySpan} and {@link #unary} take kernel {@code k} on float32/float64 operands. */
    static boolean takesUnary(UnaryKernel k, DType type, MemorySegment out, MemorySegment x) {
        return NativeKernels.ENABLED && unaryOp(k) >= 0 && (type == DType.FLOAT32 || type == DType.FLOAT64) && NativeKernels.allNative(out, x, null);
    }

    /**
     * {@code out = k(x)} (p0, p1 the clamp bounds) over {@code n} contiguous elements on the intra-op pool;
     * false (nothing done) when not taken.
     */
    static boolean unary(UnaryKernel k, double p0, double p1, DType type, MemorySegment out, long outOffset,
                         MemorySegment x, long xOffset, long n) {
        if (!takesUnary(k, type, out, x)) return false;
        int es = (int) type.byteSize(), op = unaryOp(k);
        String name = type == DType.FLOAT32 ? "jt_cpu_unary_f32" : "jt_cpu_unary_f64";
        MemorySegment o = NativeKernels.range(name, "out", out, outOffset, n, es), v = NativeKernels.range(name, "x", x, xOffset, n, es);
        if (type == DType.FLOAT32) {
            Parallel.forRange(n, NativeKernels.GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_unary_f32(op, p0, p1, o, 1, v, 1, from, to - from));
        } else {
            Parallel.forRange(n, NativeKernels.GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_unary_f64(op, p0, p1, o, 1, v, 1, from, to - from));
        }
        return true;
    }

    /** One strided span of a planned unary op, on the caller's thread, for operands {@link #takesUnary} accepted. */
    static void unarySpan(UnaryKernel k, double p0, double p1, DType type, MemorySegment out, long outOffset, long outStride,
                          MemorySegment x, long xOffset, long xStride, long n) {
        int es = (int) type.byteSize(), op = unaryOp(k);
        String name = type == DType.FLOAT32 ? "jt_cpu_unary_f32" : "jt_cpu_unary_f64";
        MemorySegment o = strided(name, "out", out, outOffset, outStride, n, es);
        MemorySegment v = strided(name, "x", x, xOffset, xStride, n, es);
        if (type == DType.FLOAT32) jtensor_cpu_h.jt_cpu_unary_f32(op, p0, p1, o, outStride, v, xStride, 0, n);
        else jtensor_cpu_h.jt_cpu_unary_f64(op, p0, p1, o, outStride, v, xStride, 0, n);
    }

    private static int stridedBinaryOp(BinaryKernel k, DType type) {
        if (type == DType.INT32 || type == DType.INT64) {
            return switch (k) {
                case ADD, SUB, MUL -> NativeKernels.binaryOp(k);
                default -> -1;
            };
        }
        return switch (k) {
            case MAXIMUM -> jtensor_cpu_h.JT_CPU_MAXIMUM();
            case MINIMUM -> jtensor_cpu_h.JT_CPU_MINIMUM();
            default -> NativeKernels.binaryOp(k);
        };
    }

    /**
     * True when {@link #binaryStridedSpan} takes kernel {@code k} on operands all of {@code type}: float32/float64
     * ADD/SUB/MUL/DIV/MAXIMUM/MINIMUM, int32/int64 ADD/SUB/MUL.
     */
    static boolean takesStridedBinary(BinaryKernel k, DType type, MemorySegment out, MemorySegment a, MemorySegment b) {
        return NativeKernels.ENABLED && (type == DType.FLOAT32 || type == DType.FLOAT64 || type == DType.INT32 || type == DType.INT64)
                && stridedBinaryOp(k, type) >= 0 && NativeKernels.allNative(out, a, b);
    }

    /**
     * One span {@code out = a (k) b} with any element strides (0 = broadcast), on the caller's thread, bit for
     * bit CpuFloatLoops' per-element loop (float32 add/sub in double, alpha unrounded) or the long loop of
     * CpuLoops (integers wrap; {@code alpha} integral, as the caller checked).
     */
    static void binaryStridedSpan(BinaryKernel k, double alpha, DType type, MemorySegment out, long outOffset, long outStride,
                                  MemorySegment a, long aOffset, long aStride, MemorySegment b, long bOffset, long bStride, long n) {
        int es = (int) type.byteSize(), op = stridedBinaryOp(k, type);
        String name = switch (type) {
            case FLOAT32 -> "jt_cpu_binary_strided_f32";
            case FLOAT64 -> "jt_cpu_binary_strided_f64";
            case INT32 -> "jt_cpu_binary_strided_i32";
            default -> "jt_cpu_binary_strided_i64";
        };
        MemorySegment o = strided(name, "out", out, outOffset, outStride, n, es);
        MemorySegment x = strided(name, "a", a, aOffset, aStride, n, es), y = strided(name, "b", b, bOffset, bStride, n, es);
        switch (type) {
            case FLOAT32 -> jtensor_cpu_h.jt_cpu_binary_strided_f32(op, alpha, o, outStride, x, aStride, y, bStride, 0, n);
            case FLOAT64 -> jtensor_cpu_h.jt_cpu_binary_strided_f64(op, alpha, o, outStride, x, aStride, y, bStride, 0, n);
            case INT32 -> jtensor_cpu_h.jt_cpu_binary_strided_i32(op, (int) (long) alpha, o, outStride, x, aStride, y, bStride, 0, n);
            default -> jtensor_cpu_h.jt_cpu_binary_strided_i64(op, (long) alpha, o, outStride, x, aStride, y, bStride, 0, n);
        }
    }
    /**
     * True when {@link #thresholdBackwardSpan} takes relu's backward ({@code threshold_backward}) on operands all of
     * {@code type}, float32 or float64.
     */
    static boolean takesThresholdBackward(DType type, MemorySegment out, MemorySegment g, MemorySegment y) {
        return NativeKernels.ENABLED && (type == DType.FLOAT32 || type == DType.FLOAT64) && NativeKernels.allNative(out, g, y);
    }

    /**
     * One span of relu's backward {@code out = y <= 0 ? 0 : g} ({@code jt_cpu_threshold_backward_*} in
     * {@code threshold.c}) with any element strides (0 = broadcast), on the caller's thread; bit for bit
     * CpuFloatLoops' loop and ScalarMath's formula (a NaN y passes g, the zeros are +0.0).
     */
    static void thresholdBackwardSpan(DType type, MemorySegment out, long outOffset, long outStride,
                                      MemorySegment g, long gOffset, long gStride, MemorySegment y, long yOffset, long yStride, long n) {
        int es = (int) type.byteSize();
        String name = type == DType.FLOAT32 ? "jt_cpu_threshold_backward_f32" : "jt_cpu_threshold_backward_f64";
        MemorySegment o = strided(name, "out", out, outOffset, outStride, n, es);
        MemorySegment a = strided(name, "g", g, gOffset, gStride, n, es), b = strided(name, "y", y, yOffset, yStride, n, es);
        if (type == DType.FLOAT32) jtensor_cpu_h.jt_cpu_threshold_backward_f32(o, outStride, a, gStride, b, yStride, 0, n);
        else jtensor_cpu_h.jt_cpu_threshold_backward_f64(o, outStride, a, gStride, b, yStride, 0, n);
    }
}
