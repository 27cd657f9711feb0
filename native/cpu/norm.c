/*
 * Layer norm forward and backward over rows, and GELU's backward, float32 and float64 (issue 23, the GPT step): each
 * one pass over its rows or elements where the composite of elementwise ops makes 8 (layer norm forward), about 20
 * (its backward) or 8 (GELU backward) passes and as many temporaries.
 *
 * Arithmetic as the Java loops of CpuNorms (the oracle for -Djtensor.native=false): row sums accumulate in float64 in
 * element order; each output element is computed in float64 from the row statistics and rounded once. The caller
 * (Java's intra-op pool) splits the rows [from_row, from_row + rows) or elements [from, from + count) over threads.
 */
#include <math.h>
#include "common.h"

#define JT_NORM_KERNELS(T, SFX)                                                                                     \
    JT_CLONES                                                                                                       \
    void jt_cpu_layer_norm_##SFX(const T *x, const T *w, const T *b, T *y, T *mean, T *rstd, int64_t cols,          \
                                 double eps, int64_t from_row, int64_t rows) {                                      \
        for (int64_t r = from_row; r < from_row + rows; r++) {                                                     \
            const T *xr = x + r * cols;                                                                            \
            T *yr = y + r * cols;                                                                                  \
            double s = 0;                                                                                          \
            for (int64_t j = 0; j < cols; j++) s += xr[j];                                                         \
            double m = s / cols, v = 0;                                                                            \
            for (int64_t j = 0; j < cols; j++) {                                                                   \
                double d = xr[j] - m;                                                                              \
                v += d * d;                                                                                        \
            }                                                                                                      \
            double rs = 1.0 / sqrt(v / cols + eps);                                                                \
            mean[r] = (T) m;                                                                                       \
            rstd[r] = (T) rs;                                                                                      \
            for (int64_t j = 0; j < cols; j++) {                                                                   \
                double o = (xr[j] - m) * rs;                                                                       \
                if (w) o = o * w[j];                                                                               \
                if (b) o = o + b[j];                                                                               \
                yr[j] = (T) o;                                                                                     \
            }                                                                                                      \
        }                                                                                                          \
    }                                                                                                              \
                                                                                                                   \
    JT_CLONES                                                                                                      \
    void jt_cpu_layer_norm_bwd_##SFX(const T *g, const T *x, const T *mean, const T *rstd, const T *w, T *dx,      \
                                     T *gxhat, int64_t cols, int64_t from_row, int64_t rows) {                     \
        for (int64_t r = from_row; r < from_row + rows; r++) {                                                     \
            const T *gr = g + r * cols, *xr = x + r * cols;                                                        \
            double m = mean[r], rs = rstd[r], sg = 0, sgx = 0;                                                     \
            for (int64_t j = 0; j < cols; j++) {                                                                   \
                double gw = w ? (double) gr[j] * w[j] : gr[j];                                                     \
                sg += gw;                                                                                          \
                sgx += gw * ((xr[j] - m) * rs);                                                                    \
            }                                                                                                      \
            double a = sg / cols, c = sgx / cols;                                                                  \
            for (int64_t j = 0; j < cols; j++) {                                                                   \
                double xh = (xr[j] - m) * rs, gw = w ? (double) gr[j] * w[j] : gr[j];                              \
                dx[r * cols + j] = (T) (rs * (gw - a - xh * c));                                                   \
                if (gxhat) gxhat[r * cols + j] = (T) (gr[j] * xh);                                                 \
            }                                                                                                      \
        }                                                                                                          \
    }                                                                                                              \
                                                                                                                   \
    JT_CLONES                                                                                                      \
    void jt_cpu_gelu_bwd_##SFX(const T *g, const T *x, T *dx, int32_t tanh_approx, int64_t from, int64_t count) {  \
        for (int64_t i = from; i < from + count; i++) {                                                            \
            double v = x[i], d;                                                                                    \
            if (tanh_approx) {                                                                                     \
                double k = 0.7978845608028654, t = tanh(k * (v + 0.044715 * v * v * v));                          \
                d = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * k * (1 + 3 * 0.044715 * v * v);                       \
            } else {                                                                                               \
                d = 0.5 * (1 + erf(v * 0.7071067811865476)) + v * exp(-0.5 * v * v) * 0.3989422804014327;          \
            }                                                                                                      \
            dx[i] = (T) (g[i] * d);                                                                                \
        }                                                                                                          \
    }

JT_NORM_KERNELS(float, f32)
JT_NORM_KERNELS(double, f64)
