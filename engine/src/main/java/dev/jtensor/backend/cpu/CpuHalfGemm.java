package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.Elements;
import dev.jtensor.backend.cpu.Blas.Transpose;
import dev.jtensor.backend.plan.MatmulPlan.Operand;
import dev.jtensor.backend.plan.MatmulPlan;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicLong;

/**
 * float16/bfloat16 matrix products converted blockwise: one block of {@code C} (rows {@code [i0, i1)},
 * columns {@code [j0, j1)} of one batch, see {@link CpuLinalg#gemm}) is computed in tiles of at most
 * {@value #TILE} x {@value #TILE}; for each tile, panels of {@code op(A)} ({@code TILE x TILE}) and
 * {@code op(B)} are converted to float32 in small scratch buffers, multiplied by {@code sgemm} with the
 * float32 tile of {@code C} accumulating over {@code k} ({@code beta = 1} after the first panel), and the
 * tile is rounded to the half type once at the end. So no float32 copy of a whole operand is ever made
 * (the scratch is {@code 3 * TILE^2} floats per block whatever the sizes), and every element of {@code C}
 * is a float32 sum of its {@code k} products rounded once, as the float32-copy path gives (only the order
 * of OpenBLAS's summation may differ).
 *
 * <p>Panels keep their stored orientation: a transposed operand's panel is converted transposed and passed
 * to {@code sgemm} with the same flag. Each panel row is one contiguous run converted by the native cast
 * kernel ({@link NativeKernels#cast}) or, where that does not apply (heap segments, native kernels off), by
 * the Java conversion of {@link Elements}. Conversions per multiply-add: {@code 1/TILE} from each operand.
 */
final class CpuHalfGemm {
    private CpuHalfGemm() {}

    /** Tile edge: 256 x 256 float32 panels (256 KiB each) stay in L2 and keep sgemm near its peak. */
    static final int TILE = 256;

    private static final AtomicLong LARGEST_SCRATCH = new AtomicLong();
    private static final AtomicLong BLOCKS = new AtomicLong();

    /** The largest scratch (bytes) one block has used since the JVM started (test hook). */
    static long largestScratchBytes() { return LARGEST_SCRATCH.get(); }

    /** Blocks run so far (test hook: shows the product took this path). */
    static long blocks() { return BLOCKS.get(); }

    /** {@code C[i0:i1, j0:j1] = alpha * op(A) @ op(B) + beta * C} for batch {@code bi}, all in {@code t}. */
    static void block(DType t, MatmulPlan p, int bi, int i0, int i1, int j0, int j1, int k, float alpha,
                      MemorySegment a, MemorySegment b, float beta, MemorySegment c) {
        int mt = Math.min(TILE, i1 - i0), nt = Math.min(TILE, j1 - j0), kt = Math.max(1, Math.min(TILE, k));
        long floats = (long) mt * kt + (long) kt * nt + (long) mt * nt;
        BLOCKS.incrementAndGet();
        LARGEST_SCRATCH.accumulateAndGet(floats * 4, Math::max);
        NativeMemory.Block scratch = NativeMemory.allocate(floats * 4, false);
        try {
            MemorySegment s = scratch.segment();
            MemorySegment pa = s.asSlice(0, (long) mt * kt * 4), pb = s.asSlice((long) mt * kt * 4, (long) kt * nt * 4);
            MemorySegment pc = s.asSlice(((long) mt * kt + (long) kt * nt) * 4, (long) mt * nt * 4);
            for (int r0 = i0; r0 < i1; r0 += TILE) {
                int rows = Math.min(TILE, i1 - r0);
                for (int c0 = j0; c0 < j1; c0 += TILE) {
                    int cols = Math.min(TILE, j1 - c0);
                    tile(t, p, bi, r0, rows, c0, cols, k, alpha, a, b, beta, c, pa, pb, pc);
                }
            }
        } finally {
            scratch.free();
        }
    }

    private static void tile(DType t, MatmulPlan p, int bi, int r0, int rows, int c0, int cols, int k, float alpha,
                             MemorySegment a, MemorySegment b, float beta, MemorySegment c,
                             MemorySegment pa, MemorySegment pb, MemorySegment pc) {
        Operand oa = p.a(), ob = p.b(), oc = p.c();
        long cOff = oc.offsets()[bi] + (long) r0 * oc.ld() + c0;
        if (beta != 0) for (int r = 0; r < rows; r++) toFloat(t, c, cOff + r * oc.ld(), pc, (long) r * cols, cols);
        if (k == 0) {
            for (long e = 0; e < (long) rows * cols; e++) pc.setAtIndex(ValueLayout.JAVA_FLOAT, e, beta == 0 ? 0f : beta * pc.getAtIndex(ValueLayout.JAVA_FLOAT, e));
        }
        for (int q0 = 0; q0 < k; q0 += TILE) {
            int depth = Math.min(TILE, k - q0);
            // op(A)[r0:r0+rows, q0:q0+depth]: stored rows x depth (ld depth) or, transposed, depth x rows (ld rows)
            long aOff = oa.offsets()[bi] + (oa.transposed() ? (long) q0 * oa.ld() + r0 : (long) r0 * oa.ld() + q0);
            long bOff = ob.offsets()[bi] + (ob.transposed() ? (long) c0 * ob.ld() + q0 : (long) q0 * ob.ld() + c0);
            int lda = oa.transposed() ? rows : depth, ldb = ob.transposed() ? depth : cols;
            panel(t, a, aOff, oa.ld(), oa.transposed() ? depth : rows, lda, pa);
            panel(t, b, bOff, ob.ld(), ob.transposed() ? cols : depth, ldb, pb);
            float be = q0 == 0 ? beta : 1f;
            Blas.sgemm(oa.transposed() ? Transpose.YES : Transpose.NO, ob.transposed() ? Transpose.YES : Transpose.NO,
                    rows, cols, depth, alpha, pa, 0, lda, pb, 0, ldb, be, pc, 0, cols);
        }
        for (int r = 0; r < rows; r++) fromFloat(t, pc, (long) r * cols, c, cOff + r * oc.ld(), cols);
    }

    /** {@code lines} stored runs of {@code length} elements, {@code ld} apart from {@code off}, to float32 rows of {@code dst}. */
    private static void panel(DType t, MemorySegment src, long off, long ld, int lines, int length, MemorySegment dst) {
        for (int r = 0; r < lines; r++) toFloat(t, src, off + r * ld, dst, (long) r * length, length);
    }

    private static void toFloat(DType t, MemorySegment src, long so, MemorySegment dst, long dof, int n) {
        if (NativeKernels.cast(src, t, so, dst, DType.FLOAT32, dof, n)) return;
        for (int e = 0; e < n; e++) {
            short bits = src.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, so + e);
            float v = t == DType.FLOAT16 ? Float.float16ToFloat(bits) : Elements.fromBFloat16(bits);
            dst.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, dof + e, v);
        }
    }

    private static void fromFloat(DType t, MemorySegment src, long so, MemorySegment dst, long dof, int n) {
        if (NativeKernels.cast(src, DType.FLOAT32, so, dst, t, dof, n)) return;
        for (int e = 0; e < n; e++) {
            float v = src.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, so + e);
            dst.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, dof + e, t == DType.FLOAT16 ? Float.floatToFloat16(v) : Elements.toBFloat16(v));
        }
    }
}
