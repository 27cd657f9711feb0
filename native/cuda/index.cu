/*
 * Indexing launchers (CpuIndexing): gather, scatter (assign, fill or atomic accumulate) and masked_fill
 * (take and put are a gather and a scatter over a tensor's elements as one row: Backend's derived verbs). Index values
 * are read only here, on the device: each is checked against the size of the dim it addresses (0 <= v < size, the
 * CPU kernels' rule; the op layer wraps negative values before), a bad one skips its element and the first such
 * value of this device (value, dim, size) is kept in a device-global record, which jt_cuda_take_index_error reads
 * and clears at the engine's next synchronization (as PyTorch's device-side asserts, without trapping the context).
 * Copies move raw element bytes;
 * accumulation adds in double for floating dtypes (rounding once to the dtype, as the CPU's
 * getDouble + getDouble -> setDouble) and wraps in int64 for integer ones; bool accumulates as OR.
 */
#include "common.cuh"

#include <mutex>

namespace {
using namespace jt;

bool valid_layout(const jt_layout* l) { return l != nullptr && l->rank >= 0 && l->rank <= JT_MAX_DIMS; }

/* The first out-of-range index value a kernel of this device met (flag 0: none); one per device context. */
struct IndexError {
    unsigned long long flag;
    long long value, dim, size;
};
__device__ IndexError g_index_error;
__device__ IndexError g_index_error_taken; // where a take moves the record (then cleared), for the host to read

/* Moves the record to g_index_error_taken and clears it, in stream order: no kernel's record falls between. */
__global__ void take_index_error_kernel() {
    g_index_error_taken = g_index_error;
    g_index_error = IndexError{};
}

std::mutex take_lock;

/* Whether 0 <= v < size; when not, records (v, dim, size) unless an earlier error is recorded (first writer wins). */
__device__ __forceinline__ bool index_in_range(i64 v, int dim, i64 size) {
    if (v >= 0 && v < size) return true;
    if (atomicCAS(&g_index_error.flag, 0ull, 1ull) == 0ull) {
        g_index_error.value = v; // read by the host only after the kernel completed (a synchronization)
        g_index_error.dim = dim;
        g_index_error.size = size;
    }
    return false;
}

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
    for (i64 k = blockIdx.x * (i64) blockDim.x + threadIdx.x; k < is.numel; k += (i64) gridDim.x * blockDim.x) {
        i64 v = index[k];
        if (index_in_range(v, dim, xl.shape[dim])) copy_element(out, k, x, position_offset(is, xl, k, dim, v), size);
    }
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
        i64 v = index[k];
        if (!index_in_range(v, dim, ol.shape[dim])) continue;
        i64 o = position_offset(is, ol, k, dim, v);
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

extern "C" int jt_cuda_take_index_error(int device, void* stream, int only_if_idle, int64_t* record, int* found) {
    if (record == nullptr || found == nullptr) return JT_ERR_BAD_ARGUMENT;
    *found = 0;
    cudaError_t e = cudaSetDevice(device);
    if (e != cudaSuccess) return static_cast<int>(e);
    cudaStream_t s = static_cast<cudaStream_t>(stream);
    if (only_if_idle) {
        e = cudaStreamQuery(s);
        if (e == cudaErrorNotReady) { (void) cudaGetLastError(); return 0; } // not an error: the next take reports it
        if (e != cudaSuccess) return static_cast<int>(e);
    }
    IndexError r{};
    {   // the take and its copy back, adjacent among the takes of all threads: no take reads another's
        std::lock_guard<std::mutex> hold(take_lock);
        take_index_error_kernel<<<1, 1, 0, s>>>();
        e = cudaGetLastError();
        if (e == cudaSuccess) e = cudaMemcpyFromSymbolAsync(&r, g_index_error_taken, sizeof r, 0, cudaMemcpyDeviceToHost, s);
        if (e == cudaSuccess) e = cudaStreamSynchronize(s);
    }
    if (e != cudaSuccess) return static_cast<int>(e);
    if (r.flag != 0) {
        record[0] = r.value;
        record[1] = r.dim;
        record[2] = r.size;
        *found = 1;
    }
    return 0;
}
