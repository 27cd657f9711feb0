package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.Elements;
import dev.jtensor.backend.UnaryKernel;
import dev.jtensor.backend.plan.IterPlan;
import java.lang.foreign.MemorySegment;

/**
 * The CPU elementwise kernels: walk an {@link IterPlan} in spans along its innermost dim, split over the
 * intra-op pool when large, and hand each span to a typed fast loop ({@link CpuFloatLoops}) when every
 * operand has the compute dtype float32/float64, or to the scalar loop here otherwise (any dtype mix:
 * values are read as double for floating compute types and as long for integer ones, converted to the
 * compute type, computed by {@link ScalarMath}, and stored converted to the output type). The scalar
 * loops are also the oracle for the fast ones (STYLE G13).
 *
 * <p>Segments passed in must be held by the caller ({@code Storage.acquire}) for the call's duration.
 */
public final class CpuLoops {
    private CpuLoops() {}

    /** Elements per pool task: below this an op runs on the caller's thread (handing off costs microseconds). */
    public static final long GRAIN = 1 << 15;

    /** One span of {@code n} elements of the plan, starting at element offsets {@code off[k]} per operand. */
    @FunctionalInterface
    interface Span {
        void run(long[] off, long n);
    }

    /** Runs {@code body} over every span of the plan, in parallel chunks when large. */
    static void forEachSpan(IterPlan plan, Span body) {
        long n = plan.numel();
        if (n == 0) return;
        if (n < GRAIN) {
            walk(plan, 0, n, body);
        } else {
            Parallel.forRange(n, GRAIN, (from, to) -> walk(plan, from, to, body));
        }
    }

    /** Visits linear elements [from, to) of the plan as innermost-dim spans (an odometer over outer dims). */
    static void walk(IterPlan plan, long from, long to, Span body) {
        long[] shape = plan.shape();
        int rank = shape.length, ops = plan.operands();
        long[] idx = new long[rank];
        long[] off = new long[ops];
        long rest = from;
        for (int d = rank - 1; d >= 0; d--) {
            idx[d] = rest % shape[d];
            rest /= shape[d];
        }
        for (int k = 0; k < ops; k++) {
            long o = plan.offset(k);
            long[] st = plan.strides(k);
            for (int d = 0; d < rank; d++) o += idx[d] * st[d];
            off[k] = o;
        }
        int inner = rank - 1;
        for (long pos = from; pos < to; ) {
            long n = Math.min(Math.min(to - pos, shape[inner] - idx[inner]), 1 << 30); // spans fit an int loop
            body.run(off, n);
            pos += n;
            idx[inner] += n;
            for (int k = 0; k < ops; k++) off[k] += n * plan.strides(k)[inner];
            for (int d = inner; d > 0 && idx[d] == shape[d]; d--) { // carry into the outer dims
                idx[d] = 0;
                idx[d - 1]++;
                for (int k = 0; k < ops; k++) {
                    long[] st = plan.strides(k);
                    off[k] += st[d - 1] - shape[d] * st[d];
                }
            }
        }
    }

    // ---------------- binary ----------------

