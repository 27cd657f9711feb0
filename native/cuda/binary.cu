/*
 * jt_binary: out = a (op) b over an iteration plan, in float (float32/float16/bfloat16 compute, rounded to
 * the compute precision on load and on result), double, or int64 (integer and bool compute types), as
 * CpuLoops.binary and ScalarMath.binary/binaryLong define it; and jt_where.
 * Fast path: float32/float64 operands of the compute type over contiguous operands (out and a unit
 * stride, b unit stride or one broadcast element), float4 loads for float32 when aligned.
 * Built with -fmad=false: a + alpha * b rounds twice, as in Java.
 */
#include "common.cuh"

namespace {
using namespace jt;

__host__ __device__ inline bool is_predicate(int op) { return op >= JT_EQ; }

/* Python's a // b for floats, as ScalarMath.floorDivide (PyTorch's div_floor_floating). */
template <class T>
__device__ __forceinline__ T floor_divide(T a, T b) {
    if (b == 0) return a / b;
    T mod = fmod(a, b);
    T div = (a - mod) / b;
    if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;
    if (div == 0) return copysign(T(0), a / b);
    T fl = floor(div);
    if (div - fl > T(0.5)) fl += 1;
    return fl;
}

/* Python's a % b: the result takes the divisor's sign. */
template <class T>
__device__ __forceinline__ T python_remainder(T a, T b) {
    T mod = fmod(a, b);
    if (mod != 0 && (b < 0) != (mod < 0)) mod += b;
    return mod;
}

/* Java's Math.pow: a NaN exponent, or |base| = 1 with an infinite exponent, gives NaN (C gives 1). */
template <class T>
__device__ __forceinline__ T java_pow(T a, T b) {
    if (b != b) return b;
    if (fabs(a) == T(1) && isinf(b)) return T(NAN);
    return pow(a, b);
}

template <class T>
__device__ __forceinline__ T binary_op(int op, T a, T b, T alpha) {
    const T one = 1, zero = 0;
    switch (op) {
        case JT_ADD: return a + alpha * b;
        case JT_SUB: return a - alpha * b;
        case JT_MUL: return a * b;
        case JT_DIV: return a / b;
        case JT_FLOOR_DIV: return floor_divide(a, b);
        case JT_REMAINDER: return python_remainder(a, b);
        case JT_POW: return java_pow(a, b);
        case JT_MAXIMUM: return a != a || b != b ? T(NAN) : java_max(a, b);
        case JT_MINIMUM: return a != a || b != b ? T(NAN) : java_min(a, b);
        case JT_ATAN2: return atan2(a, b);
        case JT_THRESHOLD_BACKWARD: return b <= zero ? zero : a;
        case JT_EQ: return a == b ? one : zero;
        case JT_NE: return a != b ? one : zero;
        case JT_LT: return a < b ? one : zero;
        case JT_LE: return a <= b ? one : zero;
        case JT_GT: return a > b ? one : zero;
        case JT_GE: return a >= b ? one : zero;
        case JT_LOGICAL_AND: return a != zero && b != zero ? one : zero;
        case JT_LOGICAL_OR: return a != zero || b != zero ? one : zero;
        default: return (a != zero) != (b != zero) ? one : zero; // JT_LOGICAL_XOR
    }
}

/* ScalarMath.powLong: by squaring; negative exponents give 0 except for bases 1 and -1. */
__device__ __forceinline__ i64 pow_long(i64 base, i64 exp) {
    if (exp < 0) {
        if (base == 1) return 1;
        if (base == -1) return (exp & 1) == 0 ? 1 : -1;
        return 0;
    }
    u64 result = 1, b = static_cast<u64>(base);
    while (exp > 0) {
        if (exp & 1) result *= b;
        b *= b;
        exp >>= 1;
    }
    return static_cast<i64>(result);
}

/* ScalarMath.binaryLong, wrapping as C integer arithmetic; integer x // 0 and x % 0 write 0 (the engine checks). */
__device__ __forceinline__ i64 binary_long(int op, i64 a, i64 b, i64 alpha) {
    u64 ua = static_cast<u64>(a), ub = static_cast<u64>(b), ual = static_cast<u64>(alpha);
    switch (op) {
        case JT_ADD: return static_cast<i64>(ua + ual * ub);
        case JT_SUB: return static_cast<i64>(ua - ual * ub);
        case JT_MUL: return static_cast<i64>(ua * ub);
        case JT_FLOOR_DIV: {
            if (b == 0) return 0;
            if (b == -1) return static_cast<i64>(0ULL - ua); // Math.floorDiv(MIN, -1) = MIN
            i64 q = a / b;
            if ((a % b != 0) && ((a ^ b) < 0)) q--;
            return q;
        }
        case JT_REMAINDER: {
            if (b == 0 || b == -1) return 0;
            i64 m = a % b;
            if (m != 0 && ((m ^ b) < 0)) m += b;
            return m;
        }
        case JT_POW: return pow_long(a, b);
        case JT_MAXIMUM: return a > b ? a : b;
        case JT_MINIMUM: return a < b ? a : b;
        case JT_THRESHOLD_BACKWARD: return b <= 0 ? 0 : a;
        case JT_EQ: return a == b;
        case JT_NE: return a != b;
        case JT_LT: return a < b;
        case JT_LE: return a <= b;
        case JT_GT: return a > b;
        case JT_GE: return a >= b;
        case JT_LOGICAL_AND: return a != 0 && b != 0;
        case JT_LOGICAL_OR: return a != 0 || b != 0;
        default: return (a != 0) != (b != 0); // JT_LOGICAL_XOR
    }
}

// ---------------- generic ----------------

__global__ void binary_float_kernel(bool contig, int op, int compute, float alpha, const __grid_constant__ jt_iter_plan p,
                                    void* out, int ot, const void* a, int at, const void* b, int bt) {
    bool pred = is_predicate(op);
    for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < p.numel; i += (i64) gridDim.x * blockDim.x) {
        i64 off[3];
        if (contig) { off[0] = p.offset[0] + i; off[1] = p.offset[1] + i; off[2] = p.offset[2] + i; }
        else plan_offsets<3>(p, i, off);
        float x = round_to_compute(compute, load_float(a, at, off[1]));
        float y = round_to_compute(compute, load_float(b, bt, off[2]));
        float r = binary_op<float>(op, x, y, alpha);
        if (!pred) r = round_to_compute(compute, r);
        store_float(out, ot, off[0], r);
    }
}

