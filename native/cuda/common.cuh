/*
 * Shared device helpers of the jtensor CUDA launchers: dtype sizes, element load/store with the
 * conversions of the CPU backend (dev.jtensor.backend.Elements), Java's max/min and double-to-long
 * rules, plan offset computation, grid sizing and warp/block reductions of small state structs.
 */
#ifndef JT_CUDA_COMMON_CUH
#define JT_CUDA_COMMON_CUH

#include <cuda_runtime.h>
#include <cuda_fp16.h>
#include <cuda_bf16.h>
#include <stdint.h>
#include <math.h>

#include "jtensor_cuda.h"

namespace jt {

typedef long long i64;
typedef unsigned long long u64;

#define JT_CHECK_DTYPE(t) \
    do { if (!::jt::valid_dtype(t)) return JT_ERR_BAD_DTYPE; } while (0)

/* Returns what a launch left behind (cudaGetLastError) as int. */
#define JT_RETURN_LAUNCH() return static_cast<int>(cudaGetLastError())

constexpr int THREADS = 256;
constexpr i64 MAX_BLOCKS = 65535LL * 4;
constexpr unsigned FULL_MASK = 0xffffffffu;

__host__ __device__ inline int dtype_size(int t) {
    switch (t) {
        case JT_FLOAT32: case JT_INT32: return 4;
        case JT_FLOAT64: case JT_INT64: return 8;
        case JT_FLOAT16: case JT_BFLOAT16: case JT_INT16: return 2;
        case JT_INT8: case JT_UINT8: case JT_BOOL: return 1;
        default: return 0;
    }
}

__host__ __device__ inline bool valid_dtype(int t) { return t >= JT_FLOAT32 && t <= JT_BOOL; }
__host__ __device__ inline bool is_floating(int t) { return t >= JT_FLOAT32 && t <= JT_BFLOAT16; }

/* Blocks for n work items of `per_block` each, capped (kernels loop grid-stride). */
inline unsigned grid_for(i64 n, i64 per_block = THREADS, i64 cap = MAX_BLOCKS) {
    i64 b = (n + per_block - 1) / per_block;
    if (b < 1) b = 1;
    if (b > cap) b = cap;
    return static_cast<unsigned>(b);
}

/* Java's (long) d: NaN -> 0, saturating at the int64 range (host side, for parameters). */
inline i64 java_d2l(double d) {
    if (d != d) return 0;
    if (d >= 9223372036854775807.0) return INT64_MAX;
    if (d <= -9223372036854775808.0) return INT64_MIN;
    return static_cast<i64>(d);
}

// ---------------- half types (bit patterns as Elements converts them) ----------------

__device__ __forceinline__ float bf16_bits_to_float(uint16_t b) { return __uint_as_float(static_cast<uint32_t>(b) << 16); }

/* float -> bfloat16 bits, round to nearest even, NaN -> 0x7fc0 (Elements.toBFloat16). */
__device__ __forceinline__ uint16_t float_to_bf16_bits(float f) {
    if (f != f) return 0x7fc0;
    uint32_t bits = __float_as_uint(f);
    return static_cast<uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

__device__ __forceinline__ float half_bits_to_float(uint16_t b) { return __half2float(__ushort_as_half(b)); }
__device__ __forceinline__ uint16_t float_to_half_bits(float f) { return __half_as_ushort(__float2half_rn(f)); }

/* v rounded to the precision of compute type `c` when that is float16/bfloat16 (CpuLoops.toCompute). */
__device__ __forceinline__ float round_to_compute(int c, float v) {
    if (c == JT_FLOAT16) return half_bits_to_float(float_to_half_bits(v));
    if (c == JT_BFLOAT16) return bf16_bits_to_float(float_to_bf16_bits(v));
    return v;
}

// ---------------- element loads ----------------
// Device float->integer casts (cvt.rzi) truncate toward zero, saturate and map NaN to 0: Java's (long) d.

__device__ __forceinline__ double load_double(const void* p, int t, i64 i) {
    switch (t) {
        case JT_FLOAT32: return static_cast<const float*>(p)[i];
        case JT_FLOAT64: return static_cast<const double*>(p)[i];
        case JT_FLOAT16: return half_bits_to_float(static_cast<const uint16_t*>(p)[i]);
        case JT_BFLOAT16: return bf16_bits_to_float(static_cast<const uint16_t*>(p)[i]);
        case JT_INT8: return static_cast<const int8_t*>(p)[i];
        case JT_UINT8: return static_cast<const uint8_t*>(p)[i];
        case JT_INT16: return static_cast<const int16_t*>(p)[i];
        case JT_INT32: return static_cast<const int32_t*>(p)[i];
        case JT_INT64: return static_cast<double>(static_cast<const i64*>(p)[i]);
        default: return static_cast<const uint8_t*>(p)[i] != 0 ? 1.0 : 0.0;
    }
}

/* The element as float (integers through double, as (float) (double) long in Java). */
__device__ __forceinline__ float load_float(const void* p, int t, i64 i) {
    switch (t) {
        case JT_FLOAT32: return static_cast<const float*>(p)[i];
        case JT_FLOAT16: return half_bits_to_float(static_cast<const uint16_t*>(p)[i]);
        case JT_BFLOAT16: return bf16_bits_to_float(static_cast<const uint16_t*>(p)[i]);
        default: return static_cast<float>(load_double(p, t, i));
    }
}

/* The element as int64: exact for integers, truncated toward zero for floats (Elements.getLong). */
__device__ __forceinline__ i64 load_long(const void* p, int t, i64 i) {
    switch (t) {
        case JT_INT8: return static_cast<const int8_t*>(p)[i];
        case JT_UINT8: return static_cast<const uint8_t*>(p)[i];
        case JT_INT16: return static_cast<const int16_t*>(p)[i];
        case JT_INT32: return static_cast<const int32_t*>(p)[i];
        case JT_INT64: return static_cast<const i64*>(p)[i];
        case JT_BOOL: return static_cast<const uint8_t*>(p)[i] != 0 ? 1 : 0;
        default: return static_cast<i64>(load_double(p, t, i));
    }
}

// ---------------- element stores ----------------

/* Stores v converted to t (Elements.setDouble: floats via float, ints via (long) then wrapping). */
__device__ __forceinline__ void store_double(void* p, int t, i64 i, double v) {
    switch (t) {
        case JT_FLOAT32: static_cast<float*>(p)[i] = static_cast<float>(v); break;
        case JT_FLOAT64: static_cast<double*>(p)[i] = v; break;
        case JT_FLOAT16: static_cast<uint16_t*>(p)[i] = float_to_half_bits(static_cast<float>(v)); break;
        case JT_BFLOAT16: static_cast<uint16_t*>(p)[i] = float_to_bf16_bits(static_cast<float>(v)); break;
        case JT_INT8: case JT_UINT8: static_cast<int8_t*>(p)[i] = static_cast<int8_t>(static_cast<i64>(v)); break;
        case JT_INT16: static_cast<int16_t*>(p)[i] = static_cast<int16_t>(static_cast<i64>(v)); break;
        case JT_INT32: static_cast<int32_t*>(p)[i] = static_cast<int32_t>(static_cast<i64>(v)); break;
        case JT_INT64: static_cast<i64*>(p)[i] = static_cast<i64>(v); break;
        default: static_cast<uint8_t*>(p)[i] = v != 0 ? 1 : 0; break;
    }
}

/* Stores a float-compute value (float -> double is exact, so this equals store_double((double) v)). */
__device__ __forceinline__ void store_float(void* p, int t, i64 i, float v) {
    switch (t) {
        case JT_FLOAT32: static_cast<float*>(p)[i] = v; break;
        case JT_FLOAT16: static_cast<uint16_t*>(p)[i] = float_to_half_bits(v); break;
        case JT_BFLOAT16: static_cast<uint16_t*>(p)[i] = float_to_bf16_bits(v); break;
        default: store_double(p, t, i, static_cast<double>(v)); break;
    }
}

/* Stores an integer value (Elements.setLong: ints wrap, floats through double). */
__device__ __forceinline__ void store_long(void* p, int t, i64 i, i64 v) {
    switch (t) {
        case JT_INT8: case JT_UINT8: static_cast<int8_t*>(p)[i] = static_cast<int8_t>(v); break;
        case JT_INT16: static_cast<int16_t*>(p)[i] = static_cast<int16_t>(v); break;
        case JT_INT32: static_cast<int32_t*>(p)[i] = static_cast<int32_t>(v); break;
        case JT_INT64: static_cast<i64*>(p)[i] = v; break;
        case JT_BOOL: static_cast<uint8_t*>(p)[i] = v != 0 ? 1 : 0; break;
        default: store_double(p, t, i, static_cast<double>(v)); break;
    }
}

template <class T> __device__ __forceinline__ T load_as(const void* p, int t, i64 i);
template <> __device__ __forceinline__ float load_as<float>(const void* p, int t, i64 i) { return load_float(p, t, i); }
template <> __device__ __forceinline__ double load_as<double>(const void* p, int t, i64 i) { return load_double(p, t, i); }
template <> __device__ __forceinline__ i64 load_as<i64>(const void* p, int t, i64 i) { return load_long(p, t, i); }

__device__ __forceinline__ void store_as(void* p, int t, i64 i, float v) { store_float(p, t, i, v); }
__device__ __forceinline__ void store_as(void* p, int t, i64 i, double v) { store_double(p, t, i, v); }
__device__ __forceinline__ void store_as(void* p, int t, i64 i, i64 v) { store_long(p, t, i, v); }

/* A raw element copy of `size` bytes (exact for every dtype). */
__device__ __forceinline__ void copy_element(void* dst, i64 di, const void* src, i64 si, int size) {
    switch (size) {
        case 1: static_cast<uint8_t*>(dst)[di] = static_cast<const uint8_t*>(src)[si]; break;
        case 2: static_cast<uint16_t*>(dst)[di] = static_cast<const uint16_t*>(src)[si]; break;
        case 4: static_cast<uint32_t*>(dst)[di] = static_cast<const uint32_t*>(src)[si]; break;
        default: static_cast<u64*>(dst)[di] = static_cast<const u64*>(src)[si]; break;
    }
}

// ---------------- Java's Math.max/min (NaN wins, -0 < +0) ----------------

template <class T> __host__ __device__ __forceinline__ T java_max(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0 && b == 0) return signbit(a) ? b : a;
    return a >= b ? a : b;
}

template <class T> __host__ __device__ __forceinline__ T java_min(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0 && b == 0) return signbit(a) ? a : b;
    return a <= b ? a : b;
}

