/*
 * jt_softmax: softmax or log-softmax of every line (CpuSoftmax.normalizeRow): shifted by the line max
 * (NaN propagates; an all -inf line shifts by 0, so softmax gives NaN as PyTorch), computed in float for
 * float32/float16/bfloat16 and in double for float64. One block per line for long lines, one warp per
 * line for short ones; the max and the sum are fixed-order tree reductions.
 */
#include "common.cuh"

namespace {
using namespace jt;

/* The line max where a NaN wins. */
template <class T>
__device__ __forceinline__ T nan_max(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    return b > a ? b : a;
}

/*
 * G threads per line (a warp, or the whole block). CACHE (block per line only): the line is read from
 * memory once into dynamic shared memory, and the max, the sum and the output are computed from there.
 */
template <class T, int G, bool CACHE>
__global__ void __launch_bounds__(THREADS) softmax_kernel(int log_, const void* in, int type, const __grid_constant__ jt_reduce_plan p,
                                                          i64 length, i64 in_stride, i64 after, void* out) {
    __shared__ T scratch[THREADS / 32];
    extern __shared__ unsigned char line_bytes[];
    T* line = reinterpret_cast<T*>(line_bytes);
    constexpr int GPB = THREADS / G;
    const int sub = threadIdx.x / G, lane = threadIdx.x % G;
    for (i64 o0 = blockIdx.x * (i64) GPB; o0 < p.output_count; o0 += (i64) gridDim.x * GPB) {
        i64 o = o0 + sub;
        bool active = o < p.output_count;
        i64 base = active ? plan_base(p, o) : 0, n = active ? length : 0;
        i64 first = active ? (o / after) * length * after + (o % after) : 0;
        auto x = [&](i64 k) -> T { return CACHE ? line[k] : load_as<T>(in, type, base + k * in_stride); };

        T m = T(-INFINITY);
        for (i64 k = lane; k < n; k += G) {
            T v = load_as<T>(in, type, base + k * in_stride);
            if (CACHE) line[k] = v;
            m = nan_max(m, v);
        }
        m = group_reduce<G>(m, [](T& a, const T& b) { a = nan_max(a, b); }, scratch);
        if (m == T(-INFINITY)) m = 0; // all -inf: exp gives 0s, the sum 0, the result NaN

        T s = 0;
        for (i64 k = lane; k < n; k += G) s += exp(x(k) - m);
        s = group_reduce<G>(s, [](T& a, const T& b) { a += b; }, scratch);

        if (log_) {
            T shift = m + log(s);
            for (i64 k = lane; k < n; k += G) store_as(out, type, first + k * after, x(k) - shift);
        } else {
            T inv = T(1) / s;
            for (i64 k = lane; k < n; k += G) store_as(out, type, first + k * after, exp(x(k) - m) * inv);
        }
        if (CACHE) __syncthreads(); // the next line overwrites the cache
    }
}

constexpr i64 CACHE_BYTES = 48 * 1024; // dynamic shared memory without an opt-in

template <class T>
void launch(int log_, const void* in, int type, const jt_reduce_plan* p, i64 length, i64 in_stride, i64 after, void* out,
            cudaStream_t stream) {
    if (length > 256) {
        unsigned grid = grid_for(p->output_count, 1);
        if (length * (i64) sizeof(T) <= CACHE_BYTES) {
            softmax_kernel<T, THREADS, true><<<grid, THREADS, length * sizeof(T), stream>>>(log_, in, type, *p, length, in_stride,
                                                                                            after, out);
        } else {
            softmax_kernel<T, THREADS, false><<<grid, THREADS, 0, stream>>>(log_, in, type, *p, length, in_stride, after, out);
        }
    } else {
        softmax_kernel<T, 32, false><<<grid_for(p->output_count, THREADS / 32), THREADS, 0, stream>>>(log_, in, type, *p, length,
                                                                                                    in_stride, after, out);
    }
}

} // namespace

extern "C" int jt_softmax(int log, const void* in, int type, const jt_reduce_plan* plan, int64_t length, int64_t in_stride,
                          int64_t after, void* out, void* stream_) {
    JT_CHECK_DTYPE(type);
    if (!is_floating(type)) return JT_ERR_BAD_DTYPE;
    if (plan == nullptr || plan->outer_rank < 0 || plan->outer_rank > JT_MAX_DIMS || plan->inner_rank < 0
            || plan->inner_rank > JT_MAX_DIMS) return JT_ERR_BAD_RANK;
    if (plan->output_count == 0 || length == 0) return 0;
    if (length < 0 || after <= 0) return JT_ERR_BAD_ARGUMENT;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    if (type == JT_FLOAT64) launch<double>(log, in, type, plan, length, in_stride, after, out, stream);
    else launch<float>(log, in, type, plan, length, in_stride, after, out, stream);
    JT_RETURN_LAUNCH();
}
