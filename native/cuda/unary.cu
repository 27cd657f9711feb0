/*
 * jt_unary: out = op(x) over an iteration plan, computed in float (float32/float16/bfloat16 compute,
 * rounding to the compute type's precision on load and on result), double, or int64 (integer and bool
 * compute types), as CpuLoops.unary and ScalarMath.unary/unaryLong define it.
 * Fast paths: the raw copy (IDENTITY with out, x and compute of one dtype) and float32/float64 ops over
 * contiguous operands (16-byte vector loads for float32 when aligned).
 */
#include "common.cuh"

namespace {
using namespace jt;

constexpr double SQRT_2 = 1.4142135623730951;
constexpr double SQRT_2_OVER_PI = 0.7978845608028654; // Math.sqrt(2 / Math.PI)

__host__ __device__ inline bool is_predicate(int op) { return op >= JT_ISNAN && op <= JT_LOGICAL_NOT; }

/* Kernels defined only for floating compute types (ScalarMath.unaryLong throws for them). */
inline bool floating_only(int op) {
    switch (op) {
        case JT_EXP: case JT_EXPM1: case JT_LOG: case JT_LOG1P: case JT_LOG2: case JT_SQRT: case JT_RSQRT:
        case JT_RECIPROCAL: case JT_SIN: case JT_COS: case JT_TAN: case JT_TANH: case JT_SIGMOID: case JT_ERF:
        case JT_GELU: case JT_GELU_TANH: case JT_SILU:
            return true;
        default:
            return false;
    }
}

/*
 * GELU and its tanh form in double for every compute type, as ScalarMath (in float, the rounding of
 * x / sqrt 2 alone is amplified by erf's slope to ~1e-6 relative near x = -3). Not inlined: one copy.
 */
__device__ __noinline__ double gelu(double x) { return 0.5 * x * (1 + erf(x / SQRT_2)); }
__device__ __noinline__ double gelu_tanh(double x) { return 0.5 * x * (1 + tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))); }

/* ScalarMath.unary in T (float or double); predicates give 1 or 0. */
template <class T>
__device__ __forceinline__ T unary_op(int op, T x, T p0, T p1, T p2) {
    const T one = 1, zero = 0;
    switch (op) {
        case JT_NEG: return -x;
        case JT_ABS: return fabs(x);
        case JT_SIGN: return x > zero ? one : x < zero ? -one : zero; // sign(NaN) = 0
        case JT_EXP: return exp(x);
        case JT_EXPM1: return expm1(x);
        case JT_LOG: return log(x);
        case JT_LOG1P: return log1p(x);
        case JT_LOG2: return log2(x);
        case JT_SQRT: return sqrt(x);
        case JT_RSQRT: return one / sqrt(x);
        case JT_SQUARE: return x * x;
        case JT_RECIPROCAL: return one / x;
        case JT_SIN: return sin(x);
        case JT_COS: return cos(x);
        case JT_TAN: return tan(x);
        case JT_TANH: return tanh(x);
        case JT_SIGMOID: return one / (one + exp(-x));
        case JT_RELU: return x <= zero ? zero : x; // NaN stays NaN
        case JT_ERF: return erf(x);
        case JT_GELU: return T(gelu(x));
        case JT_GELU_TANH: return T(gelu_tanh(x));
        case JT_SILU: return x / (one + exp(-x));
        case JT_FLOOR: return floor(x);
        case JT_CEIL: return ceil(x);
        case JT_ROUND: return rint(x); // half to even
        case JT_TRUNC: return trunc(x);
        case JT_CLAMP: {
            if (x != x) return x;
            T r = p0 == p0 ? java_max(x, p0) : x;
            return p1 == p1 ? java_min(r, p1) : r;
        }
        case JT_NAN_TO_NUM:
            return x != x ? p0 : (isinf(x) ? (x > zero ? p1 : p2) : x);
        case JT_ISNAN: return x != x ? one : zero;
        case JT_ISINF: return isinf(x) ? one : zero;
        case JT_ISFINITE: return isfinite(x) ? one : zero;
        case JT_LOGICAL_NOT: return x == zero ? one : zero;
        case JT_IDENTITY: return x;
        default: return p0; // JT_FILL
    }
}

/* Integer parameters of ScalarMath.unaryLong, converted on the host as Java's (long) casts. */
struct LongParams {
    i64 lo, hi, fill;
    int has_lo, has_hi;
};

