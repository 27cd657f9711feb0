/*
 * jtensor_cpu.h: the C ABI of libjtensor_cpu.so, jtensor's CPU kernels for the hot memory-bound verbs
 * (DESIGN section 6, STYLE G6/G8). Built by native/build-cpu.sh (gcc, per-ISA clones: x86-64-v4 (AVX-512),
 * x86-64-v3 (AVX2+FMA), baseline x86-64, chosen by the loader at load time); bound by jextract into
 * dev.jtensor.bindings.cpukernels (bindings/regenerate.sh, bindings/symbols/jtensor_cpu.txt); called only
 * through the engine's facade dev.jtensor.backend.cpu.NativeKernels.
 *
 * Conventions:
 *   - Every entry works on the element range [from, from + count) of its operands: pointers are the
 *     operands' element 0 and the caller (Java's intra-op pool) splits a large range into chunks, one
 *     call per chunk and thread. No entry starts a thread, allocates, or keeps a pointer.
 *   - Contiguous operands only (elements 1 apart), except where a stride is named.
 *   - Arithmetic is IEEE with round-to-nearest and no contraction (-ffp-contract=off): a*b+c rounds twice
 *     unless the kernel says fma, exactly as the Java loops that are its oracle. Every ISA clone computes
 *     the same operations in the same order, lane for lane, so all give the same bits.
 *   - Only C99 fixed-width types: jextract needs no system header beyond stdint.h.
 */
#ifndef JTENSOR_CPU_H
#define JTENSOR_CPU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The binary kernels: ADD is a + alpha * b, SUB a - alpha * b (alpha rounded to the dtype, product
   rounded, then the sum), MUL a * b, DIV a / b. */
enum jt_cpu_binary_op { JT_CPU_ADD = 0, JT_CPU_SUB = 1, JT_CPU_MUL = 2, JT_CPU_DIV = 3,
                        JT_CPU_MAXIMUM = 4, JT_CPU_MINIMUM = 5 /* jt_cpu_binary_strided_* only */ };

/* The version of this ABI; the engine refuses a library whose version differs from the one it was built for. */
int32_t jt_cpu_abi_version(void);

/* The ISA clone the loader chose: 4 for x86-64-v4 (AVX-512), 3 for x86-64-v3 (AVX2 + FMA), 1 for baseline. */
int32_t jt_cpu_isa_level(void);

/* out[i] = a[i] (op) b[i * b_stride] for i in [from, from + count); b_stride is 1 or 0 (one broadcast element).
   out may be a (in place); any other overlap is undefined. */
void jt_cpu_binary_f32(int32_t op, float alpha, float *out, const float *a, const float *b, int32_t b_stride,
                       int64_t from, int64_t count);
void jt_cpu_binary_f64(int32_t op, double alpha, double *out, const double *a, const double *b, int32_t b_stride,
                       int64_t from, int64_t count);

/* The sum of x[from .. from + count), returned in double. The range is cut into blocks of 4096 elements from
   its start; a block is summed in 64 float32 lanes (32 float64 lanes) combined in a fixed pairwise order, and
   the block sums are added in double in block order. The result depends only on (x, from, count): not on the
   ISA clone, and not on any thread count (callers split ranges at fixed multiples of 4096). */
double jt_cpu_sum_f32(const float *x, int64_t from, int64_t count);
double jt_cpu_sum_f64(const double *x, int64_t from, int64_t count);

/* Softmax (log 0) or log-softmax (log 1) of rows [from_row, from_row + rows) of a row-major matrix whose
   rows are length long, in (contiguous) to out (contiguous, same shape; may be in): each row is shifted by
   its maximum (a NaN in a row makes it NaN; a row of -inf is shifted by 0), exponentials in float32 (a
   polynomial within 2 ulp of exp), their sum in double; softmax = e * (float)(1 / sum),
   log-softmax = (x - max) - (float)log(sum). */
void jt_cpu_softmax_f32(int32_t log, const float *in, float *out, int64_t length, int64_t from_row, int64_t rows);

