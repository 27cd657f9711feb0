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

/* Sums of runs rows: out[r] = scale * (jt_cpu_sum of x[r * run_stride .. + length)), the same bits as that
   entry, stored as float32 (rounded once) or float64 (out_f64 = 1): sum(dim=-1) of many rows in one call. */
void jt_cpu_sum_runs_f32(const float *x, int64_t length, int64_t run_stride, int64_t runs, double scale, int32_t out_f64,
                         void *out);
void jt_cpu_sum_runs_f64(const double *x, int64_t length, int64_t run_stride, int64_t runs, double scale, int32_t out_f64,
                         void *out);

/* Softmax (log 0) or log-softmax (log 1) of rows [from_row, from_row + rows) of a row-major matrix whose
   rows are length long, in (contiguous) to out (contiguous, same shape; may be in): a row holding a NaN or
   +inf, or only -inf, becomes all NaN (as the Java loop); any other row is shifted by its maximum m,
   exponentials in float32 (a polynomial within 1 ulp of exp, 0 below -87.3), their sum in double;
   softmax = e * (float)(1 / sum), log-softmax = (x - m) - (float)log(sum). */
void jt_cpu_softmax_f32(int32_t log, const float *in, float *out, int64_t length, int64_t from_row, int64_t rows);

/* ---- reductions (issue 12, the reductions helper): sums along a leading dim ---- */

/* The "vertical" sum (sum(dim=0) of a row-major matrix): out[j] = scale * sum over r < rows of
   x[r * stride + j] for j < count, stored as float32 (out_f64 0) or float64 (1). x and out point at the
   first element. Each column is summed on its own in row order exactly as CpuSum's Java loop: float32 rows
   four at a time, ((r0 + r1) + (r2 + r3)) in float, then into a double accumulator; the rows left one at a
   time; float64 rows one at a time. The result does not depend on the ISA clone or on how the caller splits
   the columns. */
void jt_cpu_sum_rows_f32(const float *x, int64_t rows, int64_t stride, int64_t count, double scale, int32_t out_f64,
                         void *out);
void jt_cpu_sum_rows_f64(const double *x, int64_t rows, int64_t stride, int64_t count, double scale, int32_t out_f64,
                         void *out);

/* ---- softmax along a strided dim (issue 12, the reductions helper) ---- */

/* Softmax (log 0) or log-softmax (log 1) of cols neighbouring lines: line c's element k is
   in[c + k * in_stride] and goes to out[c + k * out_stride], for c < cols, k < length (softmax(0) of a
   row-major matrix: in_stride = out_stride = its row length). Per line as jt_cpu_softmax_f32 (the same
   exponential, the same special cases), the sum in double in element order. out may be in only when the
   strides are equal. */
void jt_cpu_softmax_cols_f32(int32_t log, const float *in, int64_t in_stride, float *out, int64_t out_stride,
                             int64_t length, int64_t cols);

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

/* ---- casts (issue 12, the reductions helper): integers <-> floats, float64 <-> float16/bfloat16 ---- */

/* Element types of jt_cpu_cast. */
enum jt_cpu_dtype {
    JT_CPU_BOOL = 0, JT_CPU_UINT8 = 1, JT_CPU_INT8 = 2, JT_CPU_INT16 = 3, JT_CPU_INT32 = 4, JT_CPU_INT64 = 5,
    JT_CPU_FLOAT16 = 6, JT_CPU_BFLOAT16 = 7, JT_CPU_FLOAT32 = 8, JT_CPU_FLOAT64 = 9
};

/* dst[i] = (dst type) src[i] for i in [from, from + count), contiguous, as the Java conversion of CpuCopy for
   the pair: bool/uint8/int8/int16/int32/int64 -> float32/float64 (bool as 0/1; int64 -> float32 rounded once),
   float32/float64 -> int64 as Java's (long) (NaN 0, saturated, truncated) and -> int32 as Java's (int) (long)
   (the low 32 bits of that), float64 -> float16/bfloat16 through float32 and back exactly. Returns 1, or 0
   (nothing done) for a pair not listed. */