__device__ __forceinline__ i64 unary_long(int op, i64 x, const LongParams& p) {
    switch (op) {
        case JT_NEG: return static_cast<i64>(0ULL - static_cast<u64>(x));
        case JT_ABS: return x < 0 ? static_cast<i64>(0ULL - static_cast<u64>(x)) : x;
        case JT_SIGN: return x > 0 ? 1 : x < 0 ? -1 : 0;
        case JT_SQUARE: return static_cast<i64>(static_cast<u64>(x) * static_cast<u64>(x));
        case JT_RELU: return x > 0 ? x : 0;
        case JT_CLAMP: {
            i64 r = p.has_lo && x < p.lo ? p.lo : x;
            return p.has_hi && r > p.hi ? p.hi : r;
        }
        case JT_ISNAN: case JT_ISINF: return 0;
        case JT_ISFINITE: return 1;
        case JT_LOGICAL_NOT: return x == 0 ? 1 : 0;
        case JT_FILL: return p.fill;
        default: return x; // FLOOR, CEIL, ROUND, TRUNC, NAN_TO_NUM, IDENTITY
    }
}

// ---------------- generic (any plan, any dtypes) ----------------

__global__ void unary_float_kernel(bool contig, int op, int compute, float p0, float p1, float p2, const __grid_constant__ jt_iter_plan p,
                                   void* out, int ot, const void* x, int xt) {
    bool pred = is_predicate(op), fill = op == JT_FILL;
    for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < p.numel; i += (i64) gridDim.x * blockDim.x) {
        i64 off[2];
        if (contig) { off[0] = p.offset[0] + i; off[1] = p.offset[1] + i; }
        else plan_offsets<2>(p, i, off);
        float v = fill ? 0.f : round_to_compute(compute, load_float(x, xt, off[1]));
        float r = unary_op<float>(op, v, p0, p1, p2);
        if (!pred) r = round_to_compute(compute, r);
        store_float(out, ot, off[0], r);
    }
}

__global__ void unary_double_kernel(bool contig, int op, double p0, double p1, double p2, const __grid_constant__ jt_iter_plan p,
                                    void* out, int ot, const void* x, int xt) {
    bool fill = op == JT_FILL;
    for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < p.numel; i += (i64) gridDim.x * blockDim.x) {
        i64 off[2];
        if (contig) { off[0] = p.offset[0] + i; off[1] = p.offset[1] + i; }
        else plan_offsets<2>(p, i, off);
        double v = fill ? 0.0 : load_double(x, xt, off[1]);
        store_double(out, ot, off[0], unary_op<double>(op, v, p0, p1, p2));
    }
}

__global__ void unary_long_kernel(bool contig, int op, LongParams lp, const __grid_constant__ jt_iter_plan p,
                                  void* out, int ot, const void* x, int xt) {
    bool fill = op == JT_FILL;
    for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < p.numel; i += (i64) gridDim.x * blockDim.x) {
        i64 off[2];
        if (contig) { off[0] = p.offset[0] + i; off[1] = p.offset[1] + i; }
        else plan_offsets<2>(p, i, off);
        i64 v = fill ? 0 : load_long(x, xt, off[1]);
        store_long(out, ot, off[0], unary_long(op, v, lp));
    }
}

/* The strided copy of one dtype: raw element bytes. */
__global__ void copy_strided_kernel(bool contig, const __grid_constant__ jt_iter_plan p, void* out, const void* x, int size) {
    for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < p.numel; i += (i64) gridDim.x * blockDim.x) {
        i64 off[2];
        if (contig) { off[0] = p.offset[0] + i; off[1] = p.offset[1] + i; }
        else plan_offsets<2>(p, i, off);
        copy_element(out, off[0], x, off[1], size);
    }
}

// ---------------- contiguous fast paths ----------------

/* bytes copied as V words, then the tail byte by byte (both pointers aligned to sizeof(V)). */
template <class V>
__global__ void copy_bytes_kernel(void* dst, const void* src, i64 bytes) {
    i64 nv = bytes / (i64) sizeof(V);
    i64 start = blockIdx.x * (i64) blockDim.x + threadIdx.x, step = (i64) gridDim.x * blockDim.x;
    const V* s = static_cast<const V*>(src);
    V* d = static_cast<V*>(dst);
    for (i64 i = start; i < nv; i += step) d[i] = s[i];
    for (i64 i = nv * (i64) sizeof(V) + start; i < bytes; i += step)
        static_cast<uint8_t*>(dst)[i] = static_cast<const uint8_t*>(src)[i];
}

template <class V>
int launch_copy_bytes(void* dst, const void* src, i64 bytes, cudaStream_t stream) {
    i64 nv = bytes / (i64) sizeof(V);
    copy_bytes_kernel<V><<<grid_for(nv > 0 ? nv : bytes), THREADS, 0, stream>>>(dst, src, bytes);
    JT_RETURN_LAUNCH();
}

