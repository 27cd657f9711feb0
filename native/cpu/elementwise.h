/*
 * Shared by unary.c and binary.c: lane-wise helpers on the 8-lane float64 vectors (vf64) that the elementwise
 * kernels compute in. Only IEEE basic operations (+ - * / sqrt, compares, bit operations, exact conversions)
 * in written order: every ISA clone gives the same bits (common.h).
 */
#ifndef JT_CPU_ELEMENTWISE_H
#define JT_CPU_ELEMENTWISE_H

#include "common.h"

/* Float32 operands are widened to float64 8 lanes at a time, computed, and rounded once on store (lane by
   lane in plain loops, which gcc vectorises: __builtin_convertvector between these widths crashes gcc 12). */
JT_INLINE vf64 widen_f32(const float *p) {
    double d[8];
    for (int j = 0; j < 8; j++) d[j] = p[j];
    return load_f64(d);
}

JT_INLINE void narrow_f32(float *p, vf64 v) {
    double d[8];
    store_f64(d, v);
    for (int j = 0; j < 8; j++) p[j] = (float) d[j];
}

JT_INLINE vi64 bits_f64(vf64 v) { return (vi64) v; }
JT_INLINE vf64 from_bits_f64(vi64 v) { return (vf64) v; }

/* m ? a : b for a lane mask m (all ones or all zeros per lane, as vector compares give). */
JT_INLINE vf64 select_f64(vi64 m, vf64 a, vf64 b) { return (vf64) ((m & (vi64) a) | (~m & (vi64) b)); }

JT_INLINE vf64 abs_f64(vf64 x) { return (vf64) ((vi64) x & 0x7fffffffffffffffLL); }

/* |y| with the sign bit of x. */
JT_INLINE vf64 copysign_f64(vf64 y, vf64 x) {
    return (vf64) (((vi64) y & 0x7fffffffffffffffLL) | ((vi64) x & (int64_t) 0x8000000000000000ULL));
}

JT_INLINE vi64 isnan_f64(vf64 x) { return x != x; }

/* Java's Math.max/min on non-NaN lanes (+0.0 above -0.0); a NaN in either operand gives NaN. */
JT_INLINE vf64 max_f64(vf64 a, vf64 b) {
    vf64 r = select_f64(a > b, a, select_f64(b > a, b, (vf64) ((vi64) a & (vi64) b)));
    return select_f64(isnan_f64(a) | isnan_f64(b), splat_f64(__builtin_nan("")), r);
}

JT_INLINE vf64 min_f64(vf64 a, vf64 b) {
    vf64 r = select_f64(a < b, a, select_f64(b < a, b, (vf64) ((vi64) a | (vi64) b)));
    return select_f64(isnan_f64(a) | isnan_f64(b), splat_f64(__builtin_nan("")), r);
}

#endif
