package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.UnaryKernel;
import dev.jtensor.backend.cpu.simd.Simd;
import dev.jtensor.internal.Config;

/**
 * Which CPU kernel runs: the one table of the size thresholds from which the C kernels ({@link NativeKernels},
 * {@code libjtensor_cpu.so}) are tried, and one chooser per verb. Each verb runs, in this order:
 * <ol>
 *   <li>its C kernel, where the chooser here says yes and the C facade takes the operands (the library is
 *       loaded, the dtype is one it has, every segment is native: heap blocks of at most
 *       {@code CpuBackend.HEAP_MAX_BYTES} never reach C);</li>
 *   <li>otherwise its Java loop, which runs the Vector API form where {@link Simd#ENABLED} (float32 add and mul of
 *       contiguous spans, axpy, sums, contiguous softmax rows) and the scalar loop elsewhere.</li>
 * </ol>
 * Below a threshold a downcall plus its range checks cost more than the Java loop saves.
 * {@code -Djtensor.native.minElements=N} sets every threshold (tests use 0); {@code -Djtensor.native=false} and
 * {@code -Djtensor.simd=false} switch the C and Vector API forms off.
 *
 * <p>Crossovers measured by NativeKernelsBench (bench/RESULTS.md "Native CPU kernels",
 * bench/results/native-cpu-kernels-elementwise-jmh.txt; default JVM flags, 2 cores; microseconds, C vs Java):
 * every verb but the cast is ahead from the smallest native block (256 float32 = 1 KiB lives on the heap and
 * never reaches C): add 512: 0.15 vs 0.26, SGD step 512: 0.11 vs 0.55, softmax 512: 1.5 vs 6.1; sum ties at 512
 * (0.41 vs 0.37) and wins at 2048 (0.29 vs 0.71); a cast ties up to 2048 and wins at 8192 (4.5 vs 5.6); relu 512:
 * 0.20 vs 0.35, 2048: 0.44 vs 1.15; exp 512: 1.3 vs 6.1; add with a stride-2 operand 2 x 512: 3.5 vs 8.4,
 * 2 x 2048: 5.0 vs 32; int32 add 512: 0.9 vs 11; gelu 512: 14 vs 26.
 */
final class KernelChoice {
    private KernelChoice() {}

    private static final long OVERRIDE = Config.longValue("jtensor.native.minElements", -1, 0);

    /** add/sub/mul/div of contiguous float spans: C2 leaves loops over several native segments scalar; the C loop is vectorised. */
    static final long BINARY_MIN = threshold(512);
    /** Binary spans with a non-unit stride, maximum/minimum, and int32/int64 add/sub/mul. */
    static final long STRIDED_BINARY_MIN = threshold(512);
    /** Unary kernels with one IEEE operation (neg, abs, relu, sqrt, floor, clamp, ...) per span. */
    static final long UNARY_MIN = threshold(512);
    /** exp, log, tanh, sigmoid, silu, erf, gelu per span: Java's Math versions are scalar calls. */
    static final long UNARY_MATH_MIN = threshold(512);
    /** One contiguous run summed (and the elements of a column sum, outputs x reduced). */
    static final long SUM_MIN = threshold(2048);
    /** Elements of a whole softmax (rows x length): the C exponential is vectorised, Java's is not. */
    static final long SOFTMAX_MIN = threshold(512);
    /** Parameter elements of one optimizer step. */
    static final long STEP_MIN = threshold(512);
    /** Elements of one contiguous cast span. */
    static final long CAST_MIN = threshold(4096);

    static long threshold(long measured) { return OVERRIDE >= 0 ? OVERRIDE : measured; }

    /** The span length from which C takes unary kernel {@code k}. */
    static long unaryMin(UnaryKernel k) {
        return switch (k) {
            case EXP, LOG, SIGMOID, TANH, SILU, ERF, GELU -> UNARY_MATH_MIN;
            default -> UNARY_MIN;
        };
    }

    /** unary: C for spans of at least {@link #unaryMin} elements. */
    static boolean unaryInC(UnaryKernel k, long span) { return span >= unaryMin(k); }

    /** binary over unit-strided float spans (and binaryFlat): C from {@link #BINARY_MIN} elements. */
    static boolean binaryInC(long span) { return span >= BINARY_MIN; }

    /** binary with strided operands, maximum/minimum, integer add/sub/mul: C from {@link #STRIDED_BINARY_MIN}. */
    static boolean stridedBinaryInC(long span) { return span >= STRIDED_BINARY_MIN; }

    /** sum of a contiguous run or of columns: C from {@link #SUM_MIN} elements (the same blocks, so the same bits). */
    static boolean sumInC(long elements) { return elements >= SUM_MIN; }

    /** softmax and log_softmax: C for float32 from {@link #SOFTMAX_MIN} elements in all. */
    static boolean softmaxInC(DType t, long elements) { return t == DType.FLOAT32 && elements >= SOFTMAX_MIN; }

    /** A fused optimizer step: C from {@link #STEP_MIN} parameter elements. */
    static boolean stepInC(long n) { return n >= STEP_MIN; }

    /** A contiguous cast span: C from {@link #CAST_MIN} elements. */
    static boolean castInC(long span) { return span >= CAST_MIN; }
}
