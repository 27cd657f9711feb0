package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.Elements;
import dev.jtensor.backend.cpu.Blas.Transpose;
import dev.jtensor.backend.plan.MatmulPlan.Operand;
import dev.jtensor.backend.plan.MatmulPlan;
import java.lang.foreign.MemorySegment;

/**
 * The matrix-product kernel: {@code C[i] = alpha * op(A[i]) @ op(B[i]) + beta * C[i]} for every batch
 * {@code i} of a {@link MatmulPlan}, on memory segments. float32 and float64 go to OpenBLAS through
 * {@link Blas} (gemm; gemv when {@code m} or {@code n} is 1, which OpenBLAS runs faster); integer types
 * run a plain Java loop accumulating in {@code long} (PyTorch's integer matmul wraps the same way);
 * float16/bfloat16 are converted blockwise to float32 panels around sgemm ({@link CpuHalfGemm}, float32
 * accumulation, no full float32 copy of an operand). Bool never reaches here: the op layer rejects it.
 *
 * <p>{@code beta = 0} overwrites {@code C} without reading it. Modified: {@code c}. Not modified:
 * {@code a}, {@code b}, which must not overlap {@code c}.
 */
public final class CpuLinalg {
    private CpuLinalg() {}

    /**
     * Multiply-adds below which a product is not split: waking a parked worker costs about as much
     * as this many (MatmulBench / ServiceThroughputBench, 2 cores).
     */
    static final long SPLIT_WORK = 1L << 20;

    /** Runs the plan in {@code dtype}; {@code alpha}/{@code beta} are converted to it (truncated for integers). */
    public static void gemm(DType dtype, MatmulPlan plan, double alpha, MemorySegment a, MemorySegment b,
                            double beta, MemorySegment c) {
        if (plan.m() == 0 || plan.n() == 0 || plan.batch() == 0) return;
        int m = blasInt(plan.m(), "m"), n = blasInt(plan.n(), "n"), k = blasInt(plan.k(), "k");
        switch (dtype) {
            case FLOAT32, FLOAT64 -> split(plan, m, n, k, (i, i0, i1, j0, j1) -> {
                if (dtype == DType.FLOAT32) gemmF32(plan, i, i0, i1, j0, j1, k, (float) alpha, a, b, (float) beta, c);
                else gemmF64(plan, i, i0, i1, j0, j1, k, alpha, a, b, beta, c);
            });
            case INT8, UINT8, INT16, INT32, INT64 -> gemmIntegers(dtype, plan, (long) alpha, a, b, (long) beta, c);
            case FLOAT16, BFLOAT16 -> split(plan, m, n, k, (i, i0, i1, j0, j1) ->
                    CpuHalfGemm.block(dtype, plan, i, i0, i1, j0, j1, k, (float) alpha, a, b, (float) beta, c));
            case BOOL -> throw new UnsupportedOperationException(
                    "CpuLinalg.gemm: no kernel for " + dtype + " (the op layer rejects it)");
        }
    }

    /** Rows {@code [i0, i1)} and columns {@code [j0, j1)} of batch {@code i}'s {@code C}. */
    @FunctionalInterface
    private interface Block {
        void run(int i, int i0, int i1, int j0, int j1);
    }

    /**
     * Splits the product over the intra-op pool (OpenBLAS itself runs single-threaded per call, see
     * {@code Parallel}): whole batches when there are enough of them, else column (or row) blocks of
     * each product, never below {@link #SPLIT_WORK} multiply-adds a block. Every element of {@code C} is
     * one BLAS dot product over the whole of {@code k} whichever block holds it.
     */
    private static void split(MatmulPlan plan, int m, int n, int k, Block block) {
        int batch = plan.batch();
        long work = (long) m * n * Math.max(k, 1);
        if (batch > 1 && batch >= Parallel.numThreads()) {
            Parallel.forRange(batch, Math.max(1, SPLIT_WORK / work), (from, to) -> {
                for (int i = (int) from; i < to; i++) block.run(i, 0, m, 0, n);
            });
        } else if (n >= m) {
            long perColumn = (long) m * Math.max(k, 1);
            for (int i = 0; i < batch; i++) {
                int bi = i;
                Parallel.forRange(n, Math.max(16, SPLIT_WORK / perColumn), (j0, j1) -> block.run(bi, 0, m, (int) j0, (int) j1));
            }
        } else {
            long perRow = (long) n * Math.max(k, 1);
            for (int i = 0; i < batch; i++) {
                int bi = i;
                Parallel.forRange(m, Math.max(16, SPLIT_WORK / perRow), (i0, i1) -> block.run(bi, (int) i0, (int) i1, 0, n));
            }
        }
    }

