package dev.jtensor.backend.cpu;

import dev.jtensor.backend.cpu.simd.Simd;
import dev.jtensor.backend.cpu.simd.SimdFloatLoops;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The plain SGD step {@code y += alpha * x} ({@code torch.Tensor.add_(x, alpha=a)}, which PyTorch computes
 * as one fused multiply-add per element) over {@code n} contiguous elements, in jtensor's own loop:
 * {@link Math#fma} rounds once, so the result is the same bit for bit on every CPU, with or without the
 * Vector API (its {@code fma} lane operation is the same exactly rounded operation). BLAS {@code axpy}
 * is not used here: its rounding depends on the kernel OpenBLAS picks for the CPU, and optimizer steps
 * are promised bit for bit against PyTorch. Modified: {@code y}.
 */
public final class CpuUpdate {
    private CpuUpdate() {}

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /** Elements per parallel task (memory-bound: below this one thread is faster). */
    private static final long GRAIN = 1 << 16;
    /** Elements per staged chunk of the scalar path: two float[] of 16 KiB stay in L1. */
    private static final int CHUNK = 4096;

    /**
     * {@code y[i] = fma(alpha, x[i], y[i])} for float32 segments holding at least {@code n} elements, on
     * the intra-op pool for large {@code n} (each element is computed alone, so the split changes nothing).
     */
    public static void axpy(float alpha, MemorySegment x, MemorySegment y, int n) {
        checkLength(x, y, n, 4);
        Parallel.forRange(n, GRAIN, (from, to) -> {
            if (Simd.ENABLED) {
                SimdFloatLoops.fma(alpha, x.asSlice(4 * from), y.asSlice(4 * from), (int) (to - from));
            } else {
                stagedFma(alpha, x, y, (int) from, (int) to);
            }
        });
    }

    /**
     * The scalar twin, staged through two small arrays: C2 vectorises {@code Math.fma} over {@code float[]}
     * (FmaVF) but not over two memory segments it cannot prove disjoint (bench/UpdateBench: 6x faster).
     */
    static void stagedFma(float alpha, MemorySegment x, MemorySegment y, int from, int to) {
        float[] xs = new float[Math.min(CHUNK, to - from)], ys = new float[xs.length];
        for (int start = from; start < to; start += CHUNK) {
            int len = Math.min(CHUNK, to - start);
            MemorySegment.copy(x, F32, 4L * start, xs, 0, len);
            MemorySegment.copy(y, F32, 4L * start, ys, 0, len);
            for (int i = 0; i < len; i++) ys[i] = Math.fma(alpha, xs[i], ys[i]);
            MemorySegment.copy(ys, 0, y, F32, 4L * start, len);
        }
    }

    /** {@code y[i] = fma(alpha, x[i], y[i])} for float64 segments holding at least {@code n} elements. */
    public static void axpy(double alpha, MemorySegment x, MemorySegment y, int n) {
        checkLength(x, y, n, 8);
        for (int i = 0; i < n; i++) {
            long off = 8L * i;
            y.set(F64, off, Math.fma(alpha, x.get(F64, off), y.get(F64, off)));
        }
    }

    private static void checkLength(MemorySegment x, MemorySegment y, int n, int elementBytes) {
        long bytes = (long) n * elementBytes;
        if (n < 0 || x.byteSize() < bytes || y.byteSize() < bytes) {
            throw new IndexOutOfBoundsException("axpy over " + n + " elements of " + elementBytes + " bytes needs " + bytes
                    + " bytes; x has " + x.byteSize() + ", y has " + y.byteSize());
        }
    }
}
