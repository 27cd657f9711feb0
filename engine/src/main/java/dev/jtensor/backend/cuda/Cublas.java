package dev.jtensor.backend.cuda;

import static dev.jtensor.bindings.cublas.cublas_h.CUBLAS_COMPUTE_32F;
import static dev.jtensor.bindings.cublas.cublas_h.CUBLAS_DEFAULT_MATH;
import static dev.jtensor.bindings.cublas.cublas_h.CUBLAS_GEMM_DEFAULT_TENSOR_OP;
import static dev.jtensor.bindings.cublas.cublas_h.CUBLAS_OP_N;
import static dev.jtensor.bindings.cublas.cublas_h.CUBLAS_OP_T;
import static dev.jtensor.bindings.cublas.cublas_h.CUBLAS_TF32_TENSOR_OP_MATH;
import static dev.jtensor.bindings.cublas.cublas_h.cublasCreate_v2;
import static dev.jtensor.bindings.cublas.cublas_h.cublasDgemmStridedBatched;
import static dev.jtensor.bindings.cublas.cublas_h.CUDA_R_16BF;
import static dev.jtensor.bindings.cublas.cublas_h.CUDA_R_16F;
import static dev.jtensor.bindings.cublas.cublas_h.cublasDgemm_v2;
import static dev.jtensor.bindings.cublas.cublas_h.cublasGemmEx;
import static dev.jtensor.bindings.cublas.cublas_h.cublasGemmStridedBatchedEx;
import static dev.jtensor.bindings.cublas.cublas_h.cublasGetStatusString;
import static dev.jtensor.bindings.cublas.cublas_h.cublasSetMathMode;
import static dev.jtensor.bindings.cublas.cublas_h.cublasSetStream_v2;
import static dev.jtensor.bindings.cublas.cublas_h.cublasSgemmStridedBatched;
import static dev.jtensor.bindings.cublas.cublas_h.cublasSgemm_v2;

