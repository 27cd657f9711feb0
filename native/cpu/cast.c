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
JT_CLONES void jt_cpu_cast_f32_bf16(const float *src, uint16_t *dst, int64_t from, int64_t count) {
    const uint32_t *bits = (const uint32_t *) (src + from);
    dst += from;
    for (int64_t i = 0; i < count; i++) {
        uint32_t b = bits[i];
        uint32_t rounded = (b + 0x7fffu + ((b >> 16) & 1u)) >> 16;
        dst[i] = (b & 0x7fffffffu) > 0x7f800000u ? (uint16_t) 0x7fc0 : (uint16_t) rounded;
    }
}

JT_CLONES void jt_cpu_cast_bf16_f32(const uint16_t *src, float *dst, int64_t from, int64_t count) {
    src += from;
    uint32_t *out = (uint32_t *) (dst + from);
    for (int64_t i = 0; i < count; i++) out[i] = (uint32_t) src[i] << 16;
}

/* Round to nearest even (Float.floatToFloat16): from 65520 up to infinity; below 2^-14 a float16 subnormal,
   rounded by one float addition of 0.5 (whose ulp, 2^-24, is the subnormal step); else the exponent rebiased
   and the significand rounded on the bits (F. Giesen's float_to_half_fast3_rtne). */
JT_CLONES void jt_cpu_cast_f32_f16(const float *src, uint16_t *dst, int64_t from, int64_t count) {
    const uint32_t *bits = (const uint32_t *) (src + from);
    dst += from;
    for (int64_t i = 0; i < count; i++) {
        uint32_t x = bits[i], sign = (x >> 16) & 0x8000u, ax = x & 0x7fffffffu, h;
        if (ax > 0x7f800000u) {
            h = 0x7e00u | ((ax >> 13) & 0x3ffu);
        } else if (ax >= 0x477ff000u) {
            h = 0x7c00u;
        } else if (ax < 0x38800000u) {
            float f;
            memcpy(&f, &ax, 4);
            f += 0.5f;
            uint32_t fb;
            memcpy(&fb, &f, 4);
            h = fb - 0x3f000000u;
        } else {
            h = (ax + 0xc8000fffu + ((ax >> 13) & 1u)) >> 13;
        }
        dst[i] = (uint16_t) (sign | h);
    }
}

/* Float.float16ToFloat: exact; subnormals scaled by 2^-24, a NaN keeps its payload shifted (not quieted). */
JT_CLONES void jt_cpu_cast_f16_f32(const uint16_t *src, float *dst, int64_t from, int64_t count) {
    src += from;
    dst += from;
    for (int64_t i = 0; i < count; i++) {
        uint32_t h = src[i], sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1fu, signif = h & 0x3ffu;
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
        memcpy(dst + i, &bits, 4);
    }
}
