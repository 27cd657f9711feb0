/*
 * Random numbers on the device: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
 * the generator behind PyTorch's and cuRAND's CUDA streams), keyed by the generator's seed and addressed by a
 * counter, so every thread computes its own block of four 32-bit words with no state to share. See
 * jt_random in jtensor_cuda.h for which counter each element uses.
 */
#include "common.cuh"

namespace {
using namespace jt;

struct Words { uint32_t w[4]; };

__device__ __forceinline__ Words philox(uint64_t counter, uint64_t seed) {
    uint32_t c0 = (uint32_t) counter, c1 = (uint32_t) (counter >> 32), c2 = 0, c3 = 0;
    uint32_t k0 = (uint32_t) seed, k1 = (uint32_t) (seed >> 32);
#pragma unroll
    for (int r = 0; r < 10; r++) {
        uint32_t hi0 = __umulhi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
        uint32_t hi1 = __umulhi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
        uint32_t n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
        c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    return Words{{c0, c1, c2, c3}};
}

/* [0, 1) from 24 bits (float) or 53 bits (double), as PyTorch's uniform transformations. */
__device__ __forceinline__ float unit_float(uint32_t x) { return (float) (x >> 8) * (1.0f / 16777216.0f); }
__device__ __forceinline__ double unit_double(uint32_t hi, uint32_t lo) {
    uint64_t x = ((uint64_t) hi << 32 | lo) >> 11;
    return (double) x * (1.0 / 9007199254740992.0);
}

/* Four float-precision values per counter (uniform or normal). */
__global__ void random_float_kernel(int dist, int type, i64 n, void* out, uint64_t seed, uint64_t offset, float a, float b) {
    i64 blocks = (n + 3) / 4;
    for (i64 k = blockIdx.x * (i64) blockDim.x + threadIdx.x; k < blocks; k += (i64) gridDim.x * blockDim.x) {
        Words w = philox(offset + (uint64_t) k, seed);
        float v[4];
        if (dist == 0) {
#pragma unroll
            for (int j = 0; j < 4; j++) v[j] = a + unit_float(w.w[j]) * (b - a);
        } else {
#pragma unroll
            for (int j = 0; j < 4; j += 2) { // Box-Muller: 1 - u avoids log(0)
                float u1 = 1.0f - unit_float(w.w[j]), u2 = unit_float(w.w[j + 1]);
                float r = sqrtf(-2.0f * logf(u1)), th = 6.2831853071795864f * u2;
                v[j] = r * cosf(th) * b + a;
                v[j + 1] = r * sinf(th) * b + a;
            }
        }
#pragma unroll
        for (int j = 0; j < 4; j++) {
            i64 i = 4 * k + j;
            if (i < n) store_float(out, type, i, v[j]);
        }
    }
}

/* Two double-precision values (or 64-bit integers) per counter. */
__global__ void random_double_kernel(int dist, int type, i64 n, void* out, uint64_t seed, uint64_t offset, double a, double b) {
    i64 pairs = (n + 1) / 2;
    for (i64 k = blockIdx.x * (i64) blockDim.x + threadIdx.x; k < pairs; k += (i64) gridDim.x * blockDim.x) {
        Words w = philox(offset + (uint64_t) k, seed);
        double v[2];
        if (dist == 0) {
            v[0] = a + unit_double(w.w[0], w.w[1]) * (b - a);
            v[1] = a + unit_double(w.w[2], w.w[3]) * (b - a);
        } else if (dist == 1) {
            double u1 = 1.0 - unit_double(w.w[0], w.w[1]), u2 = unit_double(w.w[2], w.w[3]);
            double r = sqrt(-2.0 * log(u1)), th = 6.283185307179586 * u2;
            v[0] = r * cos(th) * b + a;
            v[1] = r * sin(th) * b + a;
        }
#pragma unroll
        for (int j = 0; j < 2; j++) {
            i64 i = 2 * k + j;
            if (i >= n) continue;
            if (dist == 2) {
                uint64_t r = (uint64_t) w.w[2 * j] << 32 | w.w[2 * j + 1];
                uint64_t range = (uint64_t) ((i64) b - (i64) a);
                store_long(out, type, i, (i64) a + (i64) (r % range));
            } else {
                store_double(out, type, i, v[j]);
            }
        }
    }
}

} // namespace

extern "C" int jt_random(int dist, int type, int64_t n, void* out, uint64_t seed, uint64_t offset, double a, double b, void* stream) {
    if (type < JT_FLOAT32 || type > JT_BOOL) return JT_ERR_BAD_DTYPE;
    if (dist < 0 || dist > 2) return JT_ERR_BAD_OP;
    bool floating = type == JT_FLOAT32 || type == JT_FLOAT64 || type == JT_FLOAT16 || type == JT_BFLOAT16;
    if (dist != 2 && !floating) return JT_ERR_BAD_DTYPE;
    if (dist == 2 && !(b > a)) return JT_ERR_BAD_ARGUMENT;
    if (n < 0 || (n > 0 && out == nullptr)) return JT_ERR_BAD_ARGUMENT;
    if (n == 0) return 0;
    cudaStream_t s = static_cast<cudaStream_t>(stream);
    if (dist != 2 && type != JT_FLOAT64) {
        random_float_kernel<<<jt::grid_for((n + 3) / 4), jt::THREADS, 0, s>>>(dist, type, n, out, seed, offset, (float) a, (float) b);
    } else {
        random_double_kernel<<<jt::grid_for((n + 1) / 2), jt::THREADS, 0, s>>>(dist, type, n, out, seed, offset, a, b);
    }
    JT_RETURN_LAUNCH();
}
