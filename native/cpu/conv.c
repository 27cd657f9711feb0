/*
 * The sliding windows of 2-d convolution and pooling (issue 22): im2col copies every window tap of a
 * [planes, h, w] input into [planes, kh * kw, oh, ow] columns (zeros where a tap lies in the padding), col2im
 * is its adjoint, summing the columns back into the planes. Copies and adds only, element by element, so
 * every ISA clone and the Java loops of backend.cpu.CpuWindows give the same bits; col2im adds the taps in
 * their order (i, then j) onto zeros, as the composite of nn/Windows did. The caller (Java's intra-op pool)
 * splits the planes [from, from + count) over threads; planes are independent.
 */
#include <math.h>
#include "common.h"

/* The output columns [lo, hi) whose tap at offset `shift` (= j * d - pad) lands inside [0, w). */
JT_INLINE void tap_range(int64_t shift, int64_t stride, int64_t w, int64_t ow, int64_t *lo, int64_t *hi) {
    int64_t a = -shift, b = w - shift; /* need a <= o * stride < b */
    int64_t l = a <= 0 ? 0 : (a + stride - 1) / stride;
    int64_t h = b <= 0 ? 0 : (b + stride - 1) / stride;
    *lo = l < ow ? l : ow;
    *hi = h < ow ? h : ow;
    if (*hi < *lo) *hi = *lo;
}

/* im2col of one plane for stride 1, dilation 1 and a grid as wide as the plane (ow == w: "same" padding, as ResNet's
   3x3 convolutions): output row pitch = input row pitch, so tap (i, j)'s block [oh, ow] is the plane shifted by
   d = (i - ph) * w + (j - pw) elements: one contiguous copy from the first valid element of the first valid row to the
   last valid element of the last valid row (every read inside the plane: an invalid column of a middle row reads the
   neighbouring row), then zeros over the columns and rows that lie in the padding. Copies only: the same values as
   the row-by-row loop, in far fewer loop starts when rows are short (7 to 14 elements in ResNet's last layers). */
#define JT_IM2COL_SHIFTED(SUFFIX, T)                                                                                \
    JT_INLINE void im2col_shifted_##SUFFIX(const T *plane, T *col, int64_t h, int64_t w, int64_t kh, int64_t kw,    \
                                           int64_t ph, int64_t pw, int64_t oh) {                                    \
        for (int64_t i = 0; i < kh; i++) {                                                                          \
            int64_t sy = i - ph, ylo = sy < 0 ? -sy : 0, yhi = h - sy < oh ? h - sy : oh;                           \
            if (yhi < ylo) yhi = ylo;                                                                               \
            for (int64_t j = 0; j < kw; j++, col += oh * w) {                                                       \
                int64_t lo, hi, d = sy * w + (j - pw);                                                              \
                tap_range(j - pw, 1, w, w, &lo, &hi);                                                               \
                if (yhi == ylo || hi == lo) {                                                                       \
                    for (int64_t f = 0; f < oh * w; f++) col[f] = 0;                                                \
                    continue;                                                                                       \
                }                                                                                                   \
                for (int64_t f = 0; f < ylo * w; f++) col[f] = 0;                                                   \
                for (int64_t f = ylo * w + lo; f < (yhi - 1) * w + hi; f++) col[f] = plane[f + d];                  \
                for (int64_t y = ylo; y < yhi; y++) {                                                               \
                    for (int64_t x = 0; x < lo; x++) col[y * w + x] = 0;                                            \
                    for (int64_t x = hi; x < w; x++) col[y * w + x] = 0;                                            \
                }                                                                                                   \
                for (int64_t f = yhi * w; f < oh * w; f++) col[f] = 0;                                              \
            }                                                                                                       \
        }                                                                                                           \
    }

JT_IM2COL_SHIFTED(f32, float)
JT_IM2COL_SHIFTED(f64, double)