    /**
     * {@code out = a (k) b} over {@code plan} (operands: out, a, b), computing in {@code compute}.
     * {@code alpha} scales b for ADD/SUB.
     */
    public static void binary(BinaryKernel k, double alpha, DType compute, IterPlan plan,
                              MemorySegment out, DType outType, MemorySegment a, DType aType, MemorySegment b, DType bType) {
        if (plan.numel() == 0) return;
        int inner = plan.rank() - 1;
        long so = plan.strides(0)[inner], sa = plan.strides(1)[inner], sb = plan.strides(2)[inner];
        if (k == BinaryKernel.THRESHOLD_BACKWARD && outType == compute && aType == compute && bType == compute
                && KernelChoice.stridedBinaryInC(plan.shape()[inner]) && NativeElementwise.takesThresholdBackward(compute, out, a, b)) {
            // relu's backward: float32/float64 spans of at least KernelChoice.STRIDED_BINARY_MIN to C (threshold.c), any strides
            forEachSpan(plan, (off, n) -> {
                if (KernelChoice.stridedBinaryInC(n)) {
                    NativeElementwise.thresholdBackwardSpan(compute, out, off[0], so, a, off[1], sa, b, off[2], sb, n);
                } else {
                    CpuFloatLoops.binary(k, alpha, compute, out, off[0], so, a, off[1], sa, b, off[2], sb, (int) n);
                }
            });
            return;
        }
        if (CpuFloatLoops.handles(compute, outType, aType, bType)) {
            // rows of at least KernelChoice.BINARY_MIN unit-strided elements (b may be broadcast along them) go to C one by one
            boolean unit = so == 1 && sa == 1 && (sb == 1 || sb == 0);
            boolean inC = unit && KernelChoice.binaryInC(plan.shape()[inner]) && NativeKernels.takesBinary(k, compute, out, a, b);
            // other spans (a stride other than 1, or maximum/minimum) to the strided C loop: unit-strided
            // float32 add/sub stay with the contiguous loops, which round alpha * b in float32
            boolean inStrided = !inC && (!unit || k == BinaryKernel.MAXIMUM || k == BinaryKernel.MINIMUM)
                    && KernelChoice.stridedBinaryInC(plan.shape()[inner]) && NativeElementwise.takesStridedBinary(k, compute, out, a, b);
            forEachSpan(plan, (off, n) -> {
                if (inC && KernelChoice.binaryInC(n)) {
                    NativeKernels.binarySpan(k, alpha, compute, out, off[0], a, off[1], b, off[2], (int) sb, n);
                } else if (inStrided && KernelChoice.stridedBinaryInC(n)) {
                    NativeElementwise.binaryStridedSpan(k, alpha, compute, out, off[0], so, a, off[1], sa, b, off[2], sb, n);
                } else {
                    CpuFloatLoops.binary(k, alpha, compute, out, off[0], so, a, off[1], sa, b, off[2], sb, (int) n);
                }
            });
            return;
        }
        if (compute.isFloatingPoint() || k == BinaryKernel.LOGICAL_AND || k == BinaryKernel.LOGICAL_OR
                || k == BinaryKernel.LOGICAL_XOR) {
            forEachSpan(plan, (off, n) -> binaryDoubleSpan(k, alpha, compute, out, outType, off[0], so,
                    a, aType, off[1], sa, b, bType, off[2], sb, n));
        } else {
            if (alpha != Math.rint(alpha)) {
                throw new IllegalArgumentException("For integral input tensors, argument alpha must not be a floating point number.");
            }
            // int32/int64 add/sub/mul with every operand of the compute type: spans of at least KernelChoice.STRIDED_BINARY_MIN in C
            boolean inC = outType == compute && aType == compute && bType == compute
                    && KernelChoice.stridedBinaryInC(plan.shape()[inner]) && NativeElementwise.takesStridedBinary(k, compute, out, a, b);
            forEachSpan(plan, (off, n) -> {
                if (inC && KernelChoice.stridedBinaryInC(n)) {
                    NativeElementwise.binaryStridedSpan(k, alpha, compute, out, off[0], so, a, off[1], sa, b, off[2], sb, n);
                } else {
                    binaryLongSpan(k, (long) alpha, out, outType, off[0], so, a, aType, off[1], sa, b, bType, off[2], sb, n);
                }
            });
        }
    }

