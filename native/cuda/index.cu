/*
 * Indexing launchers (CpuIndexing): gather, scatter (assign, fill or atomic accumulate) and masked_fill
 * (take and put are a gather and a scatter over a tensor's elements as one row: Backend's derived verbs). Index values arrive range-checked by the engine. Copies move raw element bytes;
 * accumulation adds in double for floating dtypes (rounding once to the dtype, as the CPU's
 * getDouble + getDouble -> setDouble) and wraps in int64 for integer ones; bool accumulates as OR.
 */
#include "common.cuh"

namespace {
using namespace jt;

bool valid_layout(const jt_layout* l) { return l != nullptr && l->rank >= 0 && l->rank <= JT_MAX_DIMS; }

/* Offset of linear position k over `shape` (row-major) in layout l, with dim `dim` replaced by `at`. */
__device__ __forceinline__ i64 position_offset(const jt_layout& shape, const jt_layout& l, i64 k, int dim, i64 at) {
    i64 off = l.offset;
    for (int d = shape.rank - 1; d >= 0; d--) {
        i64 q, r;
        divmod(k, shape.shape[d], q, r);
        k = q;
        off += (d == dim ? at : r) * l.strides[d];
    }
    return off;
}

__global__ void gather_kernel(const void* x, int size, const __grid_constant__ jt_layout xl, int dim, const i64* index,
                              const __grid_constant__ jt_layout is, void* out) {
    for (i64 k = blockIdx.x * (i64) blockDim.x + threadIdx.x; k < is.numel; k += (i64) gridDim.x * blockDim.x)
        copy_element(out, k, x, position_offset(is, xl, k, dim, index[k]), size);
}

// ---------------- atomic accumulation per dtype ----------------

/* dst (a 1- or 2-byte element) = f(old), by CAS on the aligned 32-bit word holding it. */
template <class F>
__device__ __forceinline__ void cas_narrow(void* dst, int size, F f) {
    uintptr_t addr = reinterpret_cast<uintptr_t>(dst);
    unsigned int* word = reinterpret_cast<unsigned int*>(addr & ~uintptr_t(3));
    unsigned shift = static_cast<unsigned>(addr & 3) * 8;
    unsigned mask = (size == 1 ? 0xffu : 0xffffu) << shift;
    unsigned old = *word, assumed;
    do {
        assumed = old;
        unsigned cur = (assumed & mask) >> shift;
        unsigned next = f(cur) & (size == 1 ? 0xffu : 0xffffu);
        old = atomicCAS(word, assumed, (assumed & ~mask) | (next << shift));
    } while (old != assumed);
}

__device__ void atomic_accumulate(void* out, int t, i64 o, const void* src, i64 s) {
    switch (t) {
        case JT_FLOAT32: atomicAdd(static_cast<float*>(out) + o, static_cast<const float*>(src)[s]); break;
        case JT_FLOAT64: atomicAdd(static_cast<double*>(out) + o, static_cast<const double*>(src)[s]); break;
        case JT_INT32: atomicAdd(static_cast<int*>(out) + o, static_cast<const int*>(src)[s]); break;
        case JT_INT64:
            atomicAdd(reinterpret_cast<unsigned long long*>(out) + o, static_cast<const unsigned long long*>(src)[s]);
            break;
        case JT_FLOAT16: {
            float add = half_bits_to_float(static_cast<const uint16_t*>(src)[s]);
            cas_narrow(static_cast<uint16_t*>(out) + o, 2, [add](unsigned cur) {
                double sum = (double) half_bits_to_float((uint16_t) cur) + (double) add;
                return (unsigned) float_to_half_bits((float) sum);
            });
            break;
        }
        case JT_BFLOAT16: {
            float add = bf16_bits_to_float(static_cast<const uint16_t*>(src)[s]);
            cas_narrow(static_cast<uint16_t*>(out) + o, 2, [add](unsigned cur) {
                double sum = (double) bf16_bits_to_float((uint16_t) cur) + (double) add;
                return (unsigned) float_to_bf16_bits((float) sum);
            });
            break;
        }
        case JT_INT16: {
            unsigned add = static_cast<const uint16_t*>(src)[s];
            cas_narrow(static_cast<uint16_t*>(out) + o, 2, [add](unsigned cur) { return cur + add; });
            break;
        }
        case JT_INT8:
        case JT_UINT8: {
            unsigned add = static_cast<const uint8_t*>(src)[s];
            cas_narrow(static_cast<uint8_t*>(out) + o, 1, [add](unsigned cur) { return cur + add; });
            break;
        }
        default: { // JT_BOOL: (old + src) != 0
            if (static_cast<const uint8_t*>(src)[s] != 0)
                cas_narrow(static_cast<uint8_t*>(out) + o, 1, [](unsigned) { return 1u; });
            else
                cas_narrow(static_cast<uint8_t*>(out) + o, 1, [](unsigned cur) { return cur != 0 ? 1u : 0u; });
            break;
        }
    }
}

__global__ void scatter_kernel(void* out, int t, const __grid_constant__ jt_layout ol, int dim, const i64* index,
                               const __grid_constant__ jt_layout is, const void* src, const __grid_constant__ jt_layout sl,
                               double value, int accumulate) {
    int size = dtype_size(t);
    for (i64 k = blockIdx.x * (i64) blockDim.x + threadIdx.x; k < is.numel; k += (i64) gridDim.x * blockDim.x) {
        i64 o = position_offset(is, ol, k, dim, index[k]);
        if (src == nullptr) {
            store_double(out, t, o, value);
        } else {
            i64 s = position_offset(is, sl, k, -1, 0);
            if (accumulate) atomic_accumulate(out, t, o, src, s);
            else copy_element(out, o, src, s, size);
        }
    }
}

__global__ void masked_fill_kernel(void* x, int t, const __grid_constant__ jt_layout xl, const uint8_t* mask,
                                   const __grid_constant__ jt_layout ml, double value) {
    for (i64 k = blockIdx.x * (i64) blockDim.x + threadIdx.x; k < xl.numel; k += (i64) gridDim.x * blockDim.x) {
        if (mask[position_offset(xl, ml, k, -1, 0)] != 0) store_double(x, t, position_offset(xl, xl, k, -1, 0), value);
    }
}

} // namespace