#define JT_IM2COL(SUFFIX, T)                                                                                        \
    JT_CLONES                                                                                                       \
    void jt_cpu_im2col_##SUFFIX(const T *in, T *cols, int64_t h, int64_t w, int64_t kh, int64_t kw, int64_t sh,    \
                                int64_t sw, int64_t ph, int64_t pw, int64_t dh, int64_t dw, int64_t oh, int64_t ow,  \
                                int64_t from, int64_t count) {                                                      \
        for (int64_t p = from; p < from + count; p++) {                                                             \
            const T *plane = in + p * h * w;                                                                        \
            T *col = cols + p * kh * kw * oh * ow;                                                                  \
            if (sh == 1 && sw == 1 && dh == 1 && dw == 1 && ow == w) {                                              \
                im2col_shifted_##SUFFIX(plane, col, h, w, kh, kw, ph, pw, oh);                                      \
                continue;                                                                                           \
            }                                                                                                       \
            for (int64_t i = 0; i < kh; i++) {                                                                      \
                for (int64_t j = 0; j < kw; j++) {                                                                  \
                    int64_t lo, hi;                                                                                 \
                    tap_range(j * dw - pw, sw, w, ow, &lo, &hi);                                                    \
                    for (int64_t y = 0; y < oh; y++, col += ow) {                                                   \
                        int64_t iy = y * sh - ph + i * dh;                                                          \
                        if (iy < 0 || iy >= h) {                                                                    \
                            for (int64_t x = 0; x < ow; x++) col[x] = 0;                                            \
                            continue;                                                                               \
                        }                                                                                           \
                        /* rows are short (7 to 112 elements in ResNet): plain loops, not memcpy/memset calls */    \
                        const T *row = plane + iy * w + j * dw - pw;                                                \
                        for (int64_t x = 0; x < lo; x++) col[x] = 0;                                                \
                        if (sw == 1) for (int64_t x = lo; x < hi; x++) col[x] = row[x];                             \
                        else for (int64_t x = lo; x < hi; x++) col[x] = row[x * sw];                                \
                        for (int64_t x = hi; x < ow; x++) col[x] = 0;                                               \
                    }                                                                                               \
                }                                                                                                   \
            }                                                                                                       \
        }                                                                                                           \
    }

#define JT_COL2IM(SUFFIX, T)                                                                                        \
    JT_CLONES                                                                                                       \
    void jt_cpu_col2im_##SUFFIX(const T *cols, T *out, int64_t h, int64_t w, int64_t kh, int64_t kw, int64_t sh,   \
                                int64_t sw, int64_t ph, int64_t pw, int64_t dh, int64_t dw, int64_t oh, int64_t ow,  \
                                int64_t from, int64_t count) {                                                      \
        for (int64_t p = from; p < from + count; p++) {                                                             \
            T *plane = out + p * h * w;                                                                             \
            const T *col = cols + p * kh * kw * oh * ow;                                                            \
            memset(plane, 0, (size_t) (h * w) * sizeof(T));                                                         \
            for (int64_t i = 0; i < kh; i++) {                                                                      \
                for (int64_t j = 0; j < kw; j++) {                                                                  \
                    int64_t lo, hi;                                                                                 \
                    tap_range(j * dw - pw, sw, w, ow, &lo, &hi);                                                    \
                    for (int64_t y = 0; y < oh; y++, col += ow) {                                                   \
                        int64_t iy = y * sh - ph + i * dh;                                                          \
                        if (iy < 0 || iy >= h) continue;                                                            \
                        T *row = plane + iy * w + j * dw - pw;                                                      \
                        for (int64_t x = lo; x < hi; x++) row[x * sw] += col[x];                                    \
                    }                                                                                               \
                }                                                                                                   \
            }                                                                                                       \
        }                                                                                                           \
    }

JT_IM2COL(f32, float)
JT_IM2COL(f64, double)
JT_COL2IM(f32, float)
JT_COL2IM(f64, double)

/* Max pooling (issue 22): per window the first in-bounds maximum in tap order, a NaN winning (the last NaN, as
   PyTorch's CPU kernel); padding taps are never read. Its backward adds each output gradient at its index.
   Output columns whose every tap column lies inside the plane, [xa, xb), are done tap by tap over the whole row
   (no bounds checks, a loop the compiler vectorises); the comparisons per window run in the same tap order as the
   per-window loop that serves the border columns, so both give the same values and indices. */
