/*
 * The fused optimizer steps (jtensor_cpu.h), the Java loops of CpuOptimizerSteps and CpuUpdate in C:
 * the same operations in the same order, fma() exactly where they call Math.fma (gcc emits vfmadd on the
 * AVX2/AVX-512 clones and calls libm's correctly rounded fma on the baseline), nothing contracted
 * (-ffp-contract=off), so float32 results equal the Java loops', and so PyTorch's, bit for bit.
 * sqrtf(v) equals Java's (float) Math.sqrt(v): double rounding is innocuous for square roots.
 */
#include <math.h>
#include "common.h"

JT_CLONES void jt_cpu_axpy_f32(float alpha, const float *x, float *y, int64_t from, int64_t count) {
    x += from;
    y += from;
    for (int64_t i = 0; i < count; i++) y[i] = fmaf(alpha, x[i], y[i]);
}

JT_CLONES void jt_cpu_axpy_f64(double alpha, const double *x, double *y, int64_t from, int64_t count) {
    x += from;
    y += from;
    for (int64_t i = 0; i < count; i++) y[i] = fma(alpha, x[i], y[i]);
}

#define SGD_BODY(T, FMA)                                                   \
    p += from;                                                              \
    g += from;                                                              \
    if (buf) buf += from;                                                   \
    for (int64_t i = 0; i < count; i++) {                                   \
        T pi = p[i], gi = g[i];                                             \
        if (flags & JT_CPU_MAXIMIZE) gi = -gi;                              \
        if (flags & JT_CPU_WEIGHT_DECAY) gi = FMA(weight_decay, pi, gi);    \
        if (buf) {                                                          \
            T b = (flags & JT_CPU_FIRST) ? gi : FMA(keep, gi, buf[i] * momentum); \
            buf[i] = b;                                                     \
            gi = (flags & JT_CPU_NESTEROV) ? FMA(momentum, b, gi) : b;      \
        }                                                                   \
        p[i] = FMA(neg_lr, gi, pi);                                         \
    }

JT_CLONES void jt_cpu_sgd_f32(int32_t flags, float neg_lr, float weight_decay, float momentum, float keep,
                              float *p, const float *g, float *buf, int64_t from, int64_t count) {
    SGD_BODY(float, fmaf)
}

JT_CLONES void jt_cpu_sgd_f64(int32_t flags, double neg_lr, double weight_decay, double momentum, double keep,
                              double *p, const double *g, double *buf, int64_t from, int64_t count) {
    SGD_BODY(double, fma)
}

/* Java's Math.max(float/double): NaN when either is NaN (a's NaN first), +0 over -0, else the larger. */
#define JAVA_MAX(a, b) ((a) != (a) ? (a) : ((a) == 0 && (b) == 0 && signbit(a)) ? (b) : (a) >= (b) ? (a) : (b))

#define ADAM_BODY(T, FMA, SQRT)                                             \
    p += from;                                                              \
    g += from;                                                              \
    m += from;                                                              \
    v += from;                                                              \
    if (v_max) v_max += from;                                               \
    for (int64_t i = 0; i < count; i++) {                                   \
        T pi = p[i], gi = g[i];                                             \
        if (flags & JT_CPU_MAXIMIZE) gi = -gi;                              \
        if (flags & JT_CPU_DECOUPLED) pi = pi * shrink;                     \
        else if (flags & JT_CPU_WEIGHT_DECAY) gi = FMA(weight_decay, pi, gi); \
        T mi = FMA(a1, gi, m[i] * b1);                                      \
        T vi = v[i] * b2 + a2 * gi * gi;                                    \
        m[i] = mi;                                                          \
        v[i] = vi;                                                          \
        T vh = vi;                                                          \
        if (v_max) {                                                        \
            T old = v_max[i];                                               \
            vh = JAVA_MAX(old, vh);                                         \
            v_max[i] = vh;                                                  \
        }                                                                   \
        T denom = SQRT(vh) / bc2_sqrt + eps;                                \
        p[i] = pi + neg_step * mi / denom;                                  \
    }