int32_t jt_cpu_cast(int32_t src_type, const void *src, int32_t dst_type, void *dst, int64_t from, int64_t count);

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

/* Adam/AdamW: m = fma(a1, g, m * b1); v = v * b2 + a2 * g * g; with amsgrad (v_max not NULL)
   v_max = max(v_max, v) (Java's Math.max: NaN wins) and that is used for v below;
   p = p + neg_step * m / (sqrt(v) / bc2_sqrt + eps), with a1 = 1 - beta1, a2 = 1 - beta2. */
void jt_cpu_adam_f32(int32_t flags, float b1, float b2, float a1, float a2, float weight_decay, float shrink,
                     float bc2_sqrt, float eps, float neg_step, float *p, const float *g, float *m, float *v,
                     float *v_max, int64_t from, int64_t count);
void jt_cpu_adam_f64(int32_t flags, double b1, double b2, double a1, double a2, double weight_decay, double shrink,
                     double bc2_sqrt, double eps, double neg_step, double *p, const double *g, double *m, double *v,
                     double *v_max, int64_t from, int64_t count);

/* ---- optimizer steps (issue 12, the reductions helper): RMSprop and Adagrad ---- */

/* RMSprop (flags MAXIMIZE, WEIGHT_DECAY: g = fma(weight_decay, p, g)):
   square_avg = fma(one_minus_alpha * g, g, square_avg * alpha);
   centered (grad_avg not NULL): grad_avg = fma(one_minus_alpha, g, grad_avg * alpha),
   avg = sqrt(fma(-grad_avg, grad_avg, square_avg)), else avg = sqrt(square_avg); avg = avg + eps;
   momentum (buf not NULL): buf = buf * momentum + g / avg, p = fma(neg_lr, buf, p); else p = p + neg_lr * g / avg. */
void jt_cpu_rmsprop_f32(int32_t flags, float alpha, float one_minus_alpha, float eps, float momentum, float weight_decay,
                        float neg_lr, float *p, const float *g, float *square_avg, float *grad_avg, float *buf,
                        int64_t from, int64_t count);
void jt_cpu_rmsprop_f64(int32_t flags, double alpha, double one_minus_alpha, double eps, double momentum,
                        double weight_decay, double neg_lr, double *p, const double *g, double *square_avg,
                        double *grad_avg, double *buf, int64_t from, int64_t count);

/* Adagrad (flags MAXIMIZE, WEIGHT_DECAY as RMSprop): sum = fma(g, g, sum); p = p + neg_clr * g / (sqrt(sum) + eps),
   neg_clr the negated decayed learning rate of this step. */
void jt_cpu_adagrad_f32(int32_t flags, float weight_decay, float eps, float neg_clr, float *p, const float *g, float *sum,
                        int64_t from, int64_t count);
void jt_cpu_adagrad_f64(int32_t flags, double weight_decay, double eps, double neg_clr, double *p, const double *g,
                        double *sum, int64_t from, int64_t count);

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

/* ---- fused scaled dot-product attention (issue 23; native/cpu/attention.c) ---- */

/* For the batch x heads slices bh in [from, from + count) of contiguous q [BH, l, e], k [BH, s, e], v [BH, s, ev]:
   out[bh, i] = sum_j softmax_j(scale * q_i . k_j + bias[bh, i, j]) v_j and lse[bh, i] = the row's log-sum-exp,
   with keys j > i skipped when causal (top-left aligned, as PyTorch). bias (may be null) is an additive float32
   [l, s] block per slice, bias_stride elements apart (0: one block for all); -inf masks a key. Keys are visited in
   blocks of 64 with an online softmax: no [l, s] matrix is stored. A row with every key masked gets NaN output and
   NaN lse. */
void jt_cpu_attention_fwd_f32(const float *q, const float *k, const float *v, const float *bias, int64_t bias_stride,
                              float *out, float *lse, int64_t l, int64_t s, int64_t e, int64_t ev, float scale,
                              int32_t causal, int64_t from, int64_t count);