int copy_bytes(void* dst, const void* src, i64 bytes, cudaStream_t stream) {
    uintptr_t a = reinterpret_cast<uintptr_t>(dst) | reinterpret_cast<uintptr_t>(src);
    if (a % 16 == 0) return launch_copy_bytes<uint4>(dst, src, bytes, stream);
    if (a % 8 == 0) return launch_copy_bytes<uint2>(dst, src, bytes, stream);
    if (a % 4 == 0) return launch_copy_bytes<uint32_t>(dst, src, bytes, stream);
    if (a % 2 == 0) return launch_copy_bytes<uint16_t>(dst, src, bytes, stream);
    return launch_copy_bytes<uint8_t>(dst, src, bytes, stream);
}

/* float32 op over n contiguous elements; VEC: both pointers 16-byte aligned, float4 loads. */
template <bool VEC>
__global__ void unary_f32_contig_kernel(int op, float p0, float p1, float p2, float* out, const float* x, i64 n) {
    i64 start = blockIdx.x * (i64) blockDim.x + threadIdx.x, step = (i64) gridDim.x * blockDim.x;
    i64 done = 0;
    if (VEC) {
        i64 n4 = n / 4;
        const float4* x4 = reinterpret_cast<const float4*>(x);
        float4* o4 = reinterpret_cast<float4*>(out);
        for (i64 i = start; i < n4; i += step) {
            float4 v = x4[i];
            v.x = unary_op<float>(op, v.x, p0, p1, p2);
            v.y = unary_op<float>(op, v.y, p0, p1, p2);
            v.z = unary_op<float>(op, v.z, p0, p1, p2);
            v.w = unary_op<float>(op, v.w, p0, p1, p2);
            o4[i] = v;
        }
        done = n4 * 4;
    }
    for (i64 i = done + start; i < n; i += step) out[i] = unary_op<float>(op, x[i], p0, p1, p2);
}

__global__ void unary_f64_contig_kernel(int op, double p0, double p1, double p2, double* out, const double* x, i64 n) {
    for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x)
        out[i] = unary_op<double>(op, x[i], p0, p1, p2);
}

// ---------------- contiguous casts between float32, float64, float16 and bfloat16 ----------------

struct Bf16 { uint16_t bits; };
struct F16 { uint16_t bits; };
__device__ __forceinline__ float to_float(float v) { return v; }
__device__ __forceinline__ float to_float(double v) { return (float) v; }
__device__ __forceinline__ float to_float(F16 v) { return half_bits_to_float(v.bits); }
__device__ __forceinline__ float to_float(Bf16 v) { return bf16_bits_to_float(v.bits); }
__device__ __forceinline__ double to_double(float v) { return v; }
__device__ __forceinline__ double to_double(F16 v) { return half_bits_to_float(v.bits); }
__device__ __forceinline__ double to_double(Bf16 v) { return bf16_bits_to_float(v.bits); }
template <class O> struct From;
template <> struct From<float> { template <class I> __device__ static float of(I v) { return to_float(v); } };
template <> struct From<double> { template <class I> __device__ static double of(I v) { return to_double(v); } };
template <> struct From<F16> { template <class I> __device__ static F16 of(I v) { return F16{float_to_half_bits(to_float(v))}; } };
template <> struct From<Bf16> { template <class I> __device__ static Bf16 of(I v) { return Bf16{float_to_bf16_bits(to_float(v))}; } };

/* out = x converted, n contiguous elements (IDENTITY with the output type as compute type: one rounding). */
template <class I, class O>
__global__ void cast_kernel(O* out, const I* x, i64 n) {
    for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < n; i += (i64) gridDim.x * blockDim.x) out[i] = From<O>::of(x[i]);
}

template <class I>
int cast_from(const I* x, void* out, int ot, i64 n, cudaStream_t stream) {
    unsigned grid = grid_for(n);
    switch (ot) {
        case JT_FLOAT32: cast_kernel<I, float><<<grid, THREADS, 0, stream>>>(static_cast<float*>(out), x, n); break;
        case JT_FLOAT64: cast_kernel<I, double><<<grid, THREADS, 0, stream>>>(static_cast<double*>(out), x, n); break;
        case JT_FLOAT16: cast_kernel<I, F16><<<grid, THREADS, 0, stream>>>(static_cast<F16*>(out), x, n); break;
        default: cast_kernel<I, Bf16><<<grid, THREADS, 0, stream>>>(static_cast<Bf16*>(out), x, n); break;
    }
    JT_RETURN_LAUNCH();
}