    /**
     * The contiguous fast path without a plan (tiny ops): out and a flat, b flat ({@code bStride} 1) or one
     * broadcast element ({@code bStride} 0), all of one float dtype.
     */
    public static void binaryFlat(BinaryKernel k, double alpha, DType type, MemorySegment out, long outOffset,
                                  MemorySegment a, long aOffset, MemorySegment b, long bOffset, int bStride, long n) {
        if (KernelChoice.binaryInC(n) && NativeKernels.binary(k, alpha, type, out, outOffset, a, aOffset, b, bOffset, bStride, n)) {
            return;
        }
        if (k == BinaryKernel.THRESHOLD_BACKWARD && KernelChoice.stridedBinaryInC(n) && NativeElementwise.takesThresholdBackward(type, out, a, b)) {
            // relu's backward on contiguous operands (the usual case: the saved output and its gradient) to C too
            if (n < GRAIN) {
                NativeElementwise.thresholdBackwardSpan(type, out, outOffset, 1, a, aOffset, 1, b, bOffset, bStride, n);
            } else {
                Parallel.forRange(n, GRAIN, (from, to) -> NativeElementwise.thresholdBackwardSpan(type, out, outOffset + from, 1,
                        a, aOffset + from, 1, b, bOffset + from * bStride, bStride, to - from));
            }
            return;
        }
        if (n < GRAIN) {
            CpuFloatLoops.binary(k, alpha, type, out, outOffset, 1, a, aOffset, 1, b, bOffset, bStride, (int) n);
            return;
        }
        Parallel.forRange(n, GRAIN, (from, to) -> CpuFloatLoops.binary(k, alpha, type,
                out, outOffset + from, 1, a, aOffset + from, 1, b, bOffset + from * bStride, bStride, (int) (to - from)));
    }

    /** The contiguous unary fast path without a plan: out and x flat, of one float dtype. */
    public static void unaryFlat(UnaryKernel k, double p0, double p1, double p2, DType type, MemorySegment out, long outOffset,
                                 MemorySegment x, long xOffset, long n) {
        if (KernelChoice.unaryInC(k, n) && NativeElementwise.unary(k, p0, p1, type, out, outOffset, x, xOffset, n)) return;
        if (n < GRAIN) {
            CpuFloatLoops.unary(k, p0, p1, p2, type, out, outOffset, 1, x, xOffset, 1, (int) n);
            return;
        }
        Parallel.forRange(n, GRAIN, (from, to) -> CpuFloatLoops.unary(k, p0, p1, p2, type,
                out, outOffset + from, 1, x, xOffset + from, 1, (int) (to - from)));
    }

    private static void binaryDoubleSpan(BinaryKernel k, double alpha, DType compute, MemorySegment out, DType to, long oo, long so,
                                         MemorySegment a, DType ta, long ao, long sa, MemorySegment b, DType tb, long bo, long sb,
                                         long n) {
        long eo = to.byteSize(), ea = ta.byteSize(), eb = tb.byteSize();
        boolean predicate = k.isPredicate();
        for (long i = 0; i < n; i++) {
            double x = toCompute(compute, ta, Elements.getDouble(a, ta, (ao + i * sa) * ea));
            double y = toCompute(compute, tb, Elements.getDouble(b, tb, (bo + i * sb) * eb));
            double r = ScalarMath.binary(k, x, y, alpha);
            Elements.setDouble(out, to, (oo + i * so) * eo, predicate ? r : toCompute(compute, DType.FLOAT64, r));
        }
    }

    private static void binaryLongSpan(BinaryKernel k, long alpha, MemorySegment out, DType to, long oo, long so,
                                       MemorySegment a, DType ta, long ao, long sa, MemorySegment b, DType tb, long bo, long sb,
                                       long n) {
        long eo = to.byteSize(), ea = ta.byteSize(), eb = tb.byteSize();
        for (long i = 0; i < n; i++) {
            long x = Elements.getLong(a, ta, (ao + i * sa) * ea);
            long y = Elements.getLong(b, tb, (bo + i * sb) * eb);
            Elements.setLong(out, to, (oo + i * so) * eo, ScalarMath.binaryLong(k, x, y, alpha));
        }
    }

    /**
     * A value converted to the compute type {@code compute} (from {@code from}): float32, float16 and
     * bfloat16 compute round to float32 (PyTorch computes half types in float and rounds on store).
     */
    static double toCompute(DType compute, DType from, double v) {
        if (compute == from || compute == DType.FLOAT64) return v;
        return switch (compute) {
            case FLOAT32, FLOAT16, BFLOAT16 -> roundTo(compute, v);
            case FLOAT64, INT8, UINT8, INT16, INT32, INT64, BOOL -> v;
        };
    }