/* The gradients of the forward above for the same slices, given its out and lse and the output gradient dout:
   with p_ij = exp(score_ij - lse_i) and D_i = dout_i . out_i, dv_j = sum_i p_ij dout_i,
   ds_ij = p_ij (dout_i . v_j - D_i) scale, dq_i = sum_j ds_ij k_j, dk_j = sum_i ds_ij q_i. dq, dk, dv are
   overwritten (contiguous, shaped as q, k, v). */
void jt_cpu_attention_bwd_f32(const float *q, const float *k, const float *v, const float *bias, int64_t bias_stride,
                              const float *out, const float *lse, const float *dout, float *dq, float *dk, float *dv,
                              int64_t l, int64_t s, int64_t e, int64_t ev, float scale, int32_t causal, int64_t from,
                              int64_t count);

/* ---- fused recurrent cells (issue 23; native/cpu/rnn.c): PyTorch's _thnn_fused_lstm_cell / _thnn_fused_gru_cell ---- */

/* LSTM cell over the elements e = n * hidden + j in [from, from + count) of the [N, H] states (all contiguous):
   a_k = igates[n, k H + j] + hgates[n, k H + j] (+ bias_ih[k H + j]) (+ bias_hh[k H + j]) for the gates k = i, f, g, o
   (biases may be null); i = sigmoid(a_i), f = sigmoid(a_f), g = tanh(a_g), o = sigmoid(a_o); cy = f cx + i g,
   hy = o tanh(cy); workspace [N, 4H] receives i, f, g, o. Every operation rounds to the element type in that order;
   sigmoid(x) = 1 / (1 + exp(-x)) and tanh in float64 (libm), rounded once. */
void jt_cpu_lstm_cell_f32(const float *igates, const float *hgates, const float *bias_ih, const float *bias_hh,
                          const float *cx, float *hy, float *cy, float *workspace, int64_t hidden, int64_t from,
                          int64_t count);
void jt_cpu_lstm_cell_f64(const double *igates, const double *hgates, const double *bias_ih, const double *bias_hh,
                          const double *cx, double *hy, double *cy, double *workspace, int64_t hidden, int64_t from,
                          int64_t count);

/* Its backward for the same elements, from the forward's cx, cy and workspace and the output gradients grad_hy,
   grad_cy (either may be null: zero): t = tanh(cy), gc = grad_hy o (1 - t t) + grad_cy; grad_cx = gc f;
   grad_gates [N, 4H] = (gc g i (1 - i), gc cx f (1 - f), gc i (1 - g g), grad_hy t o (1 - o)) (PyTorch's
   lstm_cell_backward order of operations). The gradient of each bias is grad_gates summed over N. */
void jt_cpu_lstm_cell_bwd_f32(const float *grad_hy, const float *grad_cy, const float *cx, const float *cy,
                              const float *workspace, float *grad_gates, float *grad_cx, int64_t hidden, int64_t from,
                              int64_t count);
void jt_cpu_lstm_cell_bwd_f64(const double *grad_hy, const double *grad_cy, const double *cx, const double *cy,
                              const double *workspace, double *grad_gates, double *grad_cx, int64_t hidden, int64_t from,
                              int64_t count);

/* GRU cell for the same elements: gates r, z, n of igates/hgates [N, 3H] each with its bias added first
   (ir = igates_r + bias_ih_r, hr = hgates_r + bias_hh_r, ...); r = sigmoid(ir + hr), z = sigmoid(iz + hz),
   n = tanh(in + r hn), hy = n + z (hx - n); workspace [N, 5H] receives r, z, n, hx, hn. */
void jt_cpu_gru_cell_f32(const float *igates, const float *hgates, const float *bias_ih, const float *bias_hh,
                         const float *hx, float *hy, float *workspace, int64_t hidden, int64_t from, int64_t count);