/* The float-to-float contiguous cast (out and x already offset); xt != ot, both floating. */
int cast_floats(const void* x, int xt, void* out, int ot, i64 n, cudaStream_t stream) {
    switch (xt) {
        case JT_FLOAT32: return cast_from(static_cast<const float*>(x), out, ot, n, stream);
        case JT_FLOAT64: return cast_from(static_cast<const double*>(x), out, ot, n, stream);
        case JT_FLOAT16: return cast_from(static_cast<const F16*>(x), out, ot, n, stream);
        default: return cast_from(static_cast<const Bf16*>(x), out, ot, n, stream);
    }
}

bool contiguous(const jt_iter_plan* p) {
    if (p->rank != 1) return false;
    for (int k = 0; k < p->operands; k++)
        if (p->strides[k * JT_MAX_DIMS] != 1) return false;
    return true;
}

} // namespace

extern "C" int jt_unary(int op, int compute, double p0, double p1, double p2, const jt_iter_plan* plan,
                        void* out, int out_type, const void* x, int x_type, void* stream_) {
    if (op < JT_NEG || op > JT_FILL) return JT_ERR_BAD_OP;
    JT_CHECK_DTYPE(compute);
    JT_CHECK_DTYPE(out_type);
    if (op != JT_FILL) JT_CHECK_DTYPE(x_type);
    if (plan == nullptr || plan->rank < 0 || plan->rank > JT_MAX_DIMS) return JT_ERR_BAD_RANK;
    if (plan->operands < 2 && op != JT_FILL) return JT_ERR_BAD_ARGUMENT;
    if (plan->numel == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    bool floating = is_floating(compute);
    if (!floating && floating_only(op)) return JT_ERR_BAD_OP;
    unsigned grid = grid_for(plan->numel);

    if (op == JT_IDENTITY && out_type == x_type && compute == x_type) {
        int size = dtype_size(x_type);
        if (contiguous(plan)) {
            const char* src = static_cast<const char*>(x) + plan->offset[1] * size;
            char* dst = static_cast<char*>(out) + plan->offset[0] * size;
            if (src == dst) return 0;
            return copy_bytes(dst, src, plan->numel * size, stream);
        }
        copy_strided_kernel<<<grid, THREADS, 0, stream>>>(false, *plan, out, x, size);
        JT_RETURN_LAUNCH();
    }
    const bool contig = contiguous(plan);
    if (op == JT_IDENTITY && contig && out_type == compute && is_floating(x_type) && is_floating(out_type)) {
        return cast_floats(static_cast<const char*>(x) + plan->offset[1] * dtype_size(x_type), x_type,
                           static_cast<char*>(out) + plan->offset[0] * dtype_size(out_type), out_type, plan->numel, stream);
    }
    if (op != JT_FILL && contig && out_type == compute && x_type == compute) {
        if (compute == JT_FLOAT32) {
            float* o = static_cast<float*>(out) + plan->offset[0];
            const float* xi = static_cast<const float*>(x) + plan->offset[1];
            bool vec = ((reinterpret_cast<uintptr_t>(o) | reinterpret_cast<uintptr_t>(xi)) % 16) == 0;
            if (vec) {
                unary_f32_contig_kernel<true><<<grid_for(plan->numel / 4 + 1), THREADS, 0, stream>>>(
                        op, (float) p0, (float) p1, (float) p2, o, xi, plan->numel);
            } else {
                unary_f32_contig_kernel<false><<<grid, THREADS, 0, stream>>>(op, (float) p0, (float) p1, (float) p2, o, xi, plan->numel);
            }
            JT_RETURN_LAUNCH();
        }
        if (compute == JT_FLOAT64) {
            unary_f64_contig_kernel<<<grid, THREADS, 0, stream>>>(op, p0, p1, p2, static_cast<double*>(out) + plan->offset[0],
                                                                  static_cast<const double*>(x) + plan->offset[1], plan->numel);
            JT_RETURN_LAUNCH();
        }
    }
    if (compute == JT_FLOAT64) {
        unary_double_kernel<<<grid, THREADS, 0, stream>>>(contig, op, p0, p1, p2, *plan, out, out_type, x, x_type);
    } else if (floating) {
        unary_float_kernel<<<grid, THREADS, 0, stream>>>(contig, op, compute, (float) p0, (float) p1, (float) p2,
                                                         *plan, out, out_type, x, x_type);
    } else {
        LongParams lp;
        lp.has_lo = p0 == p0;
        lp.has_hi = p1 == p1;
        lp.lo = java_d2l(p0);
        lp.hi = java_d2l(p1);
        lp.fill = java_d2l(p0);
        unary_long_kernel<<<grid, THREADS, 0, stream>>>(contig, op, lp, *plan, out, out_type, x, x_type);
    }
    JT_RETURN_LAUNCH();
}
