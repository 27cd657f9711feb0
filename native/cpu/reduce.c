/*
 * jt_cpu_sum_f32/f64 and jt_cpu_softmax_f32 (jtensor_cpu.h).
 *
 * Sums: blocks of SUM_BLOCK elements from the range's start; a block is added into four 16-lane float32
 * vectors (64 lanes, so each lane adds at most 64 elements of a block) or four 8-lane float64 vectors, the
 * vectors combined (v0 + v1) + (v2 + v3), the lanes pairwise (lanes_sum), the tail after the last whole
 * vector added to that in element order; block sums are added in double. Every step is written out, so
 * the AVX-512, AVX2 and SSE2 clones give the same bits, and the sum of 1e8 float32 ones is exactly 1e8.
 */
#include <math.h>
#include "common.h"

#define SUM_BLOCK 4096

JT_INLINE float block_sum_f32(const float *x, int64_t m) {
    vf32 a0 = splat_f32(0), a1 = a0, a2 = a0, a3 = a0;
    int64_t i = 0;
    for (; i + 4 * VF32_LANES <= m; i += 4 * VF32_LANES) {
        a0 += load_f32(x + i);
        a1 += load_f32(x + i + VF32_LANES);
        a2 += load_f32(x + i + 2 * VF32_LANES);
        a3 += load_f32(x + i + 3 * VF32_LANES);
    }
    for (; i + VF32_LANES <= m; i += VF32_LANES) a0 += load_f32(x + i);
    float s = lanes_sum_f32((a0 + a1) + (a2 + a3));
    for (; i < m; i++) s += x[i];
    return s;
}

JT_INLINE double block_sum_f64(const double *x, int64_t m) {
    vf64 a0 = splat_f64(0), a1 = a0, a2 = a0, a3 = a0;
    int64_t i = 0;
    for (; i + 4 * VF64_LANES <= m; i += 4 * VF64_LANES) {
        a0 += load_f64(x + i);
        a1 += load_f64(x + i + VF64_LANES);
        a2 += load_f64(x + i + 2 * VF64_LANES);
        a3 += load_f64(x + i + 3 * VF64_LANES);
    }
    for (; i + VF64_LANES <= m; i += VF64_LANES) a0 += load_f64(x + i);
    double s = lanes_sum_f64((a0 + a1) + (a2 + a3));
    for (; i < m; i++) s += x[i];
    return s;
}

JT_CLONES double jt_cpu_sum_f32(const float *x, int64_t from, int64_t count) {
    x += from;
    double total = 0;
    for (int64_t b = 0; b < count; b += SUM_BLOCK) {
        int64_t m = count - b < SUM_BLOCK ? count - b : SUM_BLOCK;
        total += (double) block_sum_f32(x + b, m);
    }
    return total;
}

JT_CLONES double jt_cpu_sum_f64(const double *x, int64_t from, int64_t count) {
    x += from;
    double total = 0;
    for (int64_t b = 0; b < count; b += SUM_BLOCK) {
        int64_t m = count - b < SUM_BLOCK ? count - b : SUM_BLOCK;
        total += block_sum_f64(x + b, m);
    }
    return total;
}

/* ---------------- softmax ---------------- */

JT_INLINE vf32 select_f32(vi32 mask, vf32 yes, vf32 no) {
    return (vf32) (((vi32) yes & mask) | ((vi32) no & ~mask));
}

/*
 * exp of 16 float32 lanes for x <= 0 (softmax's shifted inputs), Cephes' expf: x = k ln2 + r with
 * |r| <= ln2 / 2 (ln2 split in two for an exact k ln2), exp(r) by a degree-7 polynomial, times 2^k built
 * in the exponent bits. Below -87.3 (where exp leaves the normal range) the result is 0; NaN stays NaN.
 * Within 2 ulp of exp.
 */
JT_INLINE vf32 exp_f32(vf32 x) {
    vi32 tiny = x < splat_f32(-87.3f);
    vf32 xc = select_f32(tiny, splat_f32(0), x);
    vf32 t = xc * 1.44269504088896341f + 12582912.0f; /* 1.5 * 2^23: rounds k to nearest */
    vf32 k = t - 12582912.0f;
    vf32 r = xc - k * 0.693359375f;
    r = r - k * -2.12194440e-4f;
    vf32 z = r * r;
    vf32 p = 1.9875691500e-4f * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * z + r + 1.0f;
    vi32 ki = __builtin_convertvector(k, vi32);
    vf32 scale = (vf32) ((ki + 127) << 23);
    return select_f32(tiny, splat_f32(0), p * scale);
}

/* The row maximum, NaN when any element is NaN. */
JT_INLINE float row_max(const float *x, int64_t n) {
    vf32 m = splat_f32(-INFINITY);
    vi32 nan = {0};
    int64_t i = 0;
    for (; i + VF32_LANES <= n; i += VF32_LANES) {
        vf32 v = load_f32(x + i);
        m = select_f32(v > m, v, m);
        nan |= v != v;
    }
    float best = -INFINITY;
    for (int j = 0; j < VF32_LANES; j++) {
        if (nan[j]) return NAN;
        if (m[j] > best) best = m[j];
    }
    for (; i < n; i++) {
        if (x[i] != x[i]) return NAN;
        if (x[i] > best) best = x[i];
    }
    return best;
}

JT_INLINE void softmax_row(int32_t log_, const float *x, float *out, int64_t n) {
    float m = row_max(x, n);
    if (m == -INFINITY) m = 0;
    double total = 0;
    int64_t i = 0;
    vf32 vm = splat_f32(m);
    while (i + VF32_LANES <= n) { /* float lanes over chunks of 1024 elements, chunk sums in double */
        vf32 acc = splat_f32(0);
        int64_t end = i + 1024 < n ? i + 1024 : n;
        for (; i + VF32_LANES <= end; i += VF32_LANES) {
            vf32 e = exp_f32(load_f32(x + i) - vm);
            if (!log_) store_f32(out + i, e);
            acc += e;
        }
        total += (double) lanes_sum_f32(acc);
    }
    if (i < n) { /* the tail as one vector padded with -inf (exp 0), then its lanes in order */
        float pad[VF32_LANES];
        int64_t rest = n - i;
        for (int j = 0; j < VF32_LANES; j++) pad[j] = j < rest ? x[i + j] : -INFINITY;
        vf32 e = exp_f32(load_f32(pad) - vm);
        for (int j = 0; j < rest; j++) {
            if (!log_) out[i + j] = e[j];
            total += (double) e[j];
        }
    }
    if (log_) {
        float shift = (float) log(total);
        for (i = 0; i + VF32_LANES <= n; i += VF32_LANES) store_f32(out + i, (load_f32(x + i) - vm) - shift);
        for (; i < n; i++) out[i] = (x[i] - m) - shift;
    } else {
        float inv = (float) (1.0 / total);
        for (i = 0; i + VF32_LANES <= n; i += VF32_LANES) store_f32(out + i, load_f32(out + i) * inv);
        for (; i < n; i++) out[i] = out[i] * inv;
    }
}

JT_CLONES void jt_cpu_softmax_f32(int32_t log_, const float *in, float *out, int64_t length, int64_t from_row,
                                  int64_t rows) {
    for (int64_t r = from_row; r < from_row + rows; r++) softmax_row(log_, in + r * length, out + r * length, length);
}