#define JT_MAX_POOL_WINDOW(T, y, x)                                                                                 \
    {                                                                                                               \
        T best = 0;                                                                                                 \
        int64_t at = -1;                                                                                            \
        for (int64_t i = 0; i < kh; i++) {                                                                          \
            int64_t iy = (y) * sh - ph + i * dh;                                                                    \
            if (iy < 0 || iy >= h) continue;                                                                        \
            for (int64_t j = 0; j < kw; j++) {                                                                      \
                int64_t ix = (x) * sw - pw + j * dw;                                                                \
                if (ix < 0 || ix >= w) continue;                                                                    \
                T v = plane[iy * w + ix];                                                                           \
                if (at < 0 || v > best || v != v) {                                                                 \
                    best = v;                                                                                       \
                    at = iy * w + ix;                                                                               \
                }                                                                                                   \
            }                                                                                                       \
        }                                                                                                           \
        o[x] = at < 0 ? (T) -INFINITY : best;                                                                       \
        oi[x] = at;                                                                                                 \
    }

#define JT_MAX_POOL(SUFFIX, T)                                                                                      \
    JT_CLONES                                                                                                       \
    void jt_cpu_max_pool2d_##SUFFIX(const T *in, T *out, int64_t *indices, int64_t h, int64_t w, int64_t kh,       \
                                    int64_t kw, int64_t sh, int64_t sw, int64_t ph, int64_t pw, int64_t dh,          \
                                    int64_t dw, int64_t oh, int64_t ow, int64_t from, int64_t count) {               \
        int64_t xa, xb, l1, h0;                                                                                     \
        tap_range(-pw, sw, w, ow, &xa, &h0);                    /* tap j = 0 inside */                              \
        tap_range((kw - 1) * dw - pw, sw, w, ow, &l1, &xb);     /* tap j = kw - 1 inside */                         \
        if (xb < xa) xb = xa;                                                                                       \
        for (int64_t p = from; p < from + count; p++) {                                                             \
            const T *plane = in + p * h * w;                                                                        \
            for (int64_t y = 0; y < oh; y++) {                                                                      \
                T *o = out + (p * oh + y) * ow;                                                                     \
                int64_t *oi = indices + (p * oh + y) * ow;                                                          \
                for (int64_t x = 0; x < xa; x++) JT_MAX_POOL_WINDOW(T, y, x)                                        \
                for (int64_t x = xb; x < ow; x++) JT_MAX_POOL_WINDOW(T, y, x)                                       \
                int first = 1;                                                                                      \
                for (int64_t i = 0; i < kh && xa < xb; i++) {                                                       \
                    int64_t iy = y * sh - ph + i * dh;                                                              \
                    if (iy < 0 || iy >= h) continue;                                                                \
                    const T *row = plane + iy * w;                                                                  \
                    for (int64_t j = 0; j < kw; j++) {                                                              \
                        int64_t shift = j * dw - pw, base = iy * w + shift;                                         \
                        if (first) {                                                                                \
                            for (int64_t x = xa; x < xb; x++) {                                                     \
                                o[x] = row[x * sw + shift];                                                         \
                                oi[x] = base + x * sw;                                                              \
                            }                                                                                       \
                            first = 0;                                                                              \
                            continue;                                                                               \
                        }                                                                                           \
                        for (int64_t x = xa; x < xb; x++) {                                                         \
                            T v = row[x * sw + shift], b = o[x];                                                    \
                            int64_t bi = oi[x];                                                                     \
                            int take = (v > b) | (v != v);                                                          \
                            o[x] = take ? v : b;                                                                    \
                            oi[x] = take ? base + x * sw : bi;                                                      \
                        }                                                                                           \
                    }                                                                                               \
                }                                                                                                   \
                for (int64_t x = xa; x < xb && first; x++) {                                                        \
                    o[x] = (T) -INFINITY;                                                                           \
                    oi[x] = -1;                                                                                     \
                }                                                                                                   \
            }                                                                                                       \
        }                                                                                                           \
    }                                                                                                               \
                                                                                                                    \
    JT_CLONES                                                                                                       \
    void jt_cpu_max_pool2d_bwd_##SUFFIX(const T *grad_out, const int64_t *indices, T *grad_in, int64_t h,          \
                                        int64_t w, int64_t oh, int64_t ow, int64_t from, int64_t count) {           \
        for (int64_t p = from; p < from + count; p++) {                                                             \
            T *plane = grad_in + p * h * w;                                                                         \
            memset(plane, 0, (size_t) (h * w) * sizeof(T));                                                        \
            for (int64_t k = p * oh * ow; k < (p + 1) * oh * ow; k++) {                                             \
                int64_t at = indices[k];                                                                            \
                if (at >= 0 && at < h * w) plane[at] += grad_out[k];                                                \
            }                                                                                                       \
        }                                                                                                           \
    }