void jt_cpu_gru_cell_f64(const double *igates, const double *hgates, const double *bias_ih, const double *bias_hh,
                         const double *hx, double *hy, double *workspace, int64_t hidden, int64_t from, int64_t count);

/* Its backward: with go = grad_hy, dz = go (hx - n) (1 - z) z, dn = go (1 - z) (1 - n n), dr = dn hn (1 - r) r;
   grad_igates = (dr, dz, dn), grad_hgates = (dr, dz, dn r), grad_hx = go z (PyTorch's gru_cell_backward). */
void jt_cpu_gru_cell_bwd_f32(const float *grad_hy, const float *workspace, float *grad_igates, float *grad_hgates,
                             float *grad_hx, int64_t hidden, int64_t from, int64_t count);
void jt_cpu_gru_cell_bwd_f64(const double *grad_hy, const double *workspace, double *grad_igates, double *grad_hgates,
                             double *grad_hx, int64_t hidden, int64_t from, int64_t count);

/* ---- layer norm and GELU backward (issue 23, the GPT step; native/cpu/norm.c) ---- */

/* Layer norm of the rows r in [from_row, from_row + rows) of contiguous x [R, cols]: m = sum_j x[r, j] / cols and
   v = sum_j (x[r, j] - m)^2 / cols accumulated in float64 in element order, rs = 1 / sqrt(v + eps);
   y[r, j] = ((x[r, j] - m) rs) w[j] + b[j] in float64, rounded once (w, b may be null: 1, 0); mean[r] = m and
   rstd[r] = rs rounded to the element type. */
void jt_cpu_layer_norm_f32(const float *x, const float *w, const float *b, float *y, float *mean, float *rstd, int64_t cols,
                           double eps, int64_t from_row, int64_t rows);
void jt_cpu_layer_norm_f64(const double *x, const double *w, const double *b, double *y, double *mean, double *rstd,
                           int64_t cols, double eps, int64_t from_row, int64_t rows);

/* Its backward for the same rows from the forward's mean and rstd: with xh = (x - m) rs and gw = g w (g where w is null),
   A = sum_j gw / cols, C = sum_j gw xh / cols (float64, element order), dx = rs (gw - A - xh C) rounded once; gxhat
   (may be null) receives g xh, whose column sums are the weight's gradient. */
void jt_cpu_layer_norm_bwd_f32(const float *g, const float *x, const float *mean, const float *rstd, const float *w, float *dx,
                               float *gxhat, int64_t cols, int64_t from_row, int64_t rows);
void jt_cpu_layer_norm_bwd_f64(const double *g, const double *x, const double *mean, const double *rstd, const double *w,
                               double *dx, double *gxhat, int64_t cols, int64_t from_row, int64_t rows);

/* GELU's backward for the elements [from, from + count): dx = g gelu'(x) in float64, rounded once; gelu'(x) =
   Phi(x) + x phi(x) (erf and exp of libm), or with tanh_approx the derivative of 0.5 x (1 + tanh(sqrt(2/pi)(x + 0.044715 x^3))). */
void jt_cpu_gelu_bwd_f32(const float *g, const float *x, float *dx, int32_t tanh_approx, int64_t from, int64_t count);
void jt_cpu_gelu_bwd_f64(const double *g, const double *x, double *dx, int32_t tanh_approx, int64_t from, int64_t count);

/* ---- sliding windows of 2-d convolution and pooling (issue 22; native/cpu/conv.c) ---- */

/* For the planes p in [from, from + count) of contiguous in [P, h, w] and cols [P, kh * kw, oh, ow]:
   cols[p, i * kw + j, y, x] = in[p, y * sh - ph + i * dh, x * sw - pw + j * dw], 0 where that position lies
   outside [0, h) x [0, w) (the zero padding). Copies only. */
void jt_cpu_im2col_f32(const float *in, float *cols, int64_t h, int64_t w, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                       int64_t ph, int64_t pw, int64_t dh, int64_t dw, int64_t oh, int64_t ow, int64_t from, int64_t count);
void jt_cpu_im2col_f64(const double *in, double *cols, int64_t h, int64_t w, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                       int64_t ph, int64_t pw, int64_t dh, int64_t dw, int64_t oh, int64_t ow, int64_t from, int64_t count);

