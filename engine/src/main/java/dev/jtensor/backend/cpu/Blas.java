/*
 * Facade over OpenBLAS 0.3.28 (org.bytedeco:openblas:0.3.28-1.5.11, linux-x86_64) or the CBLAS named by
 * -Djtensor.blas.library. The bindings it calls, dev.jtensor.bindings.openblas.cblas_h, are jextract
 * output: regenerate them with `bindings/regenerate.sh` (symbols: bindings/symbols/cblas.txt).
 */
package dev.jtensor.backend.cpu;

import dev.jtensor.backend.nativelib.LoadedLibrary;
import dev.jtensor.backend.nativelib.NativeLibraries;
import dev.jtensor.bindings.openblas.cblas_h;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.function.Supplier;

import static dev.jtensor.backend.cpu.BlasBounds.vector;

/**
 * Typed BLAS on {@link MemorySegment}s: the only class that calls the generated OpenBLAS bindings.
 *
 * <p>Conventions of every method:
 * <ul>
 *   <li>Matrices are <b>row-major</b>. A matrix operand is {@code (segment, offset, ld)}: element
 *       {@code (i, j)} is element {@code offset + i * ld + j} of the segment (offsets and leading
 *       dimensions in elements, not bytes). A transposed or strided tensor view is passed by choosing
 *       {@link Transpose#YES} and the leading dimension: a view with strides {@code (s, 1)} is
 *       {@code NO, ld = s}; one with strides {@code (1, s)} is {@code YES, ld = s}. Views with neither
 *       stride 1 need a copy first.</li>
 *   <li>A vector operand is {@code (segment, offset, inc)}: element {@code i} is element
 *       {@code offset + i * inc}; {@code inc >= 1}.</li>
 *   <li>Segments may be native or heap-backed ({@code MemorySegment.ofArray}); see {@link BlasOperands}
 *       for how each reaches native code. Output segments must be writable and must not overlap inputs.</li>
 *   <li>Before any native call, every argument is checked (see {@link BlasBounds}): negative dimensions,
 *       too-small leading dimensions and values beyond BLAS's 32-bit ints throw
 *       {@link IllegalArgumentException}; an operand reaching outside its segment throws
 *       {@link IndexOutOfBoundsException}. Both name the argument, its value and the segment size.</li>
 * </ul>
 * Thread-safe: OpenBLAS serves concurrent calls from several Java threads.
 */
public final class Blas {
    /** Whether BLAS reads a matrix operand as stored ({@code NO}) or transposed ({@code YES}). */
    public enum Transpose {
        NO, YES;

        int cblas() {
            return this == NO ? cblas_h.CblasNoTrans() : cblas_h.CblasTrans();
        }
    }

    static final int F32 = 4;
    static final int F64 = 8;
    private static final int ROW_MAJOR;
    private static final LoadedLibrary LIBRARY;

    static {
        LIBRARY = NativeLibraries.openBlas(); // before the first use of cblas_h (loaderLookup)
        ROW_MAJOR = cblas_h.CblasRowMajor();
        // Single-threaded calls: jtensor splits large products over its own pool (CpuLinalg, Parallel),
        // which shares the cores among concurrent callers; OpenBLAS's pthreads pool would spin beside it.
        if (SymbolLookup.loaderLookup().find("openblas_set_num_threads").isPresent()) cblas_h.openblas_set_num_threads(1);
    }

    private Blas() {}

