/*
 * A host emulation of the CUDA features native/cuda/conv.cu and attention.cu use, so that their kernels run on a
 * machine without a GPU (native/check-cuda-emulated.sh): each block runs as blockDim.x std::threads, one block at a
 * time; __syncthreads is a block barrier; warp shuffles go through per-thread slots between two warp barriers (a
 * shuffle that not all 32 lanes reach deadlocks, as it is undefined on a GPU); __shared__ arrays are statics and
 * dynamic shared memory one NaN-filled buffer per block; atomicAdd takes a lock. Launches (kernel<<<...>>>) are
 * rewritten into emu_launch by transform.py, and common.cuh's index and reduction helpers are appended by the
 * script (the namespace jt opened at the end of this file is closed there). It checks indexing, tiling, barriers
 * and arithmetic order (the host has no FMA, as -fmad=false); not timing, occupancy, or the device's math library.
 */
#pragma once
#include <barrier>
#include <thread>
#include <mutex>
#include <vector>
#include <functional>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <cstdint>
#include <cstdio>
#include <memory>
#include "jtensor_cuda.h"

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(x)
#define __grid_constant__
#define __shared__ static
using std::min; using std::max;
#include <math.h>

struct dim3 { unsigned x = 1, y = 1, z = 1; dim3() {} dim3(unsigned a) : x(a) {} };
typedef int cudaError_t;
typedef void* cudaStream_t;
constexpr int cudaSuccess = 0;
enum { cudaDevAttrMaxSharedMemoryPerBlockOptin = 97, cudaFuncAttributeMaxDynamicSharedMemorySize = 8 };

inline thread_local dim3 threadIdx, blockIdx;
inline dim3 blockDim, gridDim;

struct EmuBlock {
    std::unique_ptr<std::barrier<>> block;
    std::vector<std::unique_ptr<std::barrier<>>> warps;
    std::vector<uint64_t> slots; // per thread
    std::vector<float> smem;
};
inline EmuBlock emu_block;
inline std::mutex emu_atomic;
inline size_t emu_smem_limit = 48 * 1024;
inline float* emu_dynamic_smem() { return emu_block.smem.data(); }

inline void __syncthreads() { emu_block.block->arrive_and_wait(); }

template <class T> inline T emu_shfl(T v, int src_of_lane(int, int), int arg) {
    static_assert(sizeof(T) <= 8, "");
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    uint64_t bits = 0;
    memcpy(&bits, &v, sizeof(T));
    emu_block.slots[threadIdx.x] = bits;
    emu_block.warps[warp]->arrive_and_wait();
    int src = src_of_lane(lane, arg);
    uint64_t got = emu_block.slots[warp * 32 + src];
    emu_block.warps[warp]->arrive_and_wait();
    T r;
    memcpy(&r, &got, sizeof(T));
    return r;
}
inline int emu_idx(int, int s) { return s; }
inline int emu_xor(int l, int d) { return l ^ d; }
inline int emu_down(int l, int d) { return l + d < 32 ? l + d : l; }
template <class T> inline T __shfl_sync(unsigned, T v, int s) { return emu_shfl(v, emu_idx, s); }
template <class T> inline T __shfl_xor_sync(unsigned, T v, int d) { return emu_shfl(v, emu_xor, d); }
template <class T> inline T __shfl_down_sync(unsigned, T v, int d) { return emu_shfl(v, emu_down, d); }

template <class T> inline T atomicAdd(T* p, T v) { std::lock_guard<std::mutex> g(emu_atomic); T o = *p; *p = o + v; return o; }

inline int cudaGetLastError() { return 0; }
inline int cudaMemsetAsync(void* p, int v, size_t n, cudaStream_t) { memset(p, v, n); return 0; }
inline int cudaGetDevice(int* d) { *d = 0; return 0; }
inline int cudaDeviceGetAttribute(int* v, int, int) { *v = 227 * 1024; return 0; }
inline int cudaFuncSetAttribute(const void*, int, int bytes) { emu_smem_limit = bytes; return 0; }

inline void emu_launch(dim3 grid, dim3 block, size_t smem, cudaStream_t, const std::function<void()>& body) {
    if (smem > emu_smem_limit && smem > 48 * 1024) { fprintf(stderr, "EMU: %zu bytes of shared memory without opt-in\n", smem); abort(); }
    gridDim = grid;
    blockDim = block;
    for (unsigned b = 0; b < grid.x; b++) {
        emu_block.block = std::make_unique<std::barrier<>>(block.x);
        emu_block.warps.clear();
        for (unsigned w = 0; w < (block.x + 31) / 32; w++) emu_block.warps.push_back(std::make_unique<std::barrier<>>(32));
        emu_block.slots.assign(block.x, 0);
        emu_block.smem.assign(smem / 4 + 1, std::nanf(""));
        std::vector<std::thread> ts;
        for (unsigned t = 0; t < block.x; t++) ts.emplace_back([&, b, t] { blockIdx.x = b; threadIdx.x = t; body(); });
        for (auto& t : ts) t.join();
    }

}

// common.cuh's constants (its divmod and warp/block reductions are appended by check-cuda-emulated.sh)
namespace jt {
typedef long long i64;
typedef unsigned long long u64;
#define JT_RETURN_LAUNCH() return static_cast<int>(cudaGetLastError())
constexpr int THREADS = 256;
constexpr i64 MAX_BLOCKS = 65535LL * 4;
constexpr unsigned FULL_MASK = 0xffffffffu;
inline unsigned grid_for(i64 n, i64 per_block = THREADS, i64 cap = MAX_BLOCKS) {
    i64 b = (n + per_block - 1) / per_block;
    if (b < 1) b = 1;
    if (b > cap) b = cap;
    return static_cast<unsigned>(b);
}