/* The adjoint of im2col for the same planes: out [P, h, w] is overwritten with the sum of the column elements
   that im2col would have copied from each position (padding taps dropped), added onto 0 in tap order
   (i, then j, then y, x). */
void jt_cpu_col2im_f32(const float *cols, float *out, int64_t h, int64_t w, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                       int64_t ph, int64_t pw, int64_t dh, int64_t dw, int64_t oh, int64_t ow, int64_t from, int64_t count);
void jt_cpu_col2im_f64(const double *cols, double *out, int64_t h, int64_t w, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                       int64_t ph, int64_t pw, int64_t dh, int64_t dw, int64_t oh, int64_t ow, int64_t from, int64_t count);

/* Max pooling over the same geometry: out[p, y, x] = the maximum of the in-bounds taps of window (y, x) (padding
   is never read), indices[p, y, x] = its flat position in the h x w plane: the first maximum in tap order, a NaN
   always taking over (the last NaN wins, as PyTorch's CPU kernel); -inf and -1 for a window with no in-bounds tap. */
void jt_cpu_max_pool2d_f32(const float *in, float *out, int64_t *indices, int64_t h, int64_t w, int64_t kh, int64_t kw,
                           int64_t sh, int64_t sw, int64_t ph, int64_t pw, int64_t dh, int64_t dw, int64_t oh, int64_t ow,
                           int64_t from, int64_t count);
void jt_cpu_max_pool2d_f64(const double *in, double *out, int64_t *indices, int64_t h, int64_t w, int64_t kh, int64_t kw,
                           int64_t sh, int64_t sw, int64_t ph, int64_t pw, int64_t dh, int64_t dw, int64_t oh, int64_t ow,
                           int64_t from, int64_t count);

/* Its backward for the planes [from, from + count): grad_in [P, h, w] overwritten with 0 plus, in output order, each
   grad_out [P, oh, ow] element at its index (indices outside [0, h * w) are skipped). */
void jt_cpu_max_pool2d_bwd_f32(const float *grad_out, const int64_t *indices, float *grad_in, int64_t h, int64_t w,
                               int64_t oh, int64_t ow, int64_t from, int64_t count);
void jt_cpu_max_pool2d_bwd_f64(const double *grad_out, const int64_t *indices, double *grad_in, int64_t h, int64_t w,
                               int64_t oh, int64_t ow, int64_t from, int64_t count);

/* Batch-norm statistics of contiguous x [n, c, inner] for the channels [from, from + count): mean[ch] and
   invstd[ch] = 1 / sqrt(biased variance + eps), summed in double (mean first, then the squared deviations from it),
   each in eight partial sums (element i of a row into sum i mod 8, rows in order, the eight added in order; ABI 7),
   rounded once to the dtype. */
void jt_cpu_batch_norm_stats_f32(const float *x, float *mean, float *invstd, int64_t n, int64_t c, int64_t inner, double eps,
                                 int64_t from, int64_t count);
void jt_cpu_batch_norm_stats_f64(const double *x, double *mean, double *invstd, int64_t n, int64_t c, int64_t inner, double eps,
                                 int64_t from, int64_t count);

/* The per-channel affine of batch-norm inference: out[b, ch, i] = x[b, ch, i] * scale[ch] + shift[ch] (two roundings). */
void jt_cpu_batch_norm_elemt_f32(const float *x, float *out, const float *scale, const float *shift, int64_t n, int64_t c,
                                 int64_t inner, int64_t from, int64_t count);
void jt_cpu_batch_norm_elemt_f64(const double *x, double *out, const double *scale, const double *shift, int64_t n, int64_t c,
                                 int64_t inner, int64_t from, int64_t count);