    private static int blasInt(long v, String name) {
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("matmul: " + name + " = " + v + " exceeds BLAS's 32-bit size limit");
        }
        return (int) v;
    }

    private static Transpose flag(Operand o) { return o.transposed() ? Transpose.YES : Transpose.NO; }

    // A column of a k x 1 operand B, as a vector: stored k x 1 (step ld) or, transposed, 1 x k (step 1).
    private static long columnStep(Operand o) { return o.transposed() ? 1 : o.ld(); }

    // A row of a 1 x k operand A, as a vector: stored 1 x k (step 1) or, transposed, k x 1 (step ld).
    private static long rowStep(Operand o) { return o.transposed() ? o.ld() : 1; }

    // Offsets of row i0 of op(A), column j0 of op(B), element (i0, j0) of C in batch i.
    private static long aAt(Operand o, int i, int i0) { return o.offsets()[i] + (o.transposed() ? i0 : i0 * o.ld()); }

    private static long bAt(Operand o, int i, int j0) { return o.offsets()[i] + (o.transposed() ? j0 * o.ld() : j0); }

    private static long cAt(Operand o, int i, int i0, int j0) { return o.offsets()[i] + i0 * o.ld() + j0; }

    private static void gemmF32(MatmulPlan p, int i, int i0, int i1, int j0, int j1, int k, float alpha, MemorySegment a,
                                MemorySegment b, float beta, MemorySegment c) {
        Operand oa = p.a(), ob = p.b(), oc = p.c();
        int m = i1 - i0, n = j1 - j0;
        long aOff = aAt(oa, i, i0), bOff = bAt(ob, i, j0), cOff = cAt(oc, i, i0, j0);
        if (n == 1) { // y(m) = op(A) x, x = B's column, y = C's column
            if (oa.transposed()) Blas.sgemv(Transpose.YES, k, m, alpha, a, aOff, oa.ld(), b, bOff, columnStep(ob), beta, c, cOff, oc.ld());
            else Blas.sgemv(Transpose.NO, m, k, alpha, a, aOff, oa.ld(), b, bOff, columnStep(ob), beta, c, cOff, oc.ld());
        } else if (m == 1) { // y(n) = op(B)^T x, x = A's row, y = C's row
            if (ob.transposed()) Blas.sgemv(Transpose.NO, n, k, alpha, b, bOff, ob.ld(), a, aOff, rowStep(oa), beta, c, cOff, 1);
            else Blas.sgemv(Transpose.YES, k, n, alpha, b, bOff, ob.ld(), a, aOff, rowStep(oa), beta, c, cOff, 1);
        } else {
            Blas.sgemm(flag(oa), flag(ob), m, n, k, alpha, a, aOff, oa.ld(), b, bOff, ob.ld(), beta, c, cOff, oc.ld());
        }
    }

    private static void gemmF64(MatmulPlan p, int i, int i0, int i1, int j0, int j1, int k, double alpha, MemorySegment a,
                                MemorySegment b, double beta, MemorySegment c) {
        Operand oa = p.a(), ob = p.b(), oc = p.c();
        int m = i1 - i0, n = j1 - j0;
        long aOff = aAt(oa, i, i0), bOff = bAt(ob, i, j0), cOff = cAt(oc, i, i0, j0);
        if (n == 1) {
            if (oa.transposed()) Blas.dgemv(Transpose.YES, k, m, alpha, a, aOff, oa.ld(), b, bOff, columnStep(ob), beta, c, cOff, oc.ld());
            else Blas.dgemv(Transpose.NO, m, k, alpha, a, aOff, oa.ld(), b, bOff, columnStep(ob), beta, c, cOff, oc.ld());
        } else if (m == 1) {
            if (ob.transposed()) Blas.dgemv(Transpose.NO, n, k, alpha, b, bOff, ob.ld(), a, aOff, rowStep(oa), beta, c, cOff, 1);
            else Blas.dgemv(Transpose.YES, k, n, alpha, b, bOff, ob.ld(), a, aOff, rowStep(oa), beta, c, cOff, 1);
        } else {
            Blas.dgemm(flag(oa), flag(ob), m, n, k, alpha, a, aOff, oa.ld(), b, bOff, ob.ld(), beta, c, cOff, oc.ld());
        }
    }

    /**
     * Integer product: {@code c = alpha * sum_p a[i,p] * b[p,j] + beta * c}, accumulated in long and
     * stored with wrap-around (as a C cast). Element {@code (i, p)} of a stored-transposed operand is at
     * {@code p * ld + i}, else at {@code i * ld + p}.
     */
    private static void gemmIntegers(DType t, MatmulPlan p, long alpha, MemorySegment a, MemorySegment b,
                                     long beta, MemorySegment c) {
        Operand oa = p.a(), ob = p.b(), oc = p.c();
        long es = t.byteSize();
        long aRow = oa.transposed() ? 1 : oa.ld(), aCol = oa.transposed() ? oa.ld() : 1;
        long bRow = ob.transposed() ? 1 : ob.ld(), bCol = ob.transposed() ? ob.ld() : 1;
        for (int batch = 0; batch < p.batch(); batch++) {
            long aOff = oa.offsets()[batch], bOff = ob.offsets()[batch], cOff = oc.offsets()[batch];
            for (long i = 0; i < p.m(); i++) {
                for (long j = 0; j < p.n(); j++) {
                    long sum = 0;
                    for (long q = 0; q < p.k(); q++) {
                        sum += Elements.getLong(a, t, (aOff + i * aRow + q * aCol) * es)
                                * Elements.getLong(b, t, (bOff + q * bRow + j * bCol) * es);
                    }
                    long at = (cOff + i * oc.ld() + j) * es;
                    long old = beta == 0 ? 0 : Elements.getLong(c, t, at);
                    Elements.setLong(c, t, at, alpha * sum + beta * old);
                }
            }
        }
    }
}
