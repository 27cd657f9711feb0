/*
 * Contiguous casts (jtensor_cpu.h): float32 <-> float64, float32 <-> bfloat16, float32 <-> float16, each the
 * same bits as the Java loops of CpuCopy (float16/bfloat16 as in Float.float16ToFloat and Elements).
 */
#include "common.h"

JT_CLONES void jt_cpu_cast_f32_f64(const float *src, double *dst, int64_t from, int64_t count) {
    src += from;
    dst += from;
    for (int64_t i = 0; i < count; i++) dst[i] = (double) src[i];
}

JT_CLONES void jt_cpu_cast_f64_f32(const double *src, float *dst, int64_t from, int64_t count) {
    src += from;
    dst += from;
    for (int64_t i = 0; i < count; i++) dst[i] = (float) src[i];
}

/* Round to nearest even on the bits; any NaN becomes the quiet 0x7fc0 (Elements.toBFloat16). */
JT_INLINE uint16_t f32_to_bf16(float f) {
    uint32_t b;
    memcpy(&b, &f, 4);
    uint32_t rounded = (b + 0x7fffu + ((b >> 16) & 1u)) >> 16;
    return (b & 0x7fffffffu) > 0x7f800000u ? (uint16_t) 0x7fc0 : (uint16_t) rounded;
}

JT_CLONES void jt_cpu_cast_f32_bf16(const float *src, uint16_t *dst, int64_t from, int64_t count) {
    src += from;
    dst += from;
    for (int64_t i = 0; i < count; i++) dst[i] = f32_to_bf16(src[i]);
}

JT_CLONES void jt_cpu_cast_bf16_f32(const uint16_t *src, float *dst, int64_t from, int64_t count) {
    src += from;
    uint32_t *out = (uint32_t *) (dst + from);
    for (int64_t i = 0; i < count; i++) out[i] = (uint32_t) src[i] << 16;
}

/* Round to nearest even (Float.floatToFloat16): from 65520 up to infinity; below 2^-14 a float16 subnormal,
   rounded by one float addition of 0.5 (whose ulp, 2^-24, is the subnormal step); else the exponent rebiased
   and the significand rounded on the bits (F. Giesen's float_to_half_fast3_rtne). */
JT_INLINE uint16_t f32_to_f16(float f) {
    uint32_t x, h;
    memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000u, ax = x & 0x7fffffffu;
    if (ax > 0x7f800000u) {
        h = 0x7e00u | ((ax >> 13) & 0x3ffu);
    } else if (ax >= 0x477ff000u) {
        h = 0x7c00u;
    } else if (ax < 0x38800000u) {
        float v;
        memcpy(&v, &ax, 4);
        v += 0.5f;
        uint32_t vb;
        memcpy(&vb, &v, 4);
        h = vb - 0x3f000000u;
    } else {
        h = (ax + 0xc8000fffu + ((ax >> 13) & 1u)) >> 13;
    }
    return (uint16_t) (sign | h);
}

JT_CLONES void jt_cpu_cast_f32_f16(const float *src, uint16_t *dst, int64_t from, int64_t count) {
    src += from;
    dst += from;
    for (int64_t i = 0; i < count; i++) dst[i] = f32_to_f16(src[i]);
}

