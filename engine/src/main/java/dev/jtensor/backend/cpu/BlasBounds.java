package dev.jtensor.backend.cpu;

import dev.jtensor.backend.cpu.Blas.Transpose;

import java.lang.foreign.MemorySegment;

/**
 * Argument checks for {@link Blas}, run before every downcall so that no bad argument reaches native
 * code (where it would read or write outside the segment, or crash the JVM).
 *
 * <p>Each operand is a row-major matrix ({@code rows x cols}, leading dimension {@code ld} elements) or
 * a strided vector ({@code n} elements, increment {@code inc}) that starts {@code offset} elements into
 * its segment. The elements it can touch are {@code offset .. offset + span - 1} with
 * {@code span = (rows - 1) * ld + cols} or {@code (n - 1) * inc + 1} (0 when empty); both ends must lie in
 * the segment. Dimensions must be {@code >= 0}, {@code ld >= max(1, cols)} (as CBLAS requires), increments
 * {@code >= 1}, and everything passed to BLAS must fit its 32-bit {@code blasint}.
 */
final class BlasBounds {
    private BlasBounds() {}

    static void dim(String fn, String name, int value) {
        if (value < 0) throw new IllegalArgumentException(fn + ": " + name + " = " + value + " is negative");
    }

    /**
     * Checks a row-major matrix operand, stored as {@code rows x cols} (after any transposition is
     * undone), and returns its span in elements. Messages are built only on failure: this runs on
     * every call.
     *
     * @param output whether BLAS writes it (then it must be writable)
     */
    static long matrix(String fn, String name, MemorySegment s, long offset,
                       int rows, int cols, long ld, int elemBytes, boolean output) {
        if (ld < Math.max(1, cols) || ld > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(fn + ": ld" + name + " = " + ld + " must be >= max(1, "
                    + cols + "), the row length of " + name + " stored as " + rows + " x " + cols
                    + ", and <= " + Integer.MAX_VALUE);
        }
        long span = rows == 0 || cols == 0 ? 0 : Math.addExact(Math.multiplyExact(rows - 1L, ld), cols);
        if (!inside(s, offset, span, elemBytes, output)) {
            fail(fn, name, name + " stored as " + rows + " x " + cols + " with ld" + name + " = " + ld,
                    s, offset, span, elemBytes, output);
        }
        return span;
    }

    /** Checks a strided vector operand and returns its span in elements. */
    static long vector(String fn, String name, MemorySegment s, long offset, int n, long inc,
                       int elemBytes, boolean output) {
        if (inc < 1 || inc > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(fn + ": inc" + name + " = " + inc + " must be in [1, "
                    + Integer.MAX_VALUE + "] (negative and zero increments are not supported)");
        }
        long span = n == 0 ? 0 : Math.addExact(Math.multiplyExact(n - 1L, inc), 1);
        if (!inside(s, offset, span, elemBytes, output)) {
            fail(fn, name, "vector " + name + " of " + n + " elements with inc" + name + " = " + inc,
                    s, offset, span, elemBytes, output);
        }
        return span;
    }

    private static boolean inside(MemorySegment s, long offset, long span, int elemBytes, boolean output) {
        if (s == null || (output && s.isReadOnly())) return false;
        long capacity = s.byteSize() / elemBytes;
        return offset >= 0 && offset <= capacity && span <= capacity - offset;
    }

    /** Throws the exception that explains why {@link #inside} said no. */
    private static void fail(String fn, String name, String what, MemorySegment s, long offset, long span,
                             int elemBytes, boolean output) {
        if (s == null) throw new NullPointerException(fn + ": segment " + name + " is null");
        long sizeBytes = s.byteSize();
        long capacity = sizeBytes / elemBytes;
        if (offset < 0 || offset > capacity || span > capacity - offset) {
            throw new IndexOutOfBoundsException(fn + ": " + name + "Offset = " + offset + " with " + what
                    + " touches elements [" + offset + ", " + (offset + span) + ") of " + elemBytes
                    + " bytes, outside segment " + name + " of " + sizeBytes + " bytes (" + capacity + " elements)");
        }
        if (output && s.isReadOnly()) {
            throw new IllegalArgumentException(fn + ": segment " + name + " is read-only, but BLAS writes " + what);
        }
        throw new AssertionError(fn + ": " + name + " failed a bounds check that passes now");
    }

    // Spans of the operands of each BLAS routine, in argument order. Matrices are checked as stored:
    // a transposed operand op(A) = A^T of shape r x c is stored c x r.

    /** A vector routine's {@code n} and one of its vectors. */
    static long vector(String fn, String name, int n, MemorySegment s, long offset, long inc, int elemBytes,
                       boolean output) {
        dim(fn, "n", n);
        return vector(fn, name, s, offset, n, inc, elemBytes, output);
    }

    static long[] gemm(String fn, Transpose transA, Transpose transB, int m, int n, int k,
                         MemorySegment a, long aOffset, long lda, MemorySegment b, long bOffset, long ldb,
                         MemorySegment c, long cOffset, long ldc, int elemBytes) {
        dim(fn, "m", m);
        dim(fn, "n", n);
        dim(fn, "k", k);
        boolean ta = transA == Transpose.YES, tb = transB == Transpose.YES;
        return new long[] {
                matrix(fn, "a", a, aOffset, ta ? k : m, ta ? m : k, lda, elemBytes, false),
                matrix(fn, "b", b, bOffset, tb ? n : k, tb ? k : n, ldb, elemBytes, false),
                matrix(fn, "c", c, cOffset, m, n, ldc, elemBytes, true)};
    }

    static long[] omatcopy(String fn, Transpose trans, int rows, int cols, MemorySegment a, long aOffset,
                         long lda, MemorySegment b, long bOffset, long ldb, int elemBytes) {
        dim(fn, "rows", rows);
        dim(fn, "cols", cols);
        boolean t = trans == Transpose.YES;
        return new long[] {
                matrix(fn, "a", a, aOffset, rows, cols, lda, elemBytes, false),
                matrix(fn, "b", b, bOffset, t ? cols : rows, t ? rows : cols, ldb, elemBytes, true)};
    }

    static long[] gemv(String fn, Transpose trans, int m, int n, MemorySegment a, long aOffset, long lda,
                         MemorySegment x, long xOffset, long incx, MemorySegment y, long yOffset, long incy,
                         int elemBytes) {
        dim(fn, "m", m);
        dim(fn, "n", n);
        boolean t = trans == Transpose.YES;
        return new long[] {
                matrix(fn, "a", a, aOffset, m, n, lda, elemBytes, false),
                vector(fn, "x", x, xOffset, t ? m : n, incx, elemBytes, false),
                vector(fn, "y", y, yOffset, t ? n : m, incy, elemBytes, true)};
    }

    static long[] ger(String fn, int m, int n, MemorySegment x, long xOffset, long incx,
                                   MemorySegment y, long yOffset, long incy, MemorySegment a, long aOffset, long lda,
                                   int elemBytes) {
        dim(fn, "m", m);
        dim(fn, "n", n);
        return new long[] {
                vector(fn, "x", x, xOffset, m, incx, elemBytes, false),
                vector(fn, "y", y, yOffset, n, incy, elemBytes, false),
                matrix(fn, "a", a, aOffset, m, n, lda, elemBytes, true)};
    }
}