JT_CLONES void jt_cpu_adam_f32(int32_t flags, float b1, float b2, float a1, float a2, float weight_decay, float shrink,
                               float bc2_sqrt, float eps, float neg_step, float *p, const float *g, float *m, float *v,
                               float *v_max, int64_t from, int64_t count) {
    ADAM_BODY(float, fmaf, sqrtf)
}

JT_CLONES void jt_cpu_adam_f64(int32_t flags, double b1, double b2, double a1, double a2, double weight_decay,
                               double shrink, double bc2_sqrt, double eps, double neg_step, double *p, const double *g,
                               double *m, double *v, double *v_max, int64_t from, int64_t count) {
    ADAM_BODY(double, fma, sqrt)
}

/* ---- RMSprop and Adagrad (issue 12, the reductions helper) ---- */

#define RMSPROP_BODY(T, FMA, SQRT)                                          \
    p += from;                                                              \
    g += from;                                                              \
    square_avg += from;                                                     \
    if (grad_avg) grad_avg += from;                                         \
    if (buf) buf += from;                                                   \
    for (int64_t i = 0; i < count; i++) {                                   \
        T pi = p[i], gi = g[i];                                             \
        if (flags & JT_CPU_MAXIMIZE) gi = -gi;                              \
        if (flags & JT_CPU_WEIGHT_DECAY) gi = FMA(weight_decay, pi, gi);    \
        T s = FMA(one_minus_alpha * gi, gi, square_avg[i] * alpha);         \
        square_avg[i] = s;                                                  \
        T avg;                                                              \
        if (grad_avg) {                                                     \
            T a = FMA(one_minus_alpha, gi, grad_avg[i] * alpha);            \
            grad_avg[i] = a;                                                \
            avg = SQRT(FMA(-a, a, s));                                      \
        } else {                                                            \
            avg = SQRT(s);                                                  \
        }                                                                   \
        avg = avg + eps;                                                    \
        if (buf) {                                                          \
            T b = buf[i] * momentum + gi / avg;                             \
            buf[i] = b;                                                     \
            p[i] = FMA(neg_lr, b, pi);                                      \
        } else {                                                            \
            p[i] = pi + neg_lr * gi / avg;                                  \
        }                                                                   \
    }

JT_CLONES void jt_cpu_rmsprop_f32(int32_t flags, float alpha, float one_minus_alpha, float eps, float momentum,
                                  float weight_decay, float neg_lr, float *p, const float *g, float *square_avg,
                                  float *grad_avg, float *buf, int64_t from, int64_t count) {
    RMSPROP_BODY(float, fmaf, sqrtf)
}

JT_CLONES void jt_cpu_rmsprop_f64(int32_t flags, double alpha, double one_minus_alpha, double eps, double momentum,
                                  double weight_decay, double neg_lr, double *p, const double *g, double *square_avg,
                                  double *grad_avg, double *buf, int64_t from, int64_t count) {
    RMSPROP_BODY(double, fma, sqrt)
}

#define ADAGRAD_BODY(T, FMA, SQRT)                                          \
    p += from;                                                              \
    g += from;                                                              \
    sum += from;                                                            \
    for (int64_t i = 0; i < count; i++) {                                   \
        T pi = p[i], gi = g[i];                                             \
        if (flags & JT_CPU_MAXIMIZE) gi = -gi;                              \
        if (flags & JT_CPU_WEIGHT_DECAY) gi = FMA(weight_decay, pi, gi);    \
        T s = FMA(gi, gi, sum[i]);                                          \
        sum[i] = s;                                                         \
        T std = SQRT(s) + eps;                                              \
        p[i] = pi + neg_clr * gi / std;                                     \
    }

JT_CLONES void jt_cpu_adagrad_f32(int32_t flags, float weight_decay, float eps, float neg_clr, float *p, const float *g,
                                  float *sum, int64_t from, int64_t count) {
    ADAGRAD_BODY(float, fmaf, sqrtf)
}

JT_CLONES void jt_cpu_adagrad_f64(int32_t flags, double weight_decay, double eps, double neg_clr, double *p,
                                  const double *g, double *sum, int64_t from, int64_t count) {
    ADAGRAD_BODY(double, fma, sqrt)
}
