/*
 * jt_cpu_sum_f32/f64, jt_cpu_sum_rows_f32/f64 (sums along a leading dim), jt_cpu_softmax_f32 (rows) and
 * jt_cpu_softmax_cols_f32 (along a strided dim) (jtensor_cpu.h).
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

/* The sum of one run: its blocks' sums added in double in block order. */
#define RUN_SUM(T, S)                                                       \
    JT_INLINE double run_sum_##S(const T *x, int64_t count) {               \
        double total = 0;                                                   \
        for (int64_t b = 0; b < count; b += SUM_BLOCK) {                    \
            int64_t m = count - b < SUM_BLOCK ? count - b : SUM_BLOCK;      \
            total += (double) block_sum_##S(x + b, m);                      \
        }                                                                   \
        return total;                                                       \
    }
RUN_SUM(float, f32)
RUN_SUM(double, f64)

JT_CLONES double jt_cpu_sum_f32(const float *x, int64_t from, int64_t count) { return run_sum_f32(x + from, count); }

JT_CLONES double jt_cpu_sum_f64(const double *x, int64_t from, int64_t count) { return run_sum_f64(x + from, count); }

/* out[r] = scale * (the jt_cpu_sum of run r), as float32 or float64 (rounded once from the double). */
#define SUM_RUNS(T, S, NAME)                                                                                 \
    JT_CLONES void NAME(const T *x, int64_t length, int64_t run_stride, int64_t runs, double scale,        \
                        int32_t out_f64, void *out) {                                                       \
        for (int64_t r = 0; r < runs; r++) {                                                                \
            double v = scale * run_sum_##S(x + r * run_stride, length);                                     \
            if (out_f64) ((double *) out)[r] = v;                                                           \
            else ((float *) out)[r] = (float) v;                                                            \
        }                                                                                                   \
    }
SUM_RUNS(float, f32, jt_cpu_sum_runs_f32)
SUM_RUNS(double, f64, jt_cpu_sum_runs_f64)

/* ---------------- sums along a leading dim ---------------- */

#define ROWS_BAND 1024 /* columns per band: their double accumulators (8 KiB) stay in L1 */

/* out[j] = scale * acc[j] as float32 or float64. */
JT_INLINE void store_scaled(const double *acc, int64_t w, double scale, int32_t out_f64, void *out, int64_t j0) {
    if (out_f64) {
        double *o = (double *) out + j0;
        for (int64_t j = 0; j < w; j++) o[j] = scale * acc[j];
    } else {
        float *o = (float *) out + j0;
        for (int64_t j = 0; j < w; j++) o[j] = (float) (scale * acc[j]);
    }
}

/* The column loops are plain loops that gcc vectorises at each clone's width: each column is added on its
   own, in row order, so every width gives the same bits. */
JT_CLONES void jt_cpu_sum_rows_f32(const float *x, int64_t rows, int64_t stride, int64_t count, double scale,
                                   int32_t out_f64, void *out) {
    double acc[ROWS_BAND];
    for (int64_t j0 = 0; j0 < count; j0 += ROWS_BAND) {
        int64_t w = count - j0 < ROWS_BAND ? count - j0 : ROWS_BAND;
        for (int64_t j = 0; j < w; j++) acc[j] = 0;
        const float *p = x + j0;
        int64_t r = 0;
        for (; r + 4 <= rows; r += 4, p += 4 * stride) {
            const float *p0 = p, *p1 = p + stride, *p2 = p + 2 * stride, *p3 = p + 3 * stride;
            for (int64_t j = 0; j < w; j++) acc[j] += (double) ((p0[j] + p1[j]) + (p2[j] + p3[j]));
        }
        for (; r < rows; r++, p += stride)
            for (int64_t j = 0; j < w; j++) acc[j] += (double) p[j];
        store_scaled(acc, w, scale, out_f64, out, j0);
    }
}