/* Contiguous casts dst[i] = (dst type) src[i] for i in [from, from + count). float16/bfloat16 are their
   bits (uint16_t); narrowing rounds to nearest even (as Java's Float.floatToFloat16 and jtensor's
   Elements.toBFloat16); a NaN stays a NaN (bfloat16: 0x7fc0; float16: quiet, the sign and the payload's
   top bits kept). */
void jt_cpu_cast_f32_f64(const float *src, double *dst, int64_t from, int64_t count);
void jt_cpu_cast_f64_f32(const double *src, float *dst, int64_t from, int64_t count);
void jt_cpu_cast_f32_bf16(const float *src, uint16_t *dst, int64_t from, int64_t count);
void jt_cpu_cast_bf16_f32(const uint16_t *src, float *dst, int64_t from, int64_t count);
void jt_cpu_cast_f16_f32(const uint16_t *src, float *dst, int64_t from, int64_t count);
void jt_cpu_cast_f32_f16(const float *src, uint16_t *dst, int64_t from, int64_t count);

/* Fused optimizer steps, bit for bit the Java loops of CpuOptimizerSteps/CpuUpdate (fma exactly where they
   use Math.fma). Flags of the SGD and Adam steps: */
enum jt_cpu_step_flag {
    JT_CPU_MAXIMIZE = 1,      /* g = -g first */
    JT_CPU_WEIGHT_DECAY = 2,  /* g = fma(weight_decay, p, g) (Adam: unless decoupled) */
    JT_CPU_NESTEROV = 4,      /* SGD: g = fma(momentum, buf, g) instead of g = buf */
    JT_CPU_FIRST = 8,         /* SGD: the momentum buffer is set to g (the first step) */
    JT_CPU_DECOUPLED = 16     /* Adam: AdamW, p = p * shrink before the update */
};

/* y[i] = fma(alpha, x[i], y[i]): plain SGD (alpha = -lr). */
void jt_cpu_axpy_f32(float alpha, const float *x, float *y, int64_t from, int64_t count);
void jt_cpu_axpy_f64(double alpha, const double *x, double *y, int64_t from, int64_t count);

/* SGD with weight decay and/or momentum: buf NULL for none; keep = 1 - dampening; then p = fma(neg_lr, g, p). */
void jt_cpu_sgd_f32(int32_t flags, float neg_lr, float weight_decay, float momentum, float keep,
                    float *p, const float *g, float *buf, int64_t from, int64_t count);
void jt_cpu_sgd_f64(int32_t flags, double neg_lr, double weight_decay, double momentum, double keep,
                    double *p, const double *g, double *buf, int64_t from, int64_t count);

/* Adam/AdamW without amsgrad: m = fma(a1, g, m * b1); v = v * b2 + a2 * g * g;
   p = p + neg_step * m / (sqrt(v) / bc2_sqrt + eps), with a1 = 1 - beta1, a2 = 1 - beta2. */
void jt_cpu_adam_f32(int32_t flags, float b1, float b2, float a1, float a2, float weight_decay, float shrink,
                     float bc2_sqrt, float eps, float neg_step, float *p, const float *g, float *m, float *v,
                     int64_t from, int64_t count);
void jt_cpu_adam_f64(int32_t flags, double b1, double b2, double a1, double a2, double weight_decay, double shrink,
                     double bc2_sqrt, double eps, double neg_step, double *p, const double *g, double *m, double *v,
                     int64_t from, int64_t count);

/* ---------------- elementwise: unary kernels and strided binary kernels (unary.c, binary.c) ----------------
   Strided operands: element i of an operand with stride s is p[i * s] (s any int64: 0 broadcasts one element,
   negative walks down from p); i runs over [from, from + count). out may be an input (in place, same stride);
   any other overlap is undefined. */