JT_MAX_POOL(f32, float)
JT_MAX_POOL(f64, double)

/* 8-lane vectors of float (32 bytes) for the float32 batch-norm sums; float64 uses vf64/vi64. */
typedef float vf32x8 __attribute__((vector_size(32), aligned(4)));
typedef int32_t vi32x8 __attribute__((vector_size(32), aligned(4)));

/* Batch-norm statistics and the fused per-channel affine (issue 22), over contiguous x [n, c, inner] for the
   channels [from, from + count): sums in double (two passes: mean, then squared deviations), each in eight partial
   sums on a vector (element i of a row into sum i mod 8, rows in order, the eight added in order at the end), as
   the backward reduce and the Java loops of backend.cpu.CpuBatchNorm: the same bits on every ISA clone. */
#define JT_BATCH_NORM(SUFFIX, T, VT8)                                                                               \
    /* Lane j of acc (8 doubles) += f(element) for the elements j mod 8 of each row of channel ch, in row order. */ \
    JT_INLINE vf64 bn_lanes_##SUFFIX(const T *x, int64_t n, int64_t c, int64_t inner, int64_t ch, int squares, double m) { \
        vf64 acc = {0}, mv = splat_f64(m);                                                                          \
        for (int64_t b = 0; b < n; b++) {                                                                           \
            const T *p = x + (b * c + ch) * inner;                                                                  \
            int64_t i = 0;                                                                                          \
            for (; i + 8 <= inner; i += 8) {                                                                        \
                VT8 v;                                                                                              \
                memcpy(&v, p + i, sizeof v);                                                                        \
                vf64 d = __builtin_convertvector(v, vf64);                                                          \
                if (squares) {                                                                                      \
                    d = d - mv;                                                                                     \
                    acc += d * d;                                                                                   \
                } else {                                                                                            \
                    acc += d;                                                                                       \
                }                                                                                                   \
            }                                                                                                       \
            if (i < inner) {                                                                                        \
                double l[8];                                                                                        \
                memcpy(l, &acc, sizeof l);                                                                          \
                for (; i < inner; i++) {                                                                            \
                    double d = (double) p[i];                                                                       \
                    if (squares) {                                                                                  \
                        d = d - m;                                                                                  \
                        l[i & 7] += d * d;                                                                          \
                    } else {                                                                                        \
                        l[i & 7] += d;                                                                              \
                    }                                                                                               \
                }                                                                                                   \
                memcpy(&acc, l, sizeof l);                                                                          \
            }                                                                                                       \
        }                                                                                                           \
        return acc;                                                                                                 \
    }                                                                                                               \
                                                                                                                    \
    /* The lanes added in order 0..7. */                                                                            \
    JT_INLINE double bn_total_##SUFFIX(vf64 acc) {                                                                  \
        double l[8], t = 0;                                                                                         \
        memcpy(l, &acc, sizeof l);                                                                                  \
        for (int j = 0; j < 8; j++) t += l[j];                                                                      \
        return t;                                                                                                   \
    }                                                                                                               \
                                                                                                                    \
    JT_CLONES                                                                                                       \
    void jt_cpu_batch_norm_stats_##SUFFIX(const T *x, T *mean, T *invstd, int64_t n, int64_t c, int64_t inner,     \
                                          double eps, int64_t from, int64_t count) {                               \
        double total = (double) (n * inner);                                                                        \
        for (int64_t ch = from; ch < from + count; ch++) {                                                          \
            double m = bn_total_##SUFFIX(bn_lanes_##SUFFIX(x, n, c, inner, ch, 0, 0)) / total;                      \
            double v = bn_total_##SUFFIX(bn_lanes_##SUFFIX(x, n, c, inner, ch, 1, m));                              \
            mean[ch] = (T) m;                                                                                       \
            invstd[ch] = (T) (1.0 / sqrt(v / total + eps));                                                         \
        }                                                                                                           \
    }                                                                                                               \
                                                                                                                    \
    JT_CLONES                                                                                                       \
    void jt_cpu_batch_norm_elemt_##SUFFIX(const T *x, T *out, const T *scale, const T *shift, int64_t n,           \
                                          int64_t c, int64_t inner, int64_t from, int64_t count) {                 \
        for (int64_t ch = from; ch < from + count; ch++) {                                                          \
            T a = scale[ch], b0 = shift[ch];                                                                        \
            for (int64_t b = 0; b < n; b++) {                                                                       \
                const T *p = x + (b * c + ch) * inner;                                                              \
                T *o = out + (b * c + ch) * inner;                                                                  \
                for (int64_t i = 0; i < inner; i++) o[i] = p[i] * a + b0;                                           \
            }                                                                                                       \
        }                                                                                                           \
    }