JT_CLONES void jt_cpu_sum_rows_f64(const double *x, int64_t rows, int64_t stride, int64_t count, double scale,
                                   int32_t out_f64, void *out) {
    double acc[ROWS_BAND];
    for (int64_t j0 = 0; j0 < count; j0 += ROWS_BAND) {
        int64_t w = count - j0 < ROWS_BAND ? count - j0 : ROWS_BAND;
        for (int64_t j = 0; j < w; j++) acc[j] = 0;
        const double *p = x + j0;
        for (int64_t r = 0; r < rows; r++, p += stride)
            for (int64_t j = 0; j < w; j++) acc[j] += p[j];
        store_scaled(acc, w, scale, out_f64, out, j0);
    }
}

/* ---------------- softmax ---------------- */

/*
 * No comparison on the 64-byte vector types here: gcc lowers those on AVX2 and SSE2 to one scalar compare
 * per lane (the AVX2 clone ran 5x slower than the AVX-512 one). Masks come from sign bits instead, and the
 * row scan is a plain integer loop that gcc vectorises at each clone's width (an exact max: any order gives
 * the same bits).
 */

typedef uint32_t vu32 __attribute__((vector_size(64), aligned(4)));

/*
 * exp of 16 float32 lanes for x in [-inf, 0] (softmax's shifted inputs; never NaN: such rows are handled
 * before): x = k ln2 + r with |r| <= ln2 / 2 (k rounded to nearest by the 1.5 * 2^23 trick, which also leaves
 * k in the low mantissa bits of t; ln2 split in two so k ln2 is exact), exp(r) = 1 + r + r^2 q(r) with q of
 * degree 4 (a relative-minimax fit of (e^r - 1 - r) / r^2, error 3e-9, under 0.05 ulp), times 2^k put
 * straight into the exponent bits. Below -87.3 (where exp leaves the normal range; -inf too) the result is
 * 0: x + 87.3 is then negative (its sign is exact), and its sign bit, spread over the lane, clears the
 * garbage computed there (NaN, inf, wrapped exponents). Within 0.97 ulp of exp (every 7th float of
 * [-87.3, 0] checked against the double exp); 25 vector operations.
 */
#define EXP_LOG2E 1.44269504088896341f
#define EXP_SHIFTER 12582912.0f /* 1.5 * 2^23: x / ln2 + this rounds to an integer k, left in the low bits */
#define EXP_LN2_HI 0.693359375f
#define EXP_LN2_LO -2.12194440e-4f
#define EXP_Q4 1.381459297e-03f
#define EXP_Q3 8.368708193e-03f
#define EXP_Q2 4.166838899e-02f
#define EXP_Q1 1.666652113e-01f
#define EXP_Q0 4.999999404e-01f

JT_INLINE vf32 exp_neg_f32(vf32 x) {
    vi32 tiny = (vi32) (x + 87.3f) >> 31;
    vf32 t = x * EXP_LOG2E + EXP_SHIFTER;
    vf32 k = t - EXP_SHIFTER;
    vf32 r = x - k * EXP_LN2_HI;
    r = r - k * EXP_LN2_LO;
    vf32 q = EXP_Q4 * r + EXP_Q3;
    q = q * r + EXP_Q2;
    q = q * r + EXP_Q1;
    q = q * r + EXP_Q0;
    vf32 e = q * (r * r) + r + 1.0f;
    vu32 scale = ((vu32) t + 127u) << 23; /* t's bits are 0x4b400000 + k; the shift drops the 0x4b4 */
    return (vf32) ((vi32) (e * (vf32) scale) & ~tiny);
}

/* exp_neg_f32 on one lane, the same operations (so the same bits): for the column kernel's plain loops,
   which gcc vectorises at each clone's width. */
JT_INLINE float exp_neg_1(float x) {
    union { float f; int32_t i; uint32_t u; } sum = {x + 87.3f}, t = {x * EXP_LOG2E + EXP_SHIFTER}, scale, y;
    float k = t.f - EXP_SHIFTER;
    float r = x - k * EXP_LN2_HI;
    r = r - k * EXP_LN2_LO;
    float q = EXP_Q4 * r + EXP_Q3;
    q = q * r + EXP_Q2;
    q = q * r + EXP_Q1;
    q = q * r + EXP_Q0;
    float e = q * (r * r) + r + 1.0f;
    scale.u = (t.u + 127u) << 23;
    y.f = e * scale.f;
    y.i &= ~(sum.i >> 31);
    return y.f;
}