    // ---------------------------------------------------------------- level 3

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} in float32, where {@code op(A)} is {@code m x k},
     * {@code op(B)} is {@code k x n} and {@code C} is {@code m x n}. {@code A} is stored {@code m x k}
     * ({@code transA NO}) or {@code k x m} ({@code YES}); likewise {@code B}. {@code beta = 0} overwrites
     * {@code C} without reading it (NaNs in {@code C} do not propagate). With {@code k = 0}, {@code C = beta * C}.
     * Modified: {@code c}. Not modified: {@code a}, {@code b}.
     */
    public static void sgemm(Transpose transA, Transpose transB, int m, int n, int k,
                             float alpha, MemorySegment a, long aOffset, long lda,
                             MemorySegment b, long bOffset, long ldb,
                             float beta, MemorySegment c, long cOffset, long ldc) {
        long[] spans = BlasBounds.gemm("sgemm", transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, F32);
        if (m == 0 || n == 0) return;
        try (var ops = BlasOperands.of(BlasOperands.work(m, n, k), F32, a, b, c)) {
            Sgemm.H.invokeExact(ops.critical(), ROW_MAJOR, transA.cblas(), transB.cblas(), m, n, k, alpha,
                    ops.in(a, aOffset, spans[0]), (int) lda, ops.in(b, bOffset, spans[1]), (int) ldb,
                    beta, ops.inOut(c, cOffset, spans[2]), (int) ldc);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@link #sgemm} in float64. */
    public static void dgemm(Transpose transA, Transpose transB, int m, int n, int k,
                             double alpha, MemorySegment a, long aOffset, long lda,
                             MemorySegment b, long bOffset, long ldb,
                             double beta, MemorySegment c, long cOffset, long ldc) {
        long[] spans = BlasBounds.gemm("dgemm", transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, F64);
        if (m == 0 || n == 0) return;
        try (var ops = BlasOperands.of(BlasOperands.work(m, n, k), F64, a, b, c)) {
            Dgemm.H.invokeExact(ops.critical(), ROW_MAJOR, transA.cblas(), transB.cblas(), m, n, k, alpha,
                    ops.in(a, aOffset, spans[0]), (int) lda, ops.in(b, bOffset, spans[1]), (int) ldb,
                    beta, ops.inOut(c, cOffset, spans[2]), (int) ldc);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /**
     * {@code B = alpha * op(A)} in float32: a scaled copy ({@code trans NO}) or transposed copy
     * ({@code YES}) of the {@code rows x cols} matrix {@code A}; {@code B} is {@code rows x cols} or
     * {@code cols x rows}. OpenBLAS's {@code somatcopy} extension. Modified: {@code b}.
     */
    public static void somatcopy(Transpose trans, int rows, int cols, float alpha,
                                 MemorySegment a, long aOffset, long lda, MemorySegment b, long bOffset, long ldb) {
        long[] spans = BlasBounds.omatcopy("somatcopy", trans, rows, cols, a, aOffset, lda, b, bOffset, ldb, F32);
        if (rows == 0 || cols == 0) return;
        try (var ops = BlasOperands.of((long) rows * cols, F32, a, b, null)) {
            require(Somatcopy.H, "cblas_somatcopy").invokeExact(ops.critical(), ROW_MAJOR, trans.cblas(), rows, cols, alpha,
                    ops.in(a, aOffset, spans[0]), (int) lda, ops.inOut(b, bOffset, spans[1]), (int) ldb);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@link #somatcopy} in float64. */
    public static void domatcopy(Transpose trans, int rows, int cols, double alpha,
                                 MemorySegment a, long aOffset, long lda, MemorySegment b, long bOffset, long ldb) {
        long[] spans = BlasBounds.omatcopy("domatcopy", trans, rows, cols, a, aOffset, lda, b, bOffset, ldb, F64);
        if (rows == 0 || cols == 0) return;
        try (var ops = BlasOperands.of((long) rows * cols, F64, a, b, null)) {
            require(Domatcopy.H, "cblas_domatcopy").invokeExact(ops.critical(), ROW_MAJOR, trans.cblas(), rows, cols, alpha,
                    ops.in(a, aOffset, spans[0]), (int) lda, ops.inOut(b, bOffset, spans[1]), (int) ldb);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---------------------------------------------------------------- level 2

    /**
     * {@code y = alpha * op(A) * x + beta * y} in float32, {@code A} stored {@code m x n}: with
     * {@code trans NO}, {@code x} has {@code n} elements and {@code y} {@code m}; with {@code YES},
     * {@code x} has {@code m} and {@code y} {@code n}. When {@code x} is empty, {@code y = beta * y}
     * (BLAS itself would leave {@code y} untouched). Modified: {@code y}.
     */
    public static void sgemv(Transpose trans, int m, int n, float alpha, MemorySegment a, long aOffset, long lda,
                             MemorySegment x, long xOffset, long incx, float beta, MemorySegment y, long yOffset, long incy) {
        long[] spans = BlasBounds.gemv("sgemv", trans, m, n, a, aOffset, lda, x, xOffset, incx, y, yOffset, incy, F32);
        int lenX = trans == Transpose.NO ? n : m, lenY = trans == Transpose.NO ? m : n;
        if (lenY == 0) return;
        if (lenX == 0) { scaleOrZeroF32(lenY, beta, y, yOffset, incy); return; }
        try (var ops = BlasOperands.of((long) m * n, F32, a, x, y)) {
            Sgemv.H.invokeExact(ops.critical(), ROW_MAJOR, trans.cblas(), m, n, alpha, ops.in(a, aOffset, spans[0]), (int) lda,
                    ops.in(x, xOffset, spans[1]), (int) incx, beta, ops.inOut(y, yOffset, spans[2]), (int) incy);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@link #sgemv} in float64. */
    public static void dgemv(Transpose trans, int m, int n, double alpha, MemorySegment a, long aOffset, long lda,
                             MemorySegment x, long xOffset, long incx, double beta, MemorySegment y, long yOffset, long incy) {
        long[] spans = BlasBounds.gemv("dgemv", trans, m, n, a, aOffset, lda, x, xOffset, incx, y, yOffset, incy, F64);
        int lenX = trans == Transpose.NO ? n : m, lenY = trans == Transpose.NO ? m : n;
        if (lenY == 0) return;
        if (lenX == 0) { scaleOrZeroF64(lenY, beta, y, yOffset, incy); return; }
        try (var ops = BlasOperands.of((long) m * n, F64, a, x, y)) {
            Dgemv.H.invokeExact(ops.critical(), ROW_MAJOR, trans.cblas(), m, n, alpha, ops.in(a, aOffset, spans[0]), (int) lda,
                    ops.in(x, xOffset, spans[1]), (int) incx, beta, ops.inOut(y, yOffset, spans[2]), (int) incy);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // BLAS's beta = 0 means "overwrite": zero explicitly, as scal(0) would keep NaN * 0 = NaN.
    private static void scaleOrZeroF32(int n, float beta, MemorySegment y, long yOffset, long incy) {
        if (beta == 0) { for (long i = 0; i < n; i++) y.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, yOffset + i * incy, 0f); }
        else if (beta != 1) sscal(n, beta, y, yOffset, incy);
    }

    private static void scaleOrZeroF64(int n, double beta, MemorySegment y, long yOffset, long incy) {
        if (beta == 0) { for (long i = 0; i < n; i++) y.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, yOffset + i * incy, 0d); }
        else if (beta != 1) dscal(n, beta, y, yOffset, incy);
    }

    /** {@code A = alpha * x * y^T + A} in float32 (rank-1 update), {@code A} is {@code m x n}. Modified: {@code a}. */
    public static void sger(int m, int n, float alpha, MemorySegment x, long xOffset, long incx,
                            MemorySegment y, long yOffset, long incy, MemorySegment a, long aOffset, long lda) {
        long[] spans = BlasBounds.ger("sger", m, n, x, xOffset, incx, y, yOffset, incy, a, aOffset, lda, F32);
        if (m == 0 || n == 0) return;
        try (var ops = BlasOperands.of((long) m * n, F32, x, y, a)) {
            Sger.H.invokeExact(ops.critical(), ROW_MAJOR, m, n, alpha, ops.in(x, xOffset, spans[0]), (int) incx,
                    ops.in(y, yOffset, spans[1]), (int) incy, ops.inOut(a, aOffset, spans[2]), (int) lda);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@link #sger} in float64. */
    public static void dger(int m, int n, double alpha, MemorySegment x, long xOffset, long incx,
                            MemorySegment y, long yOffset, long incy, MemorySegment a, long aOffset, long lda) {
        long[] spans = BlasBounds.ger("dger", m, n, x, xOffset, incx, y, yOffset, incy, a, aOffset, lda, F64);
        if (m == 0 || n == 0) return;
        try (var ops = BlasOperands.of((long) m * n, F64, x, y, a)) {
            Dger.H.invokeExact(ops.critical(), ROW_MAJOR, m, n, alpha, ops.in(x, xOffset, spans[0]), (int) incx,
                    ops.in(y, yOffset, spans[1]), (int) incy, ops.inOut(a, aOffset, spans[2]), (int) lda);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---------------------------------------------------------------- level 1

    /** {@code sum_i x_i * y_i} over {@code n} float32 elements (0 when {@code n = 0}). */
    public static float sdot(int n, MemorySegment x, long xOffset, long incx, MemorySegment y, long yOffset, long incy) {
        long xs = vector("sdot", "x", n, x, xOffset, incx, F32, false);
        long ys = vector("sdot", "y", n, y, yOffset, incy, F32, false);
        if (n == 0) return 0f;
        try (var ops = BlasOperands.of(n, F32, x, y, null)) {
            return (float) Sdot.H.invokeExact(ops.critical(), n, ops.in(x, xOffset, xs), (int) incx, ops.in(y, yOffset, ys), (int) incy);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@link #sdot} in float64. */
    public static double ddot(int n, MemorySegment x, long xOffset, long incx, MemorySegment y, long yOffset, long incy) {
        long xs = vector("ddot", "x", n, x, xOffset, incx, F64, false);
        long ys = vector("ddot", "y", n, y, yOffset, incy, F64, false);
        if (n == 0) return 0d;
        try (var ops = BlasOperands.of(n, F64, x, y, null)) {
            return (double) Ddot.H.invokeExact(ops.critical(), n, ops.in(x, xOffset, xs), (int) incx, ops.in(y, yOffset, ys), (int) incy);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@code y = alpha * x + y} over {@code n} float32 elements. Modified: {@code y}. */
    public static void saxpy(int n, float alpha, MemorySegment x, long xOffset, long incx, MemorySegment y, long yOffset, long incy) {
        long xs = vector("saxpy", "x", n, x, xOffset, incx, F32, false);
        long ys = vector("saxpy", "y", n, y, yOffset, incy, F32, true);
        if (n == 0) return;
        try (var ops = BlasOperands.of(n, F32, x, y, null)) {
            Saxpy.H.invokeExact(ops.critical(), n, alpha, ops.in(x, xOffset, xs), (int) incx, ops.inOut(y, yOffset, ys), (int) incy);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@link #saxpy} in float64. */
    public static void daxpy(int n, double alpha, MemorySegment x, long xOffset, long incx, MemorySegment y, long yOffset, long incy) {
        long xs = vector("daxpy", "x", n, x, xOffset, incx, F64, false);
        long ys = vector("daxpy", "y", n, y, yOffset, incy, F64, true);
        if (n == 0) return;
        try (var ops = BlasOperands.of(n, F64, x, y, null)) {
            Daxpy.H.invokeExact(ops.critical(), n, alpha, ops.in(x, xOffset, xs), (int) incx, ops.inOut(y, yOffset, ys), (int) incy);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@code y = alpha * x + beta * y} over {@code n} float32 elements (OpenBLAS extension). Modified: {@code y}. */
    public static void saxpby(int n, float alpha, MemorySegment x, long xOffset, long incx,
                              float beta, MemorySegment y, long yOffset, long incy) {
        long xs = vector("saxpby", "x", n, x, xOffset, incx, F32, false);
        long ys = vector("saxpby", "y", n, y, yOffset, incy, F32, true);
        if (n == 0) return;
        try (var ops = BlasOperands.of(n, F32, x, y, null)) {
            require(Saxpby.H, "cblas_saxpby").invokeExact(ops.critical(), n, alpha, ops.in(x, xOffset, xs), (int) incx, beta, ops.inOut(y, yOffset, ys), (int) incy);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@link #saxpby} in float64. */
    public static void daxpby(int n, double alpha, MemorySegment x, long xOffset, long incx,
                              double beta, MemorySegment y, long yOffset, long incy) {
        long xs = vector("daxpby", "x", n, x, xOffset, incx, F64, false);
        long ys = vector("daxpby", "y", n, y, yOffset, incy, F64, true);
        if (n == 0) return;
        try (var ops = BlasOperands.of(n, F64, x, y, null)) {
            require(Daxpby.H, "cblas_daxpby").invokeExact(ops.critical(), n, alpha, ops.in(x, xOffset, xs), (int) incx, beta, ops.inOut(y, yOffset, ys), (int) incy);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@code x = alpha * x} over {@code n} float32 elements. Modified: {@code x}. */
    public static void sscal(int n, float alpha, MemorySegment x, long xOffset, long incx) {
        long xs = vector("sscal", "x", n, x, xOffset, incx, F32, true);
        if (n == 0) return;
        try (var ops = BlasOperands.of(n, F32, x, null, null)) {
            Sscal.H.invokeExact(ops.critical(), n, alpha, ops.inOut(x, xOffset, xs), (int) incx);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@link #sscal} in float64. */
    public static void dscal(int n, double alpha, MemorySegment x, long xOffset, long incx) {
        long xs = vector("dscal", "x", n, x, xOffset, incx, F64, true);
        if (n == 0) return;
        try (var ops = BlasOperands.of(n, F64, x, null, null)) {
            Dscal.H.invokeExact(ops.critical(), n, alpha, ops.inOut(x, xOffset, xs), (int) incx);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@code y = x} over {@code n} float32 elements (strided copy). Modified: {@code y}. */
    public static void scopy(int n, MemorySegment x, long xOffset, long incx, MemorySegment y, long yOffset, long incy) {
        long xs = vector("scopy", "x", n, x, xOffset, incx, F32, false);
        long ys = vector("scopy", "y", n, y, yOffset, incy, F32, true);
        if (n == 0) return;
        try (var ops = BlasOperands.of(n, F32, x, y, null)) {
            Scopy.H.invokeExact(ops.critical(), n, ops.in(x, xOffset, xs), (int) incx, ops.inOut(y, yOffset, ys), (int) incy);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@link #scopy} in float64. */
    public static void dcopy(int n, MemorySegment x, long xOffset, long incx, MemorySegment y, long yOffset, long incy) {
        long xs = vector("dcopy", "x", n, x, xOffset, incx, F64, false);
        long ys = vector("dcopy", "y", n, y, yOffset, incy, F64, true);
        if (n == 0) return;
        try (var ops = BlasOperands.of(n, F64, x, y, null)) {
            Dcopy.H.invokeExact(ops.critical(), n, ops.in(x, xOffset, xs), (int) incx, ops.inOut(y, yOffset, ys), (int) incy);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@code sqrt(sum_i x_i^2)} over {@code n} float32 elements, computed without overflow (0 when {@code n = 0}). */
    public static float snrm2(int n, MemorySegment x, long xOffset, long incx) {
        long xs = vector("snrm2", "x", n, x, xOffset, incx, F32, false);
        if (n == 0) return 0f;
        try (var ops = BlasOperands.of(n, F32, x, null, null)) {
            return (float) Snrm2.H.invokeExact(ops.critical(), n, ops.in(x, xOffset, xs), (int) incx);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@link #snrm2} in float64. */
    public static double dnrm2(int n, MemorySegment x, long xOffset, long incx) {
        long xs = vector("dnrm2", "x", n, x, xOffset, incx, F64, false);
        if (n == 0) return 0d;
        try (var ops = BlasOperands.of(n, F64, x, null, null)) {
            return (double) Dnrm2.H.invokeExact(ops.critical(), n, ops.in(x, xOffset, xs), (int) incx);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@code sum_i |x_i|} over {@code n} float32 elements (0 when {@code n = 0}). */
    public static float sasum(int n, MemorySegment x, long xOffset, long incx) {
        long xs = vector("sasum", "x", n, x, xOffset, incx, F32, false);
        if (n == 0) return 0f;
        try (var ops = BlasOperands.of(n, F32, x, null, null)) {
            return (float) Sasum.H.invokeExact(ops.critical(), n, ops.in(x, xOffset, xs), (int) incx);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@link #sasum} in float64. */
    public static double dasum(int n, MemorySegment x, long xOffset, long incx) {
        long xs = vector("dasum", "x", n, x, xOffset, incx, F64, false);
        if (n == 0) return 0d;
        try (var ops = BlasOperands.of(n, F64, x, null, null)) {
            return (double) Dasum.H.invokeExact(ops.critical(), n, ops.in(x, xOffset, xs), (int) incx);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /**
     * The 0-based index {@code i < n} of the first element with the largest {@code |x_i|} over {@code n}
     * float32 elements, or -1 when {@code n = 0}. NaN handling is the library's.
     */
    public static long isamax(int n, MemorySegment x, long xOffset, long incx) {
        long xs = vector("isamax", "x", n, x, xOffset, incx, F32, false);
        if (n == 0) return -1;
        try (var ops = BlasOperands.of(n, F32, x, null, null)) {
            return (long) Isamax.H.invokeExact(ops.critical(), n, ops.in(x, xOffset, xs), (int) incx);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** {@link #isamax} in float64. */
    public static long idamax(int n, MemorySegment x, long xOffset, long incx) {
        long xs = vector("idamax", "x", n, x, xOffset, incx, F64, false);
        if (n == 0) return -1;
        try (var ops = BlasOperands.of(n, F64, x, null, null)) {
            return (long) Idamax.H.invokeExact(ops.critical(), n, ops.in(x, xOffset, xs), (int) incx);
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---------------------------------------------------------------- threads and library info

    /**
     * Sets the number of threads OpenBLAS uses for one call ({@code openblas_set_num_threads}); call it
     * while no BLAS call is running. A BLAS without that function (MKL, reference BLAS) keeps its own
     * setting and this does nothing.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static void setNumThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("setNumThreads: threads = " + threads + " must be >= 1");
        if (hasOpenBlasExtensions()) cblas_h.openblas_set_num_threads(threads);
    }

    /** The number of threads OpenBLAS uses ({@code openblas_get_num_threads}), or -1 for a BLAS that does not say. */
    public static int numThreads() {
        return hasOpenBlasExtensions() ? cblas_h.openblas_get_num_threads() : -1;
    }

    /** What was loaded and how it is configured; after the first call, this costs one small downcall. */
    public static BlasInfo info() {
        LibraryFacts s = LibraryFacts.VALUES;
        return new BlasInfo(LIBRARY.path(), LIBRARY.source(), s.config, s.coreName, numThreads(), s.threading);
    }

    private static boolean hasOpenBlasExtensions() {
        return LibraryFacts.VALUES.openBlas;
    }

    /** The library's constant self-description, read once. */
    private record LibraryFacts(boolean openBlas, String config, String coreName, String threading) {
        static final LibraryFacts VALUES = read();

        private static LibraryFacts read() {
            if (SymbolLookup.loaderLookup().find("openblas_get_config").isEmpty()) {
                String unknown = "unknown (" + LIBRARY.path().getFileName() + " is not OpenBLAS)";
                return new LibraryFacts(false, unknown, "unknown", "unknown");
            }
            String config = cblas_h.openblas_get_config().getString(0).strip();
            String coreName = cblas_h.openblas_get_corename().getString(0).strip();
            int parallel = cblas_h.openblas_get_parallel();
            String threading = parallel == cblas_h.OPENBLAS_SEQUENTIAL() ? "sequential"
                    : parallel == cblas_h.OPENBLAS_THREAD() ? "pthreads"
                    : parallel == cblas_h.OPENBLAS_OPENMP() ? "OpenMP" : "unknown (" + parallel + ")";
            return new LibraryFacts(true, config, coreName, threading);
        }
    }

    // ---------------------------------------------------------------- downcall handles

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("unexpected checked exception from a BLAS downcall", t);
    }

    /**
     * {@code (boolean critical, args...)}: the critical handle (heap access allowed) when {@code critical},
     * else the generated one. One constant handle per function, so that the JIT inlines both paths
     * (choosing between two handles at the call site would make the handle a non-constant: +100 ns).
     */
    private static MethodHandle downcall(MethodHandle generated, MemorySegment address, FunctionDescriptor descriptor) {
        MethodHandle critical = Linker.nativeLinker().downcallHandle(address, descriptor, Linker.Option.critical(true));
        return MethodHandles.guardWithTest(MethodHandles.identity(boolean.class),
                MethodHandles.dropArguments(critical, 0, boolean.class),
                MethodHandles.dropArguments(generated, 0, boolean.class));
    }

    /**
     * Standard CBLAS functions, which every CBLAS library exports: one holder each, so a function's two
     * downcall handles (about 2 ms each in a cold JVM) are made on its first call, not all twenty on the first BLAS call.
     */
    private static final class Sgemm {
        static final MethodHandle H = downcall(cblas_h.cblas_sgemm$handle(), cblas_h.cblas_sgemm$address(), cblas_h.cblas_sgemm$descriptor());
    }
    private static final class Dgemm {
        static final MethodHandle H = downcall(cblas_h.cblas_dgemm$handle(), cblas_h.cblas_dgemm$address(), cblas_h.cblas_dgemm$descriptor());
    }
    private static final class Sgemv {
        static final MethodHandle H = downcall(cblas_h.cblas_sgemv$handle(), cblas_h.cblas_sgemv$address(), cblas_h.cblas_sgemv$descriptor());
    }
    private static final class Dgemv {
        static final MethodHandle H = downcall(cblas_h.cblas_dgemv$handle(), cblas_h.cblas_dgemv$address(), cblas_h.cblas_dgemv$descriptor());
    }
    private static final class Sger {
        static final MethodHandle H = downcall(cblas_h.cblas_sger$handle(), cblas_h.cblas_sger$address(), cblas_h.cblas_sger$descriptor());
    }
    private static final class Dger {
        static final MethodHandle H = downcall(cblas_h.cblas_dger$handle(), cblas_h.cblas_dger$address(), cblas_h.cblas_dger$descriptor());
    }
    private static final class Sdot {
        static final MethodHandle H = downcall(cblas_h.cblas_sdot$handle(), cblas_h.cblas_sdot$address(), cblas_h.cblas_sdot$descriptor());
    }
    private static final class Ddot {
        static final MethodHandle H = downcall(cblas_h.cblas_ddot$handle(), cblas_h.cblas_ddot$address(), cblas_h.cblas_ddot$descriptor());
    }
    private static final class Saxpy {
        static final MethodHandle H = downcall(cblas_h.cblas_saxpy$handle(), cblas_h.cblas_saxpy$address(), cblas_h.cblas_saxpy$descriptor());
    }
    private static final class Daxpy {
        static final MethodHandle H = downcall(cblas_h.cblas_daxpy$handle(), cblas_h.cblas_daxpy$address(), cblas_h.cblas_daxpy$descriptor());
    }
    private static final class Sscal {
        static final MethodHandle H = downcall(cblas_h.cblas_sscal$handle(), cblas_h.cblas_sscal$address(), cblas_h.cblas_sscal$descriptor());
    }
    private static final class Dscal {
        static final MethodHandle H = downcall(cblas_h.cblas_dscal$handle(), cblas_h.cblas_dscal$address(), cblas_h.cblas_dscal$descriptor());
    }
    private static final class Scopy {
        static final MethodHandle H = downcall(cblas_h.cblas_scopy$handle(), cblas_h.cblas_scopy$address(), cblas_h.cblas_scopy$descriptor());
    }
    private static final class Dcopy {
        static final MethodHandle H = downcall(cblas_h.cblas_dcopy$handle(), cblas_h.cblas_dcopy$address(), cblas_h.cblas_dcopy$descriptor());
    }
    private static final class Snrm2 {
        static final MethodHandle H = downcall(cblas_h.cblas_snrm2$handle(), cblas_h.cblas_snrm2$address(), cblas_h.cblas_snrm2$descriptor());
    }
    private static final class Dnrm2 {
        static final MethodHandle H = downcall(cblas_h.cblas_dnrm2$handle(), cblas_h.cblas_dnrm2$address(), cblas_h.cblas_dnrm2$descriptor());
    }
    private static final class Sasum {
        static final MethodHandle H = downcall(cblas_h.cblas_sasum$handle(), cblas_h.cblas_sasum$address(), cblas_h.cblas_sasum$descriptor());
    }
    private static final class Dasum {
        static final MethodHandle H = downcall(cblas_h.cblas_dasum$handle(), cblas_h.cblas_dasum$address(), cblas_h.cblas_dasum$descriptor());
    }
    private static final class Isamax {
        static final MethodHandle H = downcall(cblas_h.cblas_isamax$handle(), cblas_h.cblas_isamax$address(), cblas_h.cblas_isamax$descriptor());
    }
    private static final class Idamax {
        static final MethodHandle H = downcall(cblas_h.cblas_idamax$handle(), cblas_h.cblas_idamax$address(), cblas_h.cblas_idamax$descriptor());
    }
    /**
     * OpenBLAS extensions, one holder each: null when the loaded library (an override such as reference
     * BLAS) lacks the symbol, and then only calling that function fails, naming it.
     */
    private static MethodHandle extension(String symbol, Supplier<MethodHandle> make) {
        return SymbolLookup.loaderLookup().find(symbol).isPresent() ? make.get() : null;
    }

    private static MethodHandle require(MethodHandle downcall, String symbol) {
        if (downcall == null) {
            throw new UnsupportedOperationException(symbol + " is not exported by " + LIBRARY.path()
                    + " (" + LIBRARY.source() + "); it is an OpenBLAS extension");
        }
        return downcall;
    }

    private static final class Saxpby {
        static final MethodHandle H = extension("cblas_saxpby",
                () -> downcall(cblas_h.cblas_saxpby$handle(), cblas_h.cblas_saxpby$address(), cblas_h.cblas_saxpby$descriptor()));
    }
    private static final class Daxpby {
        static final MethodHandle H = extension("cblas_daxpby",
                () -> downcall(cblas_h.cblas_daxpby$handle(), cblas_h.cblas_daxpby$address(), cblas_h.cblas_daxpby$descriptor()));
    }
    private static final class Somatcopy {
        static final MethodHandle H = extension("cblas_somatcopy",
                () -> downcall(cblas_h.cblas_somatcopy$handle(), cblas_h.cblas_somatcopy$address(), cblas_h.cblas_somatcopy$descriptor()));
    }
    private static final class Domatcopy {
        static final MethodHandle H = extension("cblas_domatcopy",
                () -> downcall(cblas_h.cblas_domatcopy$handle(), cblas_h.cblas_domatcopy$address(), cblas_h.cblas_domatcopy$descriptor()));
    }
}