/* Float.float16ToFloat: exact; subnormals scaled by 2^-24, a NaN keeps its payload shifted (not quieted). */
JT_INLINE float f16_to_f32(uint16_t half) {
    uint32_t h = half, sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1fu, signif = h & 0x3ffu;
    uint32_t bits;
    if (exp == 0) { /* zero or subnormal: signif * 2^-24, exact in float */
        float v = (float) signif * 0x1p-24f;
        memcpy(&bits, &v, 4);
        bits |= sign;
    } else if (exp == 31) {
        bits = sign | 0x7f800000u | (signif << 13);
    } else {
        bits = sign | ((exp + 112u) << 23) | (signif << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

JT_CLONES void jt_cpu_cast_f16_f32(const uint16_t *src, float *dst, int64_t from, int64_t count) {
    src += from;
    dst += from;
    for (int64_t i = 0; i < count; i++) dst[i] = f16_to_f32(src[i]);
}

JT_INLINE float bf16_to_f32(uint16_t h) {
    uint32_t bits = (uint32_t) h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/* ---- integer <-> float and float64 <-> 16-bit float casts (issue 12, the reductions helper) ---- */

/* Java's (long) d: NaN 0, saturated at the int64 range, else truncated toward zero. */
JT_INLINE int64_t java_d2l(double d) {
    if (d != d) return 0;
    if (d >= 0x1p63) return INT64_MAX;
    if (d <= -0x1p63) return INT64_MIN;
    return (int64_t) d;
}

#define CAST_CASE(ST, DT, S, D, EXPR)                       \
    case (ST) * 16 + (DT): {                                \
        const S *s = (const S *) src + from;                \
        D *d = (D *) dst + from;                            \
        for (int64_t i = 0; i < count; i++) {               \
            S x = s[i];                                     \
            d[i] = EXPR;                                    \
        }                                                   \
        return 1;                                           \
    }

/* Each case is the Java conversion CpuCopy makes for that pair (Elements.getDouble/setDouble, or its typed
   loop): integers to floats as a Java widening/narrowing cast (int64 -> float32 rounded once), bool as 0/1,
   floats to int64 as Java's (long), to int32 as Java's (int) (long) (the low 32 bits of the saturated int64),
   float64 to float16/bfloat16 through float32 (two roundings, as setDouble), back exactly. */
JT_CLONES int32_t jt_cpu_cast(int32_t src_type, const void *src, int32_t dst_type, void *dst, int64_t from,
                              int64_t count) {
    switch (src_type * 16 + dst_type) {
        CAST_CASE(JT_CPU_BOOL, JT_CPU_FLOAT32, uint8_t, float, x != 0 ? 1.0f : 0.0f)
        CAST_CASE(JT_CPU_BOOL, JT_CPU_FLOAT64, uint8_t, double, x != 0 ? 1.0 : 0.0)
        CAST_CASE(JT_CPU_UINT8, JT_CPU_FLOAT32, uint8_t, float, (float) x)
        CAST_CASE(JT_CPU_UINT8, JT_CPU_FLOAT64, uint8_t, double, (double) x)
        CAST_CASE(JT_CPU_INT8, JT_CPU_FLOAT32, int8_t, float, (float) x)
        CAST_CASE(JT_CPU_INT8, JT_CPU_FLOAT64, int8_t, double, (double) x)
        CAST_CASE(JT_CPU_INT16, JT_CPU_FLOAT32, int16_t, float, (float) x)
        CAST_CASE(JT_CPU_INT16, JT_CPU_FLOAT64, int16_t, double, (double) x)
        CAST_CASE(JT_CPU_INT32, JT_CPU_FLOAT32, int32_t, float, (float) x)
        CAST_CASE(JT_CPU_INT32, JT_CPU_FLOAT64, int32_t, double, (double) x)
        CAST_CASE(JT_CPU_INT64, JT_CPU_FLOAT32, int64_t, float, (float) x)
        CAST_CASE(JT_CPU_INT64, JT_CPU_FLOAT64, int64_t, double, (double) x)
        CAST_CASE(JT_CPU_FLOAT32, JT_CPU_INT32, float, int32_t, (int32_t) (uint32_t) (uint64_t) java_d2l(x))
        CAST_CASE(JT_CPU_FLOAT32, JT_CPU_INT64, float, int64_t, java_d2l(x))
        CAST_CASE(JT_CPU_FLOAT64, JT_CPU_INT32, double, int32_t, (int32_t) (uint32_t) (uint64_t) java_d2l(x))
        CAST_CASE(JT_CPU_FLOAT64, JT_CPU_INT64, double, int64_t, java_d2l(x))
        CAST_CASE(JT_CPU_FLOAT64, JT_CPU_FLOAT16, double, uint16_t, f32_to_f16((float) x))
        CAST_CASE(JT_CPU_FLOAT16, JT_CPU_FLOAT64, uint16_t, double, (double) f16_to_f32(x))
        CAST_CASE(JT_CPU_FLOAT64, JT_CPU_BFLOAT16, double, uint16_t, f32_to_bf16((float) x))
        CAST_CASE(JT_CPU_BFLOAT16, JT_CPU_FLOAT64, uint16_t, double, (double) bf16_to_f32(x))
    default:
        return 0;
    }
}