/* The bits of a float as an int32 key in the float order (-0 just below +0); the map is its own inverse. */
JT_INLINE int32_t order_key(int32_t b) { return b ^ ((b >> 31) & 0x7fffffff); }

/* The row's maximum, or NaN when the row holds a NaN (either sign). Two integer max reductions, vectorised
   by gcc: one over the order keys, one over the magnitudes' bits (above 0x7f800000 only for NaN). */
JT_INLINE float row_max(const float *x, int64_t n) {
    int32_t best = order_key((int32_t) 0xff800000), mag = 0; /* -inf */
    for (int64_t i = 0; i < n; i++) {
        union { float f; int32_t i; } u = {x[i]};
        int32_t k = order_key(u.i), a = u.i & 0x7fffffff;
        best = k > best ? k : best;
        mag = a > mag ? a : mag;
    }
    if (mag > 0x7f800000) return NAN;
    union { int32_t i; float f; } m = {order_key(best)};
    return m.f;
}

/*
 * One row. A row holding a NaN or +inf, or only -inf, gives NaN everywhere (as the Java loop: its exp sum is
 * NaN, or 0). Otherwise, with m its (finite) maximum, e = exp(x - m) in chunks of 1024 elements, two vectors
 * a step, each chunk summed in two 16-lane float accumulators (even and odd vectors; a + b, then the lanes
 * pairwise), the chunk sums and the tail's lanes (in element order) added in double; softmax stores e and
 * then scales it by (float) (1 / sum) while the row is in L1, log-softmax writes (x - m) - (float) log(sum).
 * The next row's lines are prefetched during the exp pass, so its max pass reads cache.
 */
JT_INLINE void softmax_row(int32_t log_, const float *x, float *out, int64_t n, const float *next) {
    float m = row_max(x, n);
    if (!(m > -INFINITY && m < INFINITY)) {
        for (int64_t i = 0; i < n; i++) out[i] = NAN;
        return;
    }
    vf32 vm = splat_f32(m);
    double total = 0;
    int64_t i = 0;
    while (i + VF32_LANES <= n) {
        vf32 a = splat_f32(0), b = a;
        int64_t end = i + 1024 < n ? i + 1024 : n;
        for (; i + 2 * VF32_LANES <= end; i += 2 * VF32_LANES) {
            if (next) __builtin_prefetch(next + i, 0); /* one line of the next row per step */
            vf32 e0 = exp_neg_f32(load_f32(x + i) - vm), e1 = exp_neg_f32(load_f32(x + i + VF32_LANES) - vm);
            if (!log_) {
                store_f32(out + i, e0);
                store_f32(out + i + VF32_LANES, e1);
            }
            a += e0;
            b += e1;
        }
        if (i + VF32_LANES <= end) {
            vf32 e = exp_neg_f32(load_f32(x + i) - vm);
            if (!log_) store_f32(out + i, e);
            a += e;
            i += VF32_LANES;
        }
        total += (double) lanes_sum_f32(a + b);
    }
    if (i < n) { /* the tail as one vector padded with -inf (exp 0), then its lanes in order */
        float pad[VF32_LANES];
        int64_t rest = n - i;
        for (int j = 0; j < VF32_LANES; j++) pad[j] = j < rest ? x[i + j] : -INFINITY;
        vf32 e = exp_neg_f32(load_f32(pad) - vm);
        for (int j = 0; j < rest; j++) {
            if (!log_) out[i + j] = e[j];
            total += (double) e[j];
        }
    }
    if (log_) {
        float shift = (float) log(total);
        vf32 vs = splat_f32(shift);
        for (i = 0; i + VF32_LANES <= n; i += VF32_LANES) store_f32(out + i, (load_f32(x + i) - vm) - vs);
        for (; i < n; i++) out[i] = (x[i] - m) - shift;
    } else {
        float inv = (float) (1.0 / total);
        vf32 vi = splat_f32(inv);
        for (i = 0; i + VF32_LANES <= n; i += VF32_LANES) store_f32(out + i, load_f32(out + i) * vi);
        for (; i < n; i++) out[i] = out[i] * inv;
    }
}

