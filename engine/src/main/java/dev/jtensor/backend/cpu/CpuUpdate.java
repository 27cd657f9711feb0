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

    /** {@code y[i] = fma(alpha, x[i], y[i])} for float32 segments holding at least {@code n} elements. */
    public static void axpy(float alpha, MemorySegment x, MemorySegment y, int n) {
        checkLength(x, y, n, 4);
        if (Simd.ENABLED) {
            SimdFloatLoops.fma(alpha, x, y, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            long off = 4L * i;
            y.set(F32, off, Math.fma(alpha, x.get(F32, off), y.get(F32, off)));
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