__global__ void binary_double_kernel(bool contig, int op, double alpha, const __grid_constant__ jt_iter_plan p,
                                     void* out, int ot, const void* a, int at, const void* b, int bt) {
    for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < p.numel; i += (i64) gridDim.x * blockDim.x) {
        i64 off[3];
        if (contig) { off[0] = p.offset[0] + i; off[1] = p.offset[1] + i; off[2] = p.offset[2] + i; }
        else plan_offsets<3>(p, i, off);
        store_double(out, ot, off[0], binary_op<double>(op, load_double(a, at, off[1]), load_double(b, bt, off[2]), alpha));
    }
}

__global__ void binary_long_kernel(bool contig, int op, i64 alpha, const __grid_constant__ jt_iter_plan p,
                                   void* out, int ot, const void* a, int at, const void* b, int bt) {
    for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < p.numel; i += (i64) gridDim.x * blockDim.x) {
        i64 off[3];
        if (contig) { off[0] = p.offset[0] + i; off[1] = p.offset[1] + i; off[2] = p.offset[2] + i; }
        else plan_offsets<3>(p, i, off);
        store_long(out, ot, off[0], binary_long(op, load_long(a, at, off[1]), load_long(b, bt, off[2]), alpha));
    }
}

// ---------------- contiguous float32 / float64 ----------------

struct AddOp { float alpha; __device__ float operator()(float a, float b) const { return a + alpha * b; } };
struct AddOne { __device__ float operator()(float a, float b) const { return a + b; } };
struct MulOp { __device__ float operator()(float a, float b) const { return a * b; } };
struct AnyOp {
    int op; float alpha;
    __device__ float operator()(float a, float b) const { return binary_op<float>(op, a, b, alpha); }
};