import dev.jtensor.DType;
import dev.jtensor.backend.plan.MatmulPlan;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Matrix products on cuBLAS for one device. jtensor's matrices are row-major and cuBLAS's column-major, so
 * {@code C = op(A) op(B)} runs as {@code C^T = op(B)^T op(A)^T}: the operands swap places, keep their
 * transpose flags and leading dims, and no copy is made. Equally spaced batches (a contiguous or expanded
 * batch dim) go to one strided-batched call; others loop. float32 is computed as float32 unless TF32 was
 * allowed ({@link #setAllowTf32}, PyTorch's {@code torch.backends.cuda.matmul.allow_tf32}, off by default).
 * float16/bfloat16 go to {@code cublasGemmEx}/{@code cublasGemmStridedBatchedEx} with {@code CUBLAS_COMPUTE_32F}
 * (float32 accumulation on the tensor cores, alpha/beta as float, as PyTorch's {@code at::cuda::blas::gemm<Half>}):
 * no conversion copies (issue 26; written without a GPU at hand, checked by the GPU run's CudaAmpTest).
 */
final class Cublas {
    private static volatile boolean allowTf32;

    private final MemorySegment handle;
    private boolean tf32InHandle;

    Cublas(MemorySegment stream) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(ValueLayout.ADDRESS);
            check("cublasCreate", cublasCreate_v2(p));
            handle = p.get(ValueLayout.ADDRESS, 0);
        }
        check("cublasSetStream", cublasSetStream_v2(handle, stream));
        check("cublasSetMathMode", cublasSetMathMode(handle, CUBLAS_DEFAULT_MATH()));
    }

    static void setAllowTf32(boolean allow) { allowTf32 = allow; }

    static boolean allowTf32() { return allowTf32; }

    /** Runs every batch of {@code plan} in {@code dtype} (float32, float64, float16, bfloat16) on device pointers a, b, c. */
    synchronized void gemm(DType dtype, MatmulPlan plan, double alpha, long a, long b, double beta, long c) {
        if (plan.m() == 0 || plan.n() == 0 || plan.batch() == 0) return;
        if (dtype == DType.FLOAT32 && tf32InHandle != allowTf32) {
            check("cublasSetMathMode", cublasSetMathMode(handle, allowTf32 ? CUBLAS_TF32_TENSOR_OP_MATH() : CUBLAS_DEFAULT_MATH()));
            tf32InHandle = allowTf32;
        }
        int m = cublasInt(plan.m(), "m"), n = cublasInt(plan.n(), "n"), k = cublasInt(plan.k(), "k");
        MatmulPlan.Operand oa = plan.a(), ob = plan.b(), oc = plan.c();
        int opA = oa.transposed() ? CUBLAS_OP_T() : CUBLAS_OP_N(), opB = ob.transposed() ? CUBLAS_OP_T() : CUBLAS_OP_N();
        int lda = cublasInt(oa.ld(), "lda"), ldb = cublasInt(ob.ld(), "ldb"), ldc = cublasInt(oc.ld(), "ldc");
        long es = dtype.byteSize();
        if (dtype == DType.FLOAT16 || dtype == DType.BFLOAT16) {
            gemmEx(dtype == DType.FLOAT16 ? CUDA_R_16F() : CUDA_R_16BF(), plan, m, n, k, opA, opB, lda, ldb, ldc, alpha, a, b, beta, c);
            return;
        }
        boolean f32 = switch (dtype) {
            case FLOAT32 -> true;
            case FLOAT64 -> false;
            case FLOAT16, BFLOAT16, INT8, UINT8, INT16, INT32, INT64, BOOL -> throw new UnsupportedOperationException(
                    "\"addmm_cuda\" not implemented for '" + dtype.shortName() + "' (matmul on CUDA takes float32 or float64)");
        };
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al = f32 ? arena.allocateFrom(ValueLayout.JAVA_FLOAT, (float) alpha) : arena.allocateFrom(ValueLayout.JAVA_DOUBLE, alpha);
            MemorySegment be = f32 ? arena.allocateFrom(ValueLayout.JAVA_FLOAT, (float) beta) : arena.allocateFrom(ValueLayout.JAVA_DOUBLE, beta);
            int batch = plan.batch();
            long sa = stride(oa.offsets()), sb = stride(ob.offsets()), sc = stride(oc.offsets());
            if (batch > 1 && sa != Long.MIN_VALUE && sb != Long.MIN_VALUE && sc != Long.MIN_VALUE) {
                MemorySegment pa = ptr(a, oa.offsets()[0], es), pb = ptr(b, ob.offsets()[0], es), pc = ptr(c, oc.offsets()[0], es);
                // column-major: C^T (n x m) = op(B)^T (n x k) op(A)^T (k x m)
                int status = f32
                        ? cublasSgemmStridedBatched(handle, opB, opA, n, m, k, al, pb, ldb, sb, pa, lda, sa, be, pc, ldc, sc, batch)
                        : cublasDgemmStridedBatched(handle, opB, opA, n, m, k, al, pb, ldb, sb, pa, lda, sa, be, pc, ldc, sc, batch);
                check("cublas" + (f32 ? "S" : "D") + "gemmStridedBatched", status);
                return;
            }
            for (int i = 0; i < batch; i++) {
                MemorySegment pa = ptr(a, oa.offsets()[i], es), pb = ptr(b, ob.offsets()[i], es), pc = ptr(c, oc.offsets()[i], es);
                int status = f32
                        ? cublasSgemm_v2(handle, opB, opA, n, m, k, al, pb, ldb, pa, lda, be, pc, ldc)
                        : cublasDgemm_v2(handle, opB, opA, n, m, k, al, pb, ldb, pa, lda, be, pc, ldc);
                check("cublas" + (f32 ? "S" : "D") + "gemm", status);
            }
        }
    }

    /** The half types: {@code cublasGemmEx} per batch or one strided-batched call, float32 compute, 2-byte elements. */
    private void gemmEx(int type, MatmulPlan plan, int m, int n, int k, int opA, int opB, int lda, int ldb, int ldc,
                        double alpha, long a, long b, double beta, long c) {
        MatmulPlan.Operand oa = plan.a(), ob = plan.b(), oc = plan.c();
        int compute = CUBLAS_COMPUTE_32F(), algo = CUBLAS_GEMM_DEFAULT_TENSOR_OP();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al = arena.allocateFrom(ValueLayout.JAVA_FLOAT, (float) alpha);
            MemorySegment be = arena.allocateFrom(ValueLayout.JAVA_FLOAT, (float) beta);
            int batch = plan.batch();
            long sa = stride(oa.offsets()), sb = stride(ob.offsets()), sc = stride(oc.offsets());
            if (batch > 1 && sa != Long.MIN_VALUE && sb != Long.MIN_VALUE && sc != Long.MIN_VALUE) {
                MemorySegment pa = ptr(a, oa.offsets()[0], 2), pb = ptr(b, ob.offsets()[0], 2), pc = ptr(c, oc.offsets()[0], 2);
                check("cublasGemmStridedBatchedEx", cublasGemmStridedBatchedEx(handle, opB, opA, n, m, k, al, pb, type, ldb, sb,
                        pa, type, lda, sa, be, pc, type, ldc, sc, batch, compute, algo));
                return;
            }
            for (int i = 0; i < batch; i++) {
                MemorySegment pa = ptr(a, oa.offsets()[i], 2), pb = ptr(b, ob.offsets()[i], 2), pc = ptr(c, oc.offsets()[i], 2);
                check("cublasGemmEx", cublasGemmEx(handle, opB, opA, n, m, k, al, pb, type, ldb, pa, type, lda, be, pc, type, ldc,
                        compute, algo));
            }
        }
    }

    private static MemorySegment ptr(long base, long elementOffset, long elementSize) {
        return MemorySegment.ofAddress(base + elementOffset * elementSize);
    }

    /** The common step of equally spaced offsets, or Long.MIN_VALUE when they are not. */
    private static long stride(long[] offsets) {
        if (offsets.length < 2) return 0;
        long s = offsets[1] - offsets[0];
        for (int i = 2; i < offsets.length; i++) if (offsets[i] - offsets[i - 1] != s) return Long.MIN_VALUE;
        return s;
    }

    private static int cublasInt(long v, String name) {
        if (v > Integer.MAX_VALUE) throw new IllegalArgumentException("matmul: " + name + " = " + v + " exceeds cuBLAS's 32-bit size limit");
        return (int) v;
    }

    static void check(String call, int status) {
        if (status == 0) return;
        String text;
        try {
            text = cublasGetStatusString(status).reinterpret(256).getString(0);
        } catch (RuntimeException | LinkageError e) {
            text = "status " + status;
        }
        throw new IllegalStateException(call + " failed: " + text + " (cuBLAS status " + status + ")");
    }
}
