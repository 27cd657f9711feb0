package dev.jtensor.backend.plan;

import java.util.Arrays;

/**
 * A batched matrix product {@code C[b] = op(A[b]) @ op(B[b])} resolved into what BLAS takes: the
 * sizes {@code m, n, k}, and for each operand whether it is stored transposed, its leading dimension,
 * and the element offset of every batch's matrix. Pure: no memory is touched.
 *
 * <h2>When a strided matrix needs no copy</h2>
 * A {@code rows x cols} view with strides {@code (rowStride, colStride)} is a row-major BLAS matrix
 * ({@code transposed = false}, {@code ld = rowStride}) when {@code colStride == 1} and
 * {@code rowStride >= max(1, cols)}; it is the transpose of one ({@code transposed = true},
 * {@code ld = colStride}) when {@code rowStride == 1} and {@code colStride >= max(1, rows)}. A dim of
 * size 1 may have any stride. Anything else (a step slice in the unit dim, an expanded stride 0,
 * overlapping rows) must be copied to contiguous memory first: {@link #matrixForm} returns null.
 *
 * <h2>Batch dims</h2>
 * Batch dims are walked in row-major order; their strides only move the offsets, so an expanded
 * (stride 0) batch dim shares one matrix without a copy. When every batch of {@code B} is the same
 * matrix and the rows of all of {@code A}'s batches are equally spaced (as in a contiguous
 * {@code [batch, m, k] @ [k, n]}), the batches fold into one product with {@code m' = batch * m},
 * as PyTorch's matmul folds them.
 */
public final class MatmulPlan {
    /** How one operand reaches BLAS; {@code offsets[i]} is the first element of batch {@code i}'s matrix. */
    public record Operand(boolean transposed, long ld, long[] offsets) {}

    /** Stored-transposed flag and leading dim of one matrix. */
    public record MatrixForm(boolean transposed, long ld) {}

    private final long m, n, k;
    private final Operand a, b, c;

    private MatmulPlan(long m, long n, long k, Operand a, Operand b, Operand c) {
        this.m = m;
        this.n = n;
        this.k = k;
        this.a = a;
        this.b = b;
        this.c = c;
    }

    /** Rows of {@code op(A)} and of {@code C}. */
    public long m() { return m; }

    /** Columns of {@code op(B)} and of {@code C}. */
    public long n() { return n; }

    /** Columns of {@code op(A)}, rows of {@code op(B)}: the length of each dot product. */
    public long k() { return k; }

    /** Number of products (1 after folding). */
    public int batch() { return c.offsets.length; }

    public Operand a() { return a; }

    public Operand b() { return b; }

    public Operand c() { return c; }

    /**
     * The BLAS form of a {@code rows x cols} matrix with the given strides, or null if it must be copied.
     */
    public static MatrixForm matrixForm(long rows, long cols, long rowStride, long colStride) {
        long ldRowMajor = rows <= 1 ? Math.max(1, cols) : rowStride;
        if ((cols <= 1 || colStride == 1) && ldRowMajor >= Math.max(1, cols) && ldRowMajor <= Integer.MAX_VALUE) {
            return new MatrixForm(false, ldRowMajor);
        }
        long ldTransposed = cols <= 1 ? Math.max(1, rows) : colStride;
        if ((rows <= 1 || rowStride == 1) && ldTransposed >= Math.max(1, rows) && ldTransposed <= Integer.MAX_VALUE) {
            return new MatrixForm(true, ldTransposed);
        }
        return null;
    }

    /** True if the last two dims of {@code l} (rank &gt;= 2) can be passed to BLAS without a copy. */
    public static boolean isBlasMatrix(Layout l) {
        int r = l.rank();
        return matrixForm(l.size(r - 2), l.size(r - 1), l.stride(r - 2), l.stride(r - 1)) != null;
    }