extern "C" int jt_gather(const void* x, int type, const jt_layout* x_layout, int dim, const int64_t* index,
                         const jt_layout* index_shape, void* out, void* stream) {
    JT_CHECK_DTYPE(type);
    if (!valid_layout(x_layout) || !valid_layout(index_shape) || index_shape->rank != x_layout->rank) return JT_ERR_BAD_RANK;
    if (index_shape->numel == 0) return 0;
    if (dim < 0 || dim >= x_layout->rank) return JT_ERR_BAD_ARGUMENT;
    gather_kernel<<<grid_for(index_shape->numel), THREADS, 0, static_cast<cudaStream_t>(stream)>>>(
            x, dtype_size(type), *x_layout, dim, reinterpret_cast<const i64*>(index), *index_shape, out);
    JT_RETURN_LAUNCH();
}

extern "C" int jt_scatter(void* out, int type, const jt_layout* out_layout, int dim, const int64_t* index,
                          const jt_layout* index_shape, const void* src, const jt_layout* src_layout, double value,
                          int accumulate, void* stream) {
    JT_CHECK_DTYPE(type);
    if (!valid_layout(out_layout) || !valid_layout(index_shape) || index_shape->rank != out_layout->rank) return JT_ERR_BAD_RANK;
    if (src != nullptr && (!valid_layout(src_layout) || src_layout->rank != out_layout->rank)) return JT_ERR_BAD_RANK;
    if (index_shape->numel == 0) return 0;
    if (dim < 0 || dim >= out_layout->rank) return JT_ERR_BAD_ARGUMENT;
    jt_layout sl = src != nullptr ? *src_layout : *out_layout; // unread when src is NULL
    scatter_kernel<<<grid_for(index_shape->numel), THREADS, 0, static_cast<cudaStream_t>(stream)>>>(
            out, type, *out_layout, dim, reinterpret_cast<const i64*>(index), *index_shape, src, sl, value, accumulate);
    JT_RETURN_LAUNCH();
}

extern "C" int jt_masked_fill(void* x, int type, const jt_layout* x_layout, const void* mask, const jt_layout* mask_layout,
                              double value, void* stream) {
    JT_CHECK_DTYPE(type);
    if (!valid_layout(x_layout) || !valid_layout(mask_layout) || mask_layout->rank != x_layout->rank) return JT_ERR_BAD_RANK;
    if (x_layout->numel == 0) return 0;
    masked_fill_kernel<<<grid_for(x_layout->numel), THREADS, 0, static_cast<cudaStream_t>(stream)>>>(
            x, type, *x_layout, static_cast<const uint8_t*>(mask), *mask_layout, value);
    JT_RETURN_LAUNCH();
}