JT_CLONES void jt_cpu_softmax_f32(int32_t log_, const float *in, float *out, int64_t length, int64_t from_row,
                                  int64_t rows) {
    for (int64_t r = from_row; r < from_row + rows; r++) {
        const float *next = r + 1 < from_row + rows ? in + (r + 1) * length : 0;
        softmax_row(log_, in + r * length, out + r * length, length, next);
    }
}

/* ---------------- softmax along a strided dim ---------------- */

/* Columns per block: 64 columns of 1000 rows, in and out, are 512 KiB, which stay in L2 between the passes
   (softmax(0) of 1000x1000, one thread: 1.04-1.09 ms; 1.20-1.24 ms with 256 columns). */
#define COLS_BLOCK 64

/*
 * cols neighbouring lines ("columns": line c's element k at in[c + k * in_stride], out[c + k * out_stride]),
 * in blocks of COLS_BLOCK columns, each pass a plain loop over the block's columns (vectorised by gcc, one
 * column a lane, so every clone gives the same bits): the maxima (order keys, as row_max), then
 * e = exp(x - m) summed per column in double in row order, then the scale (or log-softmax's shift). A column
 * holding a NaN or +inf, or only -inf, is all NaN, as in the row kernel.
 */
JT_CLONES void jt_cpu_softmax_cols_f32(int32_t log_, const float *in, int64_t in_stride, float *out, int64_t out_stride,
                                       int64_t length, int64_t cols) {
    int32_t best[COLS_BLOCK], mag[COLS_BLOCK];
    float m[COLS_BLOCK], factor[COLS_BLOCK];
    double sum[COLS_BLOCK];
    for (int64_t c0 = 0; c0 < cols; c0 += COLS_BLOCK) {
        int64_t w = cols - c0 < COLS_BLOCK ? cols - c0 : COLS_BLOCK;
        for (int64_t c = 0; c < w; c++) {
            best[c] = order_key((int32_t) 0xff800000);
            mag[c] = 0;
            sum[c] = 0;
        }
        for (int64_t k = 0; k < length; k++) {
            const float *x = in + k * in_stride + c0;
            for (int64_t c = 0; c < w; c++) {
                union { float f; int32_t i; } u = {x[c]};
                int32_t key = order_key(u.i), a = u.i & 0x7fffffff;
                best[c] = key > best[c] ? key : best[c];
                mag[c] = a > mag[c] ? a : mag[c];
            }
        }
        for (int64_t c = 0; c < w; c++) {
            union { int32_t i; float f; } u = {order_key(best[c])};
            int bad = mag[c] > 0x7f800000 || !(u.f > -INFINITY && u.f < INFINITY);
            m[c] = bad ? 0 : u.f;
            factor[c] = bad ? NAN : 0; /* NaN marks the column; the factor comes after the sums */
        }
        for (int64_t k = 0; k < length; k++) {
            const float *x = in + k * in_stride + c0;
            float *o = out + k * out_stride + c0;
            for (int64_t c = 0; c < w; c++) {
                float e = exp_neg_1(x[c] - m[c]);
                if (!log_) o[c] = e;
                sum[c] += (double) e;
            }
        }
        for (int64_t c = 0; c < w; c++) {
            float f = log_ ? (float) log(sum[c]) : (float) (1.0 / sum[c]);
            factor[c] = factor[c] != factor[c] ? NAN : f;
        }
        for (int64_t k = 0; k < length; k++) {
            const float *x = in + k * in_stride + c0;
            float *o = out + k * out_stride + c0;
            if (log_) {
                for (int64_t c = 0; c < w; c++) o[c] = (x[c] - m[c]) - factor[c];
            } else {
                for (int64_t c = 0; c < w; c++) o[c] = o[c] * factor[c];
            }
        }
    }
}