/* Batch-norm inference fused with a residual add and relu (ABI 6): out = x * scale[ch] + shift[ch], then
   + residual[b, ch, i] when residual is not NULL, then relu (v <= 0 ? 0 : v) when relu is not 0; each step rounded
   as the separate ops (elemt, add, relu) round it. */
void jt_cpu_batch_norm_elemt_act_f32(const float *x, float *out, const float *scale, const float *shift, const float *residual,
                                     int32_t relu, int64_t n, int64_t c, int64_t inner, int64_t from, int64_t count);
void jt_cpu_batch_norm_elemt_act_f64(const double *x, double *out, const double *scale, const double *shift, const double *residual,
                                     int32_t relu, int64_t n, int64_t c, int64_t inner, int64_t from, int64_t count);

/* Batch-norm training backward (ABI 6), contiguous x, g [n, c, inner], channels [from, from + count): per channel
   sum_g = sum g and dotp = sum g (x - mean) accumulated in double, rounded once to the dtype; when out is not NULL
   (the output of a relu after the batch norm) g is first masked as relu's backward masks it (g where out > 0, else 0),
   the masked g written to g_masked and summed ... */
void jt_cpu_batch_norm_bwd_reduce_f32(const float *x, const float *g, const float *out, float *g_masked, const float *mean,
                                      float *sum_g, float *dotp, int64_t n, int64_t c, int64_t inner, int64_t from, int64_t count);
void jt_cpu_batch_norm_bwd_reduce_f64(const double *x, const double *g, const double *out, double *g_masked, const double *mean,
                                      double *sum_g, double *dotp, int64_t n, int64_t c, int64_t inner, int64_t from, int64_t count);
/* ... and gx = ((g - gmean[ch]) - (x - mean[ch]) * k[ch]) * scale[ch] (gmean = sum_g / M, k = dotp invstd^2 / M,
   scale = weight invstd, computed by the caller). */
void jt_cpu_batch_norm_bwd_elemt_f32(const float *x, const float *g, float *gx, const float *mean, const float *k,
                                     const float *gmean, const float *scale, int64_t n, int64_t c, int64_t inner, int64_t from,
                                     int64_t count);
void jt_cpu_batch_norm_bwd_elemt_f64(const double *x, const double *g, double *gx, const double *mean, const double *k,
                                     const double *gmean, const double *scale, int64_t n, int64_t c, int64_t inner, int64_t from,
                                     int64_t count);

/* ReLU's backward, threshold_backward(g, y, 0) (native/cpu/threshold.c, ABI 7): out[i] = y[i] <= 0 ? +0.0 : g[i] (a NaN y
   passes g; g's bits copied) for i in [from, from + count), each operand element i at pointer + i * its stride (any
   sign, 0 = broadcast; all 1: vectorised). out may be g or y (in place); any other overlap is undefined. */
void jt_cpu_threshold_backward_f32(float *out, int64_t out_stride, const float *g, int64_t g_stride, const float *y,
                                   int64_t y_stride, int64_t from, int64_t count);
void jt_cpu_threshold_backward_f64(double *out, int64_t out_stride, const double *g, int64_t g_stride, const double *y,
                                   int64_t y_stride, int64_t from, int64_t count);

/* File mappings guarded against SIGBUS (native/cpu/guard.c, issue 24): while [start, start + length) is
   registered, a SIGBUS at an address in it (its file shrank underneath) maps zero pages over the rest of the
   range, marks the slot faulted and returns, on any thread; every other SIGBUS goes to the handler installed
   before (the JVM's). jt_cpu_guard_add returns the slot, or -1 when none is free (the mapping is then not
   guarded); jt_cpu_guard_faulted is 1 once a fault was absorbed; remove a slot only when nothing uses it. */
int32_t jt_cpu_guard_add(void *start, int64_t length, int32_t writable);
void jt_cpu_guard_remove(int32_t slot);
int32_t jt_cpu_guard_faulted(int32_t slot);

#ifdef __cplusplus
}
#endif

#endif /* JTENSOR_CPU_H */
