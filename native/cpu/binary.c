/*
 * jt_cpu_binary_f32/f64 (jtensor_cpu.h): out = a (op) b over a range, b contiguous or one broadcast
 * element. The formulas are those of the Java loops (CpuFloatLoops, ScalarMath): a + alpha * b and
 * a - alpha * b round the product, then the sum; no fma (-ffp-contract=off).
 */
#include "common.h"

int32_t jt_cpu_abi_version(void) { return 1; }

/* What the clones' resolver picks: it tests the same x86-64 levels, in this order. */
int32_t jt_cpu_isa_level(void) {
#ifdef JT_NO_CLONES
#if defined(__AVX512F__)
    return 4;
#elif defined(__AVX2__)
    return 3;
#else
    return 1;
#endif
#else
    __builtin_cpu_init();
    if (__builtin_cpu_supports("x86-64-v4")) return 4;
    if (__builtin_cpu_supports("x86-64-v3")) return 3;
    return 1;
#endif
}

/* One loop per op and b pattern: a switch inside the loop would keep gcc from unrolling it. Two vectors per
   step (128 bytes) keep both load ports busy on the AVX-512 clone. */
#define BINARY_LOOP(T, V, LANES, LOAD, STORE, SPLAT, EXPR)                           \
    do {                                                                               \
        int64_t i = 0;                                                                 \
        if (b_stride == 0) {                                                           \
            V y = SPLAT(b[0]);                                                         \
            for (; i + 2 * LANES <= n; i += 2 * LANES) {                               \
                V x = LOAD(a + i), x2 = LOAD(a + i + LANES);                           \
                STORE(out + i, EXPR(x, y));                                            \
                STORE(out + i + LANES, EXPR(x2, y));                                   \
            }                                                                          \
            for (; i < n; i++) { T x = a[i], y1 = b[0]; out[i] = EXPR(x, y1); }        \
        } else {                                                                       \
            for (; i + 2 * LANES <= n; i += 2 * LANES) {                               \
                V x = LOAD(a + i), y = LOAD(b + i);                                    \
                V x2 = LOAD(a + i + LANES), y2 = LOAD(b + i + LANES);                  \
                STORE(out + i, EXPR(x, y));                                            \
                STORE(out + i + LANES, EXPR(x2, y2));                                  \
            }                                                                          \
            for (; i < n; i++) { T x = a[i], y1 = b[i]; out[i] = EXPR(x, y1); }        \
        }                                                                              \
    } while (0)

#define ADD_EXPR(x, y) ((x) + alpha * (y))
#define SUB_EXPR(x, y) ((x) - alpha * (y))
#define MUL_EXPR(x, y) ((x) * (y))
#define DIV_EXPR(x, y) ((x) / (y))

JT_CLONES void jt_cpu_binary_f32(int32_t op, float alpha, float *out, const float *a, const float *b, int32_t b_stride,
                                 int64_t from, int64_t n) {
    out += from;
    a += from;
    b += b_stride == 0 ? 0 : from;
    switch (op) {
        case JT_CPU_ADD: BINARY_LOOP(float, vf32, VF32_LANES, load_f32, store_f32, splat_f32, ADD_EXPR); break;
        case JT_CPU_SUB: BINARY_LOOP(float, vf32, VF32_LANES, load_f32, store_f32, splat_f32, SUB_EXPR); break;
        case JT_CPU_MUL: BINARY_LOOP(float, vf32, VF32_LANES, load_f32, store_f32, splat_f32, MUL_EXPR); break;
        case JT_CPU_DIV: BINARY_LOOP(float, vf32, VF32_LANES, load_f32, store_f32, splat_f32, DIV_EXPR); break;
        default: break;
    }
}

JT_CLONES void jt_cpu_binary_f64(int32_t op, double alpha, double *out, const double *a, const double *b,
                                 int32_t b_stride, int64_t from, int64_t n) {
    out += from;
    a += from;
    b += b_stride == 0 ? 0 : from;
    switch (op) {
        case JT_CPU_ADD: BINARY_LOOP(double, vf64, VF64_LANES, load_f64, store_f64, splat_f64, ADD_EXPR); break;
        case JT_CPU_SUB: BINARY_LOOP(double, vf64, VF64_LANES, load_f64, store_f64, splat_f64, SUB_EXPR); break;
        case JT_CPU_MUL: BINARY_LOOP(double, vf64, VF64_LANES, load_f64, store_f64, splat_f64, MUL_EXPR); break;
        case JT_CPU_DIV: BINARY_LOOP(double, vf64, VF64_LANES, load_f64, store_f64, splat_f64, DIV_EXPR); break;
        default: break;
    }
}