JT_BATCH_NORM(f32, float, vf32x8)
JT_BATCH_NORM(f64, double, vf64)

/* Batch-norm inference fused with what follows it in a residual network (issue 22): out = x * scale + shift, then
   + residual (when given), then relu (when asked: v <= 0 ? 0 : v, NaN kept), each step rounded to the dtype as the
   separate ops round it, so the result has the same bits as elemt, add and relu one after another. */
#define JT_BATCH_NORM_ACT(SUFFIX, T)                                                                                \
    JT_CLONES                                                                                                       \
    void jt_cpu_batch_norm_elemt_act_##SUFFIX(const T *x, T *out, const T *scale, const T *shift, const T *residual, \
                                              int32_t relu, int64_t n, int64_t c, int64_t inner, int64_t from,      \
                                              int64_t count) {                                                      \
        for (int64_t ch = from; ch < from + count; ch++) {                                                          \
            T a = scale[ch], b0 = shift[ch];                                                                        \
            for (int64_t b = 0; b < n; b++) {                                                                       \
                const T *p = x + (b * c + ch) * inner;                                                              \
                T *o = out + (b * c + ch) * inner;                                                                  \
                const T *r = residual ? residual + (b * c + ch) * inner : NULL;                                     \
                if (r && relu) {                                                                                    \
                    for (int64_t i = 0; i < inner; i++) {                                                           \
                        T v = p[i] * a + b0;                                                                        \
                        v = v + r[i];                                                                               \
                        o[i] = v <= 0 ? (T) 0 : v;                                                                  \
                    }                                                                                               \
                } else if (r) {                                                                                     \
                    for (int64_t i = 0; i < inner; i++) {                                                           \
                        T v = p[i] * a + b0;                                                                        \
                        o[i] = v + r[i];                                                                            \
                    }                                                                                               \
                } else if (relu) {                                                                                  \
                    for (int64_t i = 0; i < inner; i++) {                                                           \
                        T v = p[i] * a + b0;                                                                        \
                        o[i] = v <= 0 ? (T) 0 : v;                                                                  \
                    }                                                                                               \
                } else {                                                                                            \
                    for (int64_t i = 0; i < inner; i++) o[i] = p[i] * a + b0;                                       \
                }                                                                                                   \
            }                                                                                                       \
        }                                                                                                           \
    }

JT_BATCH_NORM_ACT(f32, float)
JT_BATCH_NORM_ACT(f64, double)

/* Batch-norm training backward (issue 22), over contiguous x, g [n, c, inner] for the channels [from, from + count):
   the per-channel sums sum_g = sum g and dotp = sum g (x - mean) in double (eight partial sums, element i into sum
   i mod 8 of its row, added in order at the end: the same bits on every ISA clone; stored rounded to the dtype), then
   gx = ((g - gmean) - (x - mean) k) scale with the caller's per-channel gmean = sum_g / M, k = dotp invstd^2 / M and
   scale = weight invstd (PyTorch's formula). With out (the output of a relu that followed the batch norm, maybe
   after a residual add) the reduce pass first masks g as relu's backward does (g where out > 0, else 0), writes the
   masked g to g_masked and sums that. */
