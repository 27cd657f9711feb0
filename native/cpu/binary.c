/*
 * jt_cpu_binary_f32/f64 (jtensor_cpu.h): out = a (op) b over a range, b contiguous or one broadcast
 * element. The formulas are those of the Java loops (CpuFloatLoops, ScalarMath): a + alpha * b and
 * a - alpha * b round the product, then the sum; no fma (-ffp-contract=off).
 */
#include "elementwise.h"

int32_t jt_cpu_abi_version(void) { return 8; }

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

/* ---------------- strided operands (jt_cpu_binary_strided_*) ---------------- */

/* Java's Math.max/min on one pair of non-NaN floats or doubles: the larger (smaller); of two equal values
   (zeros of either sign included) the AND (OR) of their bits, so +0.0 ranks above -0.0. NaN in, NaN out. */
#define SCALAR_MAX(T, UT, x, y) ((x) != (x) || (y) != (y) ? (T) __builtin_nan("") : (x) > (y) ? (x) : (y) > (x) ? (y) \
                                 : bits_and_##T(x, y))
#define SCALAR_MIN(T, UT, x, y) ((x) != (x) || (y) != (y) ? (T) __builtin_nan("") : (x) < (y) ? (x) : (y) < (x) ? (y) \
                                 : bits_or_##T(x, y))

/* x & y and x | y on the bits (the zeros' signs of maximum/minimum), for float (uint32_t) and double (uint64_t). */
#define BITS_OP(T, U, NAME, OP)                  \
    JT_INLINE T NAME##_##T(T x, T y) {           \
        U a, b;                                  \
        memcpy(&a, &x, sizeof a);                \
        memcpy(&b, &y, sizeof b);                \
        a OP b;                                  \
        memcpy(&x, &a, sizeof a);                \
        return x;                                \
    }
BITS_OP(float, uint32_t, bits_and, &=)
BITS_OP(float, uint32_t, bits_or, |=)
BITS_OP(double, uint64_t, bits_and, &=)
BITS_OP(double, uint64_t, bits_or, |=)

/* One plain loop per op; where every stride is 1 (b's may be 0) gcc vectorises its own copy of it. */
#define STRIDED_LOOP(T, EXPR)                                                                      \
    do {                                                                                           \
        if (out_stride == 1 && a_stride == 1 && b_stride == 1) {                                   \
            for (int64_t i = 0; i < n; i++) { T x = a[i], y = b[i]; out[i] = EXPR; }               \
        } else if (out_stride == 1 && a_stride == 1 && b_stride == 0) {                            \
            T y = b[0];                                                                            \
            for (int64_t i = 0; i < n; i++) { T x = a[i]; out[i] = EXPR; }                         \
        } else {                                                                                   \
            for (int64_t i = 0; i < n; i++) {                                                      \
                T x = a[i * a_stride], y = b[i * b_stride];                                        \
                out[i * out_stride] = EXPR;                                                        \
            }                                                                                      \
        }                                                                                          \
    } while (0)

#define STRIDED_START()        \
    out += from * out_stride;  \
    a += from * a_stride;      \
    b += from * b_stride

JT_CLONES void jt_cpu_binary_strided_f32(int32_t op, double alpha, float *out, int64_t out_stride, const float *a,
                                         int64_t a_stride, const float *b, int64_t b_stride, int64_t from, int64_t n) {
    STRIDED_START();
    switch (op) {
        case JT_CPU_ADD: STRIDED_LOOP(float, (float) ((double) x + alpha * (double) y)); break;
        case JT_CPU_SUB: STRIDED_LOOP(float, (float) ((double) x - alpha * (double) y)); break;
        case JT_CPU_MUL: STRIDED_LOOP(float, x * y); break;
        case JT_CPU_DIV: STRIDED_LOOP(float, x / y); break;
        case JT_CPU_MAXIMUM: STRIDED_LOOP(float, SCALAR_MAX(float, uint32_t, x, y)); break;
        case JT_CPU_MINIMUM: STRIDED_LOOP(float, SCALAR_MIN(float, uint32_t, x, y)); break;
        default: break;
    }
}

JT_CLONES void jt_cpu_binary_strided_f64(int32_t op, double alpha, double *out, int64_t out_stride, const double *a,
                                         int64_t a_stride, const double *b, int64_t b_stride, int64_t from, int64_t n) {
    STRIDED_START();
    switch (op) {
        case JT_CPU_ADD: STRIDED_LOOP(double, x + alpha * y); break;
        case JT_CPU_SUB: STRIDED_LOOP(double, x - alpha * y); break;
        case JT_CPU_MUL: STRIDED_LOOP(double, x * y); break;
        case JT_CPU_DIV: STRIDED_LOOP(double, x / y); break;
        case JT_CPU_MAXIMUM: STRIDED_LOOP(double, SCALAR_MAX(double, uint64_t, x, y)); break;
        case JT_CPU_MINIMUM: STRIDED_LOOP(double, SCALAR_MIN(double, uint64_t, x, y)); break;
        default: break;
    }
}

/* Unsigned arithmetic: wraps around (as Java's) where signed overflow would be undefined in C. */
JT_CLONES void jt_cpu_binary_strided_i32(int32_t op, int32_t alpha, int32_t *out, int64_t out_stride, const int32_t *a,
                                         int64_t a_stride, const int32_t *b, int64_t b_stride, int64_t from, int64_t n) {
    STRIDED_START();
    uint32_t al = (uint32_t) alpha;
    switch (op) {
        case JT_CPU_ADD: STRIDED_LOOP(int32_t, (int32_t) ((uint32_t) x + al * (uint32_t) y)); break;
        case JT_CPU_SUB: STRIDED_LOOP(int32_t, (int32_t) ((uint32_t) x - al * (uint32_t) y)); break;
        case JT_CPU_MUL: STRIDED_LOOP(int32_t, (int32_t) ((uint32_t) x * (uint32_t) y)); break;
        default: break;
    }
}

JT_CLONES void jt_cpu_binary_strided_i64(int32_t op, int64_t alpha, int64_t *out, int64_t out_stride, const int64_t *a,
                                         int64_t a_stride, const int64_t *b, int64_t b_stride, int64_t from, int64_t n) {
    STRIDED_START();
    uint64_t al = (uint64_t) alpha;
    switch (op) {
        case JT_CPU_ADD: STRIDED_LOOP(int64_t, (int64_t) ((uint64_t) x + al * (uint64_t) y)); break;
        case JT_CPU_SUB: STRIDED_LOOP(int64_t, (int64_t) ((uint64_t) x - al * (uint64_t) y)); break;
        case JT_CPU_MUL: STRIDED_LOOP(int64_t, (int64_t) ((uint64_t) x * (uint64_t) y)); break;
        default: break;
    }
}