    private static double roundTo(DType t, double v) {
        return switch (t) {
            case FLOAT16 -> Float.float16ToFloat(Float.floatToFloat16((float) v));
            case BFLOAT16 -> Elements.fromBFloat16(Elements.toBFloat16((float) v));
            case FLOAT32, FLOAT64, INT8, UINT8, INT16, INT32, INT64, BOOL -> (float) v;
        };
    }

    // ---------------- unary ----------------

    /** {@code out = k(x)} over {@code plan} (operands: out, x), computing in {@code compute}; p0..p2 as the kernel says. */
    public static void unary(UnaryKernel k, double p0, double p1, double p2, DType compute, IterPlan plan,
                             MemorySegment out, DType outType, MemorySegment x, DType xType) {
        if (plan.numel() == 0) return;
        int inner = plan.rank() - 1;
        long so = plan.strides(0)[inner], sx = plan.strides(1)[inner];
        if (CpuFloatLoops.handles(compute, outType, xType, xType)) {
            long min = KernelChoice.unaryMin(k); // spans of at least min elements, any strides, go to C
            boolean inC = plan.shape()[inner] >= min && NativeElementwise.takesUnary(k, compute, out, x);
            forEachSpan(plan, (off, n) -> {
                if (inC && n >= min) NativeElementwise.unarySpan(k, p0, p1, compute, out, off[0], so, x, off[1], sx, n);
                else CpuFloatLoops.unary(k, p0, p1, p2, compute, out, off[0], so, x, off[1], sx, (int) n);
            });
            return;
        }
        long eo = outType.byteSize(), ex = xType.byteSize();
        boolean floating = compute.isFloatingPoint() || k == UnaryKernel.LOGICAL_NOT;
        boolean predicate = k.isPredicate();
        forEachSpan(plan, (off, n) -> {
            long oo = off[0], xo = off[1];
            for (long i = 0; i < n; i++) {
                long at = (oo + i * so) * eo, from = (xo + i * sx) * ex;
                if (floating) {
                    double v = ScalarMath.unary(k, toCompute(compute, xType, Elements.getDouble(x, xType, from)), p0, p1, p2);
                    Elements.setDouble(out, outType, at, predicate ? v : toCompute(compute, DType.FLOAT64, v));
                } else {
                    Elements.setLong(out, outType, at, ScalarMath.unaryLong(k, Elements.getLong(x, xType, from), p0, p1));
                }
            }
        });
    }

    // ---------------- where ----------------

    /** {@code out = cond ? a : b} over {@code plan} (operands: out, cond, a, b); a and b are converted to out's type. */
    public static void where(IterPlan plan, MemorySegment out, DType outType, MemorySegment cond, DType condType,
                             MemorySegment a, DType aType, MemorySegment b, DType bType) {
        if (plan.numel() == 0) return;
        int inner = plan.rank() - 1;
        long so = plan.strides(0)[inner], sc = plan.strides(1)[inner], sa = plan.strides(2)[inner], sb = plan.strides(3)[inner];
        long eo = outType.byteSize(), ec = condType.byteSize(), ea = aType.byteSize(), eb = bType.byteSize();
        boolean exactInts = !outType.isFloatingPoint();
        forEachSpan(plan, (off, n) -> {
            for (long i = 0; i < n; i++) {
                boolean c = Elements.getLong(cond, condType, (off[1] + i * sc) * ec) != 0;
                long at = (off[0] + i * so) * eo;
                if (exactInts) {
                    Elements.setLong(out, outType, at, c ? Elements.getLong(a, aType, (off[2] + i * sa) * ea)
                            : Elements.getLong(b, bType, (off[3] + i * sb) * eb));
                } else {
                    Elements.setDouble(out, outType, at, c ? Elements.getDouble(a, aType, (off[2] + i * sa) * ea)
                            : Elements.getDouble(b, bType, (off[3] + i * sb) * eb));
                }
            }
        });
    }
}