#define JT_BATCH_NORM_BWD(SUFFIX, T, VT8, VI8)                                                                      \
    JT_CLONES                                                                                                       \
    void jt_cpu_batch_norm_bwd_reduce_##SUFFIX(const T *x, const T *g, const T *out, T *g_masked, const T *mean,    \
                                               T *sum_g, T *dotp, int64_t n, int64_t c, int64_t inner, int64_t from, \
                                               int64_t count) {                                                     \
        for (int64_t ch = from; ch < from + count; ch++) {                                                          \
            /* lane j sums the elements j mod 8 of each row, in row order (the tail into its lane in order) */      \
            vf64 sg = {0}, sd = {0}, mv = splat_f64((double) mean[ch]);                                             \
            double m = (double) mean[ch];                                                                           \
            const VT8 zero = {0};                                                                                   \
            for (int64_t b = 0; b < n; b++) {                                                                       \
                int64_t at = (b * c + ch) * inner, i = 0;                                                           \
                const T *px = x + at, *pg = g + at, *po = out ? out + at : NULL;                                    \
                T *pm = out ? g_masked + at : NULL;                                                                 \
                for (; i + 8 <= inner; i += 8) {                                                                    \
                    VT8 gv, xv;                                                                                     \
                    memcpy(&gv, pg + i, sizeof gv);                                                                 \
                    memcpy(&xv, px + i, sizeof xv);                                                                 \
                    if (po) { /* g where out > 0, else +0.0 (a NaN out gives 0) */                                  \
                        VT8 ov;                                                                                     \
                        VI8 bits;                                                                                   \
                        memcpy(&ov, po + i, sizeof ov);                                                             \
                        memcpy(&bits, &gv, sizeof bits);                                                            \
                        bits &= (VI8) (ov > zero);                                                                  \
                        memcpy(&gv, &bits, sizeof gv);                                                              \
                        memcpy(pm + i, &gv, sizeof gv);                                                             \
                    }                                                                                               \
                    vf64 gd = __builtin_convertvector(gv, vf64), xd = __builtin_convertvector(xv, vf64);            \
                    sg += gd;                                                                                       \
                    sd += gd * (xd - mv);                                                                           \
                }                                                                                                   \
                if (i < inner) {                                                                                    \
                    double lg[8], ld[8];                                                                            \
                    memcpy(lg, &sg, sizeof lg);                                                                     \
                    memcpy(ld, &sd, sizeof ld);                                                                     \
                    for (; i < inner; i++) {                                                                        \
                        T gv = pg[i];                                                                               \
                        if (po) {                                                                                   \
                            gv = po[i] > 0 ? gv : (T) 0;                                                            \
                            pm[i] = gv;                                                                             \
                        }                                                                                           \
                        lg[i & 7] += (double) gv;                                                                   \
                        ld[i & 7] += (double) gv * ((double) px[i] - m);                                            \
                    }                                                                                               \
                    memcpy(&sg, lg, sizeof lg);                                                                     \
                    memcpy(&sd, ld, sizeof ld);                                                                     \
                }                                                                                                   \
            }                                                                                                       \
            double lg[8], ld[8], tg = 0, td = 0;                                                                    \
            memcpy(lg, &sg, sizeof lg);                                                                             \
            memcpy(ld, &sd, sizeof ld);                                                                             \
            for (int j = 0; j < 8; j++) {                                                                           \
                tg += lg[j];                                                                                        \
                td += ld[j];                                                                                        \
            }                                                                                                       \
            sum_g[ch] = (T) tg;                                                                                     \
            dotp[ch] = (T) td;                                                                                      \
        }                                                                                                           \
    }                                                                                                               \
                                                                                                                    \
    JT_CLONES                                                                                                       \
    void jt_cpu_batch_norm_bwd_elemt_##SUFFIX(const T *x, const T *g, T *gx, const T *mean, const T *k,             \
                                              const T *gmean, const T *scale, int64_t n, int64_t c, int64_t inner,  \
                                              int64_t from, int64_t count) {                                        \
        for (int64_t ch = from; ch < from + count; ch++) {                                                          \
            T m = mean[ch], kk = k[ch], gm = gmean[ch], s = scale[ch];                                              \
            for (int64_t b = 0; b < n; b++) {                                                                       \
                const T *px = x + (b * c + ch) * inner, *pg = g + (b * c + ch) * inner;                             \
                T *o = gx + (b * c + ch) * inner;                                                                   \
                for (int64_t i = 0; i < inner; i++) o[i] = ((pg[i] - gm) - (px[i] - m) * kk) * s;                    \
            }                                                                                                       \
        }                                                                                                           \
    }

JT_BATCH_NORM_BWD(f32, float, vf32x8, vi32x8)
JT_BATCH_NORM_BWD(f64, double, vf64, vi64)