// ---------------- index arithmetic ----------------

/* q = i / s, r = i % s for non-negative i and positive s, in 32 bits when both fit. */
__device__ __forceinline__ void divmod(i64 i, i64 s, i64& q, i64& r) {
    if (((i | s) >> 32) == 0) {
        uint32_t qq = static_cast<uint32_t>(i) / static_cast<uint32_t>(s);
        q = qq;
        r = i - static_cast<i64>(qq) * s;
    } else {
        q = i / s;
        r = i - q * s;
    }
}

/* Element offsets of operands 0..N-1 at linear (row-major) position i of the plan. */
template <int N>
__device__ __forceinline__ void plan_offsets(const jt_iter_plan& p, i64 i, i64 (&off)[N]) {
#pragma unroll
    for (int k = 0; k < N; k++) off[k] = p.offset[k];
    for (int d = p.rank - 1; d >= 0; d--) {
        i64 q, r;
        divmod(i, p.shape[d], q, r);
        i = q;
#pragma unroll
        for (int k = 0; k < N; k++) off[k] += r * p.strides[k * JT_MAX_DIMS + d];
    }
}

/* Offset of linear position i over (shape, strides) of `rank` dims, starting at `base`. */
__device__ __forceinline__ i64 unravel_offset(i64 base, int rank, const int64_t* shape, const int64_t* strides, i64 i) {
    for (int d = rank - 1; d >= 0; d--) {
        i64 q, r;
        divmod(i, shape[d], q, r);
        base += r * strides[d];
        i = q;
    }
    return base;
}

