/*
 * Shared by the native/cpu C files: the ISA clones and the vector types.
 *
 * JT_CLONES makes gcc compile a function three times (x86-64-v4 = AVX-512, x86-64-v3 = AVX2 + FMA,
 * baseline x86-64 = SSE2) and pick one at load time (an ifunc resolver using cpuid). Building with
 * -DJT_NO_CLONES compiles one version for the -march given instead: native/build-cpu.sh does that three
 * times for the selftest, which checks that every ISA gives the same bits.
 *
 * Bit-identical across ISAs by construction: the kernels compute on GCC vector-extension types of a fixed
 * width (16 float32 or 8 float64 lanes, 64 bytes), which gcc lowers to one zmm, two ymm or four xmm
 * operations per lane group, with the same lane-wise IEEE operations; no reduction is left to the
 * compiler's choice (-ffp-contract=off, no -ffast-math), and lanes are combined in written, fixed orders.
 */
#ifndef JT_CPU_COMMON_H
#define JT_CPU_COMMON_H

#include <stdint.h>
#include <string.h>
#include "jtensor_cpu.h"

#ifdef JT_NO_CLONES
#define JT_CLONES
#else
#define JT_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif

/* Helpers are always inlined: a called, non-inlined helper would be compiled for the baseline ISA only. */
#define JT_INLINE static inline __attribute__((always_inline))

/* 64-byte vectors, loadable from any 4-byte (8-byte) aligned address. */
typedef float vf32 __attribute__((vector_size(64), aligned(4)));
typedef double vf64 __attribute__((vector_size(64), aligned(8)));
typedef int32_t vi32 __attribute__((vector_size(64), aligned(4)));
typedef int64_t vi64 __attribute__((vector_size(64), aligned(8)));

#define VF32_LANES 16
#define VF64_LANES 8

JT_INLINE vf32 load_f32(const float *p) { return *(const vf32 *) p; }
JT_INLINE void store_f32(float *p, vf32 v) { *(vf32 *) p = v; }
JT_INLINE vf64 load_f64(const double *p) { return *(const vf64 *) p; }
JT_INLINE void store_f64(double *p, vf64 v) { *(vf64 *) p = v; }

JT_INLINE vf32 splat_f32(float x) {
    vf32 v = {x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x};
    return v;
}

JT_INLINE vf64 splat_f64(double x) {
    vf64 v = {x, x, x, x, x, x, x, x};
    return v;
}

/* Lane sums in a fixed pairwise order (lane j + lane j + 8, then + 4, + 2, + 1). */
JT_INLINE float lanes_sum_f32(vf32 v) {
    float a[16];
    memcpy(a, &v, sizeof a);
    for (int w = 8; w >= 1; w >>= 1)
        for (int j = 0; j < w; j++) a[j] = a[j] + a[j + w];
    return a[0];
}

JT_INLINE double lanes_sum_f64(vf64 v) {
    double a[8];
    memcpy(a, &v, sizeof a);
    for (int w = 4; w >= 1; w >>= 1)
        for (int j = 0; j < w; j++) a[j] = a[j] + a[j + w];
    return a[0];
}

#endif