/* out[i] = f(a[i], b[i * BSTRIDE]) over n float32; VEC: out, a (and b when BSTRIDE = 1) 16-byte aligned. */
template <class F, bool VEC, int BSTRIDE>
__global__ void binary_f32_contig_kernel(F f, float* out, const float* a, const float* b, i64 n) {
    i64 start = blockIdx.x * (i64) blockDim.x + threadIdx.x, step = (i64) gridDim.x * blockDim.x;
    i64 done = 0;
    if (VEC) {
        i64 n4 = n / 4;
        const float4* a4 = reinterpret_cast<const float4*>(a);
        const float4* b4 = reinterpret_cast<const float4*>(b);
        float4* o4 = reinterpret_cast<float4*>(out);
        float s = BSTRIDE == 0 ? b[0] : 0.f;
        for (i64 i = start; i < n4; i += step) {
            float4 x = a4[i], y;
            if (BSTRIDE == 0) y = make_float4(s, s, s, s);
            else y = b4[i];
            x.x = f(x.x, y.x);
            x.y = f(x.y, y.y);
            x.z = f(x.z, y.z);
            x.w = f(x.w, y.w);
            o4[i] = x;
        }
        done = n4 * 4;
    }
    for (i64 i = done + start; i < n; i += step) out[i] = f(a[i], b[i * BSTRIDE]);
}

template <class F, int BSTRIDE>
int launch_f32(F f, float* out, const float* a, const float* b, i64 n, cudaStream_t stream) {
    uintptr_t al = reinterpret_cast<uintptr_t>(out) | reinterpret_cast<uintptr_t>(a);
    if (BSTRIDE == 1) al |= reinterpret_cast<uintptr_t>(b);
    if (al % 16 == 0) {
        binary_f32_contig_kernel<F, true, BSTRIDE><<<grid_for(n / 4 + 1), THREADS, 0, stream>>>(f, out, a, b, n);
    } else {
        binary_f32_contig_kernel<F, false, BSTRIDE><<<grid_for(n), THREADS, 0, stream>>>(f, out, a, b, n);
    }
    JT_RETURN_LAUNCH();
}

template <int BSTRIDE>
int binary_f32_contig(int op, float alpha, float* out, const float* a, const float* b, i64 n, cudaStream_t stream) {
    if (op == JT_ADD && alpha == 1.f) return launch_f32<AddOne, BSTRIDE>(AddOne{}, out, a, b, n, stream);
    if (op == JT_ADD) return launch_f32<AddOp, BSTRIDE>(AddOp{alpha}, out, a, b, n, stream);
    if (op == JT_MUL) return launch_f32<MulOp, BSTRIDE>(MulOp{}, out, a, b, n, stream);
    return launch_f32<AnyOp, BSTRIDE>(AnyOp{op, alpha}, out, a, b, n, stream);
}

__global__ void binary_f64_contig_kernel(int op, double alpha, double* out, const double* a, const double* b, int bstride, i64 n) {
    for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x)
        out[i] = binary_op<double>(op, a[i], b[i * bstride], alpha);
}

// ---------------- where ----------------

__global__ void where_kernel(const __grid_constant__ jt_iter_plan p, void* out, int ot, const void* c, int ct,
                             const void* a, int at, const void* b, int bt) {
    bool exact_ints = !is_floating(ot);
    for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < p.numel; i += (i64) gridDim.x * blockDim.x) {
        i64 off[4];
        plan_offsets<4>(p, i, off);
        bool cond = load_long(c, ct, off[1]) != 0;
        const void* src = cond ? a : b;
        int st = cond ? at : bt;
        i64 so = cond ? off[2] : off[3];
        if (exact_ints) store_long(out, ot, off[0], load_long(src, st, so));
        else store_double(out, ot, off[0], load_double(src, st, so));
    }
}

} // namespace