/* ReducePlan.base(o): the first input element of group o. */
__device__ __forceinline__ i64 plan_base(const jt_reduce_plan& p, i64 o) {
    return unravel_offset(p.offset, p.outer_rank, p.outer_shape, p.outer_strides, o);
}

/* Offset of element j (row-major over the inner dims) of the group starting at base. */
__device__ __forceinline__ i64 group_offset(const jt_reduce_plan& p, i64 base, i64 j) {
    if (p.inner_rank == 0) return base;
    if (p.inner_rank == 1) return base + j * p.inner_strides[0];
    return unravel_offset(base, p.inner_rank, p.inner_shape, p.inner_strides, j);
}

// ---------------- shuffles of small state structs ----------------

template <class S>
__device__ __forceinline__ S shfl_down_state(const S& v, int delta) {
    static_assert(sizeof(S) % 4 == 0, "state must be a whole number of words");
    constexpr int W = sizeof(S) / 4;
    union U { S s; int w[W]; __device__ U() {} };
    U in, out;
    in.s = v;
#pragma unroll
    for (int k = 0; k < W; k++) out.w[k] = __shfl_down_sync(FULL_MASK, in.w[k], delta);
    return out.s;
}

template <class S>
__device__ __forceinline__ S shfl_state(const S& v, int lane) {
    constexpr int W = sizeof(S) / 4;
    union U { S s; int w[W]; __device__ U() {} };
    U in, out;
    in.s = v;
#pragma unroll
    for (int k = 0; k < W; k++) out.w[k] = __shfl_sync(FULL_MASK, in.w[k], lane);
    return out.s;
}