    /**
     * The plan for {@code c = a @ b} over layouts {@code a [..., m, k]}, {@code b [..., k, n]} and
     * {@code c [..., m, n]} with identical batch dims (already broadcast). Each must satisfy
     * {@link #isBlasMatrix}, and {@code c} must be row-major ({@code transposed = false}).
     *
     * @throws IllegalArgumentException if a layout breaks these preconditions (a bug in the caller)
     */
    public static MatmulPlan of(Layout a, Layout b, Layout c) {
        int r = c.rank();
        if (a.rank() != r || b.rank() != r || r < 2) {
            throw new IllegalArgumentException("MatmulPlan: ranks differ: " + a + ", " + b + ", " + c);
        }
        long m = a.size(r - 2), k = a.size(r - 1), n = b.size(r - 1);
        if (b.size(r - 2) != k || c.size(r - 2) != m || c.size(r - 1) != n) {
            throw new IllegalArgumentException("MatmulPlan: shapes do not multiply: " + a + ", " + b + ", " + c);
        }
        MatmulPlan folded = folded(a, b, c);
        if (folded != null) return folded;
        MatrixForm fa = form(a), fb = form(b), fc = form(c);
        if (fc.transposed()) throw new IllegalArgumentException("MatmulPlan: output must be row-major: " + c);
        long[] batchShape = Arrays.copyOf(c.shape(), r - 2);
        return new MatmulPlan(m, n, k,
                new Operand(fa.transposed(), fa.ld(), batchOffsets(a, batchShape)),
                new Operand(fb.transposed(), fb.ld(), batchOffsets(b, batchShape)),
                new Operand(false, fc.ld(), batchOffsets(c, batchShape)));
    }

    private static MatrixForm form(Layout l) {
        int r = l.rank();
        MatrixForm f = matrixForm(l.size(r - 2), l.size(r - 1), l.stride(r - 2), l.stride(r - 1));
        if (f == null) throw new IllegalArgumentException("MatmulPlan: not a BLAS matrix (copy it first): " + l);
        return f;
    }

    /** One product of {@code (batch*m) x k} by {@code k x n}, when B is shared and A's and C's rows merge. */
    private static MatmulPlan folded(Layout a, Layout b, Layout c) {
        int r = c.rank();
        if (r == 2) return null;
        for (int d = 0; d < r - 2; d++) if (b.stride(d) != 0 && b.size(d) != 1) return null;
        long rows = 1;
        for (int d = 0; d < r - 1; d++) rows *= c.size(d);
        long k = a.size(r - 1), n = c.size(r - 1);
        long[] sa = a.viewStrides(new long[] {rows, k}), sc = c.viewStrides(new long[] {rows, n});
        if (sa == null || sc == null) return null;
        MatrixForm fa = matrixForm(rows, k, sa[0], sa[1]), fc = matrixForm(rows, n, sc[0], sc[1]);
        if (fa == null || fa.transposed() || fc == null || fc.transposed()) return null;
        MatrixForm fb = form(b);
        return new MatmulPlan(rows, n, k,
                new Operand(false, fa.ld(), new long[] {a.offset()}),
                new Operand(fb.transposed(), fb.ld(), new long[] {b.offset()}),
                new Operand(false, fc.ld(), new long[] {c.offset()}));
    }

    /** The element offset of each batch's matrix, batches in row-major order. */
    private static long[] batchOffsets(Layout l, long[] batchShape) {
        long count = 1;
        for (long s : batchShape) count = Math.multiplyExact(count, s);
        if (count > Integer.MAX_VALUE) throw new IllegalArgumentException("matmul: batch of " + count + " matrices is too large");
        long[] offsets = new long[(int) count];
        long[] idx = new long[batchShape.length];
        long off = l.offset();
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = off;
            for (int d = batchShape.length - 1; d >= 0; d--) { // odometer step
                if (++idx[d] < batchShape[d]) { off += l.stride(d); break; }
                off -= l.stride(d) * (batchShape[d] - 1);
                idx[d] = 0;
            }
        }
        return offsets;
    }
}