/* The unary kernels, as ScalarMath.unary: NEG -x, ABS, SQUARE x*x, RELU (x <= 0 ? 0 : x, NaN stays), SQRT,
   RSQRT 1/sqrt(x), RECIPROCAL 1/x, FLOOR, CEIL, TRUNC, ROUND (half to even), CLAMP min(max(x, p0), p1) (a NaN
   bound is no bound, a NaN x stays NaN, +0.0 counts above -0.0 as in Java's Math.max/min), EXP, LOG,
   SIGMOID 1/(1+exp(-x)), TANH, SILU x/(1+exp(-x)), ERF (ScalarMath.erf's series and continued fraction, step
   for step), GELU 0.5 x (1 + erf(x / sqrt 2)). */
enum jt_cpu_unary_op {
    JT_CPU_NEG = 0, JT_CPU_ABS = 1, JT_CPU_SQUARE = 2, JT_CPU_RELU = 3, JT_CPU_SQRT = 4, JT_CPU_RSQRT = 5,
    JT_CPU_RECIPROCAL = 6, JT_CPU_FLOOR = 7, JT_CPU_CEIL = 8, JT_CPU_TRUNC = 9, JT_CPU_ROUND = 10,
    JT_CPU_CLAMP = 11, JT_CPU_EXP = 12, JT_CPU_LOG = 13, JT_CPU_SIGMOID = 14, JT_CPU_TANH = 15, JT_CPU_SILU = 16,
    JT_CPU_ERF = 17, JT_CPU_GELU = 18
};

/* out[i * out_stride] = f(x[i * x_stride]), computed in float64 and (f32) rounded once to float32, as the Java
   loops. Exactly rounded kernels (all but EXP, LOG, SIGMOID, TANH, SILU, ERF, GELU) give Java's bits. EXP, LOG,
   TANH are polynomials in float64 (unary.c) within about 1 float64 ulp of the exact value (SIGMOID, SILU, ERF,
   GELU through EXP), so float32 results are within 1 float32 ulp of Java's (equal but for rare near-ties) and
   float64 results within 6 float64 ulp (GELU below x = -4, where 1 + erf cancels in Java too: within 1e-15 |x|);
   infinities, NaN, zeros, overflow and underflow as Java. Same bits on every ISA clone. */
void jt_cpu_unary_f32(int32_t op, double p0, double p1, float *out, int64_t out_stride, const float *x,
                      int64_t x_stride, int64_t from, int64_t count);
void jt_cpu_unary_f64(int32_t op, double p0, double p1, double *out, int64_t out_stride, const double *x,
                      int64_t x_stride, int64_t from, int64_t count);

/* out[i * out_stride] = a[i * a_stride] (op) b[i * b_stride], as the Java per-element loop (CpuFloatLoops.binary
   with strides, ScalarMath.binary): float32 ADD/SUB as (float) (a + alpha * b) computed in float64 (alpha not
   rounded to float32; the contiguous jt_cpu_binary_f32 rounds it, as the Java contiguous loop); MUL, DIV in the
   dtype (the same bits as float64 rounded); MAXIMUM/MINIMUM propagate NaN and order +0.0 above -0.0. */
void jt_cpu_binary_strided_f32(int32_t op, double alpha, float *out, int64_t out_stride, const float *a,
                               int64_t a_stride, const float *b, int64_t b_stride, int64_t from, int64_t count);
void jt_cpu_binary_strided_f64(int32_t op, double alpha, double *out, int64_t out_stride, const double *a,
                               int64_t a_stride, const double *b, int64_t b_stride, int64_t from, int64_t count);
/* Integer ADD/SUB/MUL (a + alpha * b, a - alpha * b, a * b), wrapping around as Java's int and long arithmetic. */
void jt_cpu_binary_strided_i32(int32_t op, int32_t alpha, int32_t *out, int64_t out_stride, const int32_t *a,
                               int64_t a_stride, const int32_t *b, int64_t b_stride, int64_t from, int64_t count);
void jt_cpu_binary_strided_i64(int32_t op, int64_t alpha, int64_t *out, int64_t out_stride, const int64_t *a,
                               int64_t a_stride, const int64_t *b, int64_t b_stride, int64_t from, int64_t count);

#ifdef __cplusplus
}
#endif

#endif /* JTENSOR_CPU_H */