/* A fixed-order tree over the warp (lane 0 ends with the result), broadcast from lane 0: deterministic. */
template <class S, class Merge>
__device__ __forceinline__ S warp_reduce(S v, Merge merge) {
#pragma unroll
    for (int d = 16; d > 0; d >>= 1) {
        S o = shfl_down_state(v, d);
        merge(v, o);
    }
    return shfl_state(v, 0);
}

/*
 * The block-wide fixed-order reduction (all threads of the block must call it); every thread gets the
 * result. `scratch` holds at least blockDim.x / 32 states.
 */
template <class S, class Merge>
__device__ __forceinline__ S block_reduce(S v, Merge merge, S* scratch) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    v = warp_reduce(v, merge);
    __syncthreads(); // scratch may still be read from a previous call
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    if (warp == 0) {
        S w = scratch[lane < warps ? lane : 0];
        // every lane shuffles; only lanes below `warps` are merged, in a fixed tree
#pragma unroll
        for (int d = 16; d > 0; d >>= 1) {
            S o = shfl_down_state(w, d);
            if (lane + d < warps) merge(w, o);
        }
        if (lane == 0) scratch[0] = w;
    }
    __syncthreads();
    return scratch[0];
}

/* The reduction over a group of G threads (a warp when G == 32, else the whole block); all get the result. */
template <int G, class S, class Merge>
__device__ __forceinline__ S group_reduce(S v, Merge merge, S* scratch) {
    if constexpr (G == 32) {
        return warp_reduce(v, merge);
    } else {
        return block_reduce(v, merge, scratch);
    }
}

} // namespace jt

#endif