extern "C" int jt_binary(int op, int compute, double alpha, const jt_iter_plan* plan,
                         void* out, int out_type, const void* a, int a_type, const void* b, int b_type, void* stream_) {
    if (op < JT_ADD || op > JT_LOGICAL_XOR) return JT_ERR_BAD_OP;
    JT_CHECK_DTYPE(compute);
    JT_CHECK_DTYPE(out_type);
    JT_CHECK_DTYPE(a_type);
    JT_CHECK_DTYPE(b_type);
    if (plan == nullptr || plan->rank < 0 || plan->rank > JT_MAX_DIMS) return JT_ERR_BAD_RANK;
    if (plan->operands < 3) return JT_ERR_BAD_ARGUMENT;
    bool floating = is_floating(compute);
    if (!floating && (op == JT_DIV || op == JT_ATAN2)) return JT_ERR_BAD_OP; // floating results only
    bool logical = op == JT_LOGICAL_AND || op == JT_LOGICAL_OR || op == JT_LOGICAL_XOR;
    if (!floating && !logical && alpha != rint(alpha)) return JT_ERR_BAD_ARGUMENT; // integral alpha for integer tensors
    if (plan->numel == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    i64 n = plan->numel;

    bool same = out_type == compute && a_type == compute && b_type == compute;
    if (same && plan->rank == 1 && plan->strides[0] == 1 && plan->strides[JT_MAX_DIMS] == 1
            && (plan->strides[2 * JT_MAX_DIMS] == 1 || plan->strides[2 * JT_MAX_DIMS] == 0)) {
        bool bflat = plan->strides[2 * JT_MAX_DIMS] == 1;
        if (compute == JT_FLOAT32) {
            float* o = static_cast<float*>(out) + plan->offset[0];
            const float* x = static_cast<const float*>(a) + plan->offset[1];
            const float* y = static_cast<const float*>(b) + plan->offset[2];
            return bflat ? binary_f32_contig<1>(op, (float) alpha, o, x, y, n, stream)
                         : binary_f32_contig<0>(op, (float) alpha, o, x, y, n, stream);
        }
        if (compute == JT_FLOAT64) {
            binary_f64_contig_kernel<<<grid_for(n), THREADS, 0, stream>>>(op, alpha, static_cast<double*>(out) + plan->offset[0],
                    static_cast<const double*>(a) + plan->offset[1], static_cast<const double*>(b) + plan->offset[2], bflat ? 1 : 0, n);
            JT_RETURN_LAUNCH();
        }
    }
    unsigned grid = grid_for(n);
    const bool contig = plan->rank == 1 && plan->strides[0] == 1 && plan->strides[JT_MAX_DIMS] == 1
                        && plan->strides[2 * JT_MAX_DIMS] == 1;
    if (compute == JT_FLOAT64) {
        binary_double_kernel<<<grid, THREADS, 0, stream>>>(contig, op, alpha, *plan, out, out_type, a, a_type, b, b_type);
    } else if (floating) {
        binary_float_kernel<<<grid, THREADS, 0, stream>>>(contig, op, compute, (float) alpha, *plan, out, out_type, a, a_type, b, b_type);
    } else {
        binary_long_kernel<<<grid, THREADS, 0, stream>>>(contig, op, java_d2l(alpha), *plan, out, out_type, a, a_type, b, b_type);
    }
    JT_RETURN_LAUNCH();
}

extern "C" int jt_where(const jt_iter_plan* plan, void* out, int out_type, const void* cond, int cond_type,
                        const void* a, int a_type, const void* b, int b_type, void* stream) {
    JT_CHECK_DTYPE(out_type);
    JT_CHECK_DTYPE(cond_type);
    JT_CHECK_DTYPE(a_type);
    JT_CHECK_DTYPE(b_type);
    if (plan == nullptr || plan->rank < 0 || plan->rank > JT_MAX_DIMS) return JT_ERR_BAD_RANK;
    if (plan->operands < 4) return JT_ERR_BAD_ARGUMENT;
    if (plan->numel == 0) return 0;
    where_kernel<<<grid_for(plan->numel), THREADS, 0, static_cast<cudaStream_t>(stream)>>>(
            *plan, out, out_type, cond, cond_type, a, a_type, b, b_type);
    JT_RETURN_LAUNCH();
}
