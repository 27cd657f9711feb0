/*
 * jtensor's CUDA kernels: the C ABI the engine calls through jextract (dev.jtensor.bindings.cuda).
 *
 * STYLE G8: one .cu file per op family under native/cuda/, each exposing extern "C" launchers declared
 * here. A launcher validates its arguments, computes the grid, launches on the stream it is given and
 * returns a cudaError_t as int (0 = cudaSuccess; JT_ERR_* below for argument errors found before any
 * launch). Java never packs kernel arguments; it fills the plain structs below and passes pointers.
 *
 * Conventions:
 *  - Pointers named `out`, `x`, `a`, `b`, ... are device pointers to the *base* of a buffer; element
 *    offsets and strides (in elements, never bytes) come in the plan structs.
 *  - `stream` is a cudaStream_t (NULL = the legacy default stream).
 *  - dtype codes are jt_dtype; op codes are the enums below, named as the engine's Java enums
 *    (UnaryKernel, BinaryKernel, ReduceKernel) and mapped by exhaustive switches on the Java side.
 *  - float16 and bfloat16 compute in float32 and round on store (PyTorch's rule); integer types compute
 *    in int64; bool is stored as one byte 0/1.
 *  - Every launcher accepts numel == 0 and returns 0 without launching.
 *
 * The CUDA runtime is linked statically into libjtensor_cuda.so, so the runtime entry points the engine
 * needs (device queries, memory, copies, streams, events) are wrapped here too: the engine never loads
 * libcudart.
 */
#ifndef JTENSOR_CUDA_H
#define JTENSOR_CUDA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define JT_MAX_DIMS 16
#define JT_MAX_OPERANDS 4

/* Argument errors found by a launcher before launching (distinct from every cudaError_t value). */
#define JT_ERR_BAD_DTYPE 10001
#define JT_ERR_BAD_OP 10002
#define JT_ERR_BAD_RANK 10003
#define JT_ERR_BAD_ARGUMENT 10004
#define JT_ERR_INTEGER_DIVISION_BY_ZERO 10005

typedef enum jt_dtype {
    JT_FLOAT32 = 0,
    JT_FLOAT64 = 1,
    JT_FLOAT16 = 2,
    JT_BFLOAT16 = 3,
    JT_INT8 = 4,
    JT_UINT8 = 5,
    JT_INT16 = 6,
    JT_INT32 = 7,
    JT_INT64 = 8,
    JT_BOOL = 9
} jt_dtype;

/*
 * An elementwise iteration: `operands` operands (the output first) walked together over `shape`
 * (row-major order, dims already merged by the engine's IterPlan). Operand k's element at position
 * (i_0..i_{rank-1}) is at offset[k] + sum_d i_d * strides[k * JT_MAX_DIMS + d]. Strides may be 0
 * (broadcast) or negative.
 */
typedef struct jt_iter_plan {
    int32_t rank;
    int32_t operands;
    int64_t numel;
    int64_t shape[JT_MAX_DIMS];
    int64_t offset[JT_MAX_OPERANDS];
    int64_t strides[JT_MAX_OPERANDS * JT_MAX_DIMS];
} jt_iter_plan;

/*
 * A reduction: `output_count` groups, group o's base offset is offset + sum_d o_d * outer_strides[d]
 * (o unravelled row-major over outer_shape[0..outer_rank)), and its `inner_count` elements are at
 * base + sum_d j_d * inner_strides[d] (j unravelled row-major over inner_shape[0..inner_rank)).
 * Outputs are written contiguously in group order (out[o], indices[o]).
 * The scan and softmax launchers use the same struct: each group is one line.
 */
typedef struct jt_reduce_plan {
    int32_t outer_rank;
    int32_t inner_rank;
    int64_t output_count;
    int64_t inner_count;
    int64_t offset;
    int64_t outer_shape[JT_MAX_DIMS];
    int64_t outer_strides[JT_MAX_DIMS];
    int64_t inner_shape[JT_MAX_DIMS];
    int64_t inner_strides[JT_MAX_DIMS];
} jt_reduce_plan;

/* A strided tensor view: element at (i_0..) is offset + sum_d i_d * strides[d]. */
typedef struct jt_layout {
    int32_t rank;
    int64_t numel;
    int64_t offset;
    int64_t shape[JT_MAX_DIMS];
    int64_t strides[JT_MAX_DIMS];
} jt_layout;

typedef enum jt_unary_op {
    JT_NEG, JT_ABS, JT_SIGN, JT_EXP, JT_EXPM1, JT_LOG, JT_LOG1P, JT_LOG2, JT_SQRT, JT_RSQRT, JT_SQUARE,
    JT_RECIPROCAL, JT_SIN, JT_COS, JT_TAN, JT_TANH, JT_SIGMOID, JT_RELU, JT_ERF, JT_GELU, JT_GELU_TANH,
    JT_SILU, JT_FLOOR, JT_CEIL,
    JT_ROUND,          /* half to even */
    JT_TRUNC,
    JT_CLAMP,          /* min(max(x, p0), p1); a NaN bound means no bound; NaN x stays NaN */
    JT_NAN_TO_NUM,     /* NaN -> p0, +inf -> p1, -inf -> p2 */
    JT_ISNAN, JT_ISINF, JT_ISFINITE, JT_LOGICAL_NOT, /* bool results */
    JT_IDENTITY,       /* out = x converted: the strided copy/cast */
    JT_FILL            /* out = p0 converted; x is not read (may be NULL) */
} jt_unary_op;

typedef enum jt_binary_op {
    JT_ADD,            /* a + alpha * b */
    JT_SUB,            /* a - alpha * b */
    JT_MUL, JT_DIV,
    JT_FLOOR_DIV,      /* floor(a / b); integer division by zero -> JT_ERR_INTEGER_DIVISION_BY_ZERO is not detectable
                          on the device: integer x // 0 writes 0 (the engine checks divisors first) */
    JT_REMAINDER,      /* a - floor(a / b) * b (sign of the divisor) */
    JT_POW, JT_MAXIMUM, JT_MINIMUM, /* NaN propagates */
    JT_ATAN2,
    JT_THRESHOLD_BACKWARD, /* b <= 0 ? 0 : a */
    JT_EQ, JT_NE, JT_LT, JT_LE, JT_GT, JT_GE, JT_LOGICAL_AND, JT_LOGICAL_OR, JT_LOGICAL_XOR /* bool results */
} jt_binary_op;

typedef enum jt_reduce_op {
    JT_SUM,        /* param * sum (param = 1 for sum, 1/n for mean); float inputs accumulate in double,
                      integer inputs exactly in int64 (param ignored) */
    JT_PROD,
    JT_AMAX, JT_AMIN,       /* NaN if any NaN */
    JT_MAX, JT_MIN,         /* value and int64 index (within the group, row-major) of the first extreme (first NaN) */
    JT_ALL, JT_ANY,         /* bool results; ALL of an empty group is true */
    JT_NORM,                /* (sum |x|^p)^(1/p); p = +inf max|x|, -inf min|x|, 0 count of nonzeros */
    JT_VAR,                 /* sum (x - mean)^2 / (n - param), two passes */
    JT_LOGSUMEXP
} jt_reduce_op;

/* ---------------- runtime (wrapping the statically linked CUDA runtime) ---------------- */

/* The version of this ABI (2: the CNN window and attention launchers; 3: index values checked on the device,
   jt_cuda_take_index_error, and the fused recurrent cells of rnn.cu); the engine refuses a library whose version differs from the one it was built for (a
   library without this function is version 1). */
int jt_cuda_abi_version(void);
/* cudaGetDeviceCount; with no driver or no device the cudaError_t says which (count set to 0). */
int jt_cuda_device_count(int* count);
int jt_cuda_driver_version(int* version);
int jt_cuda_runtime_version(int* version);
/* The message of a cudaError_t or JT_ERR_* code (static storage, never NULL). */
const char* jt_cuda_error_string(int error);
/* Device properties: name (NUL-terminated, truncated to name_capacity), memory, compute capability, SMs. */
int jt_cuda_device_properties(int device, char* name, size_t name_capacity, size_t* total_memory,
                              int* major, int* minor, int* multiprocessors);
int jt_cuda_set_device(int device);
int jt_cuda_mem_get_info(int device, size_t* free_bytes, size_t* total_bytes);
int jt_cuda_malloc(int device, void** pointer, size_t bytes);
int jt_cuda_free(int device, void* pointer);
/* Page-locked host memory for staging copies. */
int jt_cuda_host_alloc(void** pointer, size_t bytes);
int jt_cuda_host_free(void* pointer);
int jt_cuda_stream_create(int device, void** stream);
int jt_cuda_stream_destroy(void* stream);
int jt_cuda_stream_synchronize(void* stream);
int jt_cuda_device_synchronize(int device);
/* Asynchronous on `stream`; kind: 1 host->device, 2 device->host, 3 device->device. */
int jt_cuda_memcpy_async(void* dst, const void* src, size_t bytes, int kind, void* stream);
int jt_cuda_memset_async(void* dst, int value, size_t bytes, void* stream);
/* The first error of the device since the last call (cudaGetLastError), to check after launches. */
int jt_cuda_last_error(void);
/* Events, for timing on the device. */
int jt_cuda_event_create(void** event);
int jt_cuda_event_destroy(void* event);
int jt_cuda_event_record(void* event, void* stream);
int jt_cuda_event_synchronize(void* event);
int jt_cuda_event_elapsed_ms(float* ms, void* start, void* end);

/* ---------------- elementwise (unary.cu, binary.cu, copy_cast.cu) ---------------- */

/* out = op(x) over plan (operands: out, x) computing in `compute`. */
int jt_unary(int op, int compute, double p0, double p1, double p2, const jt_iter_plan* plan,
             void* out, int out_type, const void* x, int x_type, void* stream);

/* out = a (op) b over plan (operands: out, a, b) computing in `compute`; alpha scales b for ADD/SUB. */
int jt_binary(int op, int compute, double alpha, const jt_iter_plan* plan,
              void* out, int out_type, const void* a, int a_type, const void* b, int b_type, void* stream);

/* out = cond ? a : b over plan (operands: out, cond, a, b); a and b converted to out_type. */
int jt_where(const jt_iter_plan* plan, void* out, int out_type, const void* cond, int cond_type,
             const void* a, int a_type, const void* b, int b_type, void* stream);

/* ---------------- reductions, scans, softmax (reduce.cu, softmax.cu) ---------------- */

/*
 * out[o] = op over group o of `in` (see jt_reduce_plan), stored as out_type; indices (int64, may be
 * NULL) receive the arg position for MAX/MIN. `workspace` is device scratch of at least
 * jt_reduce_workspace_bytes(plan) bytes (may be NULL when that is 0).
 */
size_t jt_reduce_workspace_bytes(const jt_reduce_plan* plan);
int jt_reduce(int op, double param, const void* in, int in_type, const jt_reduce_plan* plan,
              void* out, int out_type, int64_t* indices, void* workspace, void* stream);

/*
 * Inclusive cumulative sum (prod = 0) or product along lines: group o of plan is one line whose
 * first element is at the group's base and whose `length` elements are in_stride apart; out is
 * written at out_base(o) + i * after where out_base(o) is o's row-major position in out's shape with
 * the line dim removed: out_base(o) = (o / after) * length * after + (o % after).
 */
int jt_scan(int prod, const void* in, int in_type, const jt_reduce_plan* plan, int64_t length, int64_t in_stride,
            int64_t after, void* out, int out_type, void* stream);

/* Softmax (log = 0) or log-softmax of every line (as jt_scan's lines); out contiguous, same dtype (f32/f64/f16/bf16). */
int jt_softmax(int log, const void* in, int type, const jt_reduce_plan* plan, int64_t length, int64_t in_stride,
               int64_t after, void* out, void* stream);

/* ---------------- indexing (index.cu); index arrays are device int64, checked on the device ----------------
 * A value outside [0, size of the dim it addresses) skips its element (the output keeps what it held there) and
 * the first such value of the device is recorded (value, dim, size) until jt_cuda_take_index_error takes it. */

/* out[p] = x[p with p[dim] := index[p]] for every row-major position p of index_shape (rank = x's rank). */
int jt_gather(const void* x, int type, const jt_layout* x_layout, int dim, const int64_t* index,
              const jt_layout* index_shape, void* out, void* stream);
/* out[p with p[dim] := index[p]] = src[p] (+= when accumulate, atomically); src NULL writes value. */
int jt_scatter(void* out, int type, const jt_layout* out_layout, int dim, const int64_t* index,
               const jt_layout* index_shape, const void* src, const jt_layout* src_layout, double value,
               int accumulate, void* stream);
/* x[p] = value where mask[p] (bool) for every position of x_layout's shape. */
int jt_masked_fill(void* x, int type, const jt_layout* x_layout, const void* mask, const jt_layout* mask_layout,
                   double value, void* stream);
/* Takes the index error record of `device` in the order of `stream` (a one-thread kernel moves it aside and clears
 * it, then it is copied back and the stream waited for): *found = 1 and record = {value, dim, size} of the first
 * out-of-range index a kernel met since the last take, else *found = 0. With only_if_idle != 0 it returns at once
 * (*found = 0, the record kept) while work is still queued on the stream. */
int jt_cuda_take_index_error(int device, void* stream, int only_if_idle, int64_t* record, int* found);

/* ---------------- fused optimizer steps (optim.cu): n contiguous elements, type f32 or f64 ---------------- */

/* SGD; momentum_buffer used when momentum != 0 (filled from the gradient when first != 0). */
int jt_sgd_step(int type, int64_t n, void* param, const void* grad, void* momentum_buffer, double lr, double momentum,
                double dampening, double weight_decay, int nesterov, int maximize, int first, void* stream);
/* Adam/AdamW (decoupled); max_exp_avg_sq used when amsgrad. step_size = lr / (1 - beta1^t), bc2_sqrt = sqrt(1 - beta2^t). */
int jt_adam_step(int type, int64_t n, void* param, const void* grad, void* exp_avg, void* exp_avg_sq, void* max_exp_avg_sq,
                 double lr, double beta1, double beta2, double eps, double weight_decay, int decoupled, int amsgrad,
                 int maximize, double step_size, double bc2_sqrt, void* stream);
/* RMSprop; grad_avg used when centered, momentum_buffer when momentum > 0. */
int jt_rmsprop_step(int type, int64_t n, void* param, const void* grad, void* square_avg, void* grad_avg,
                    void* momentum_buffer, double lr, double alpha, double eps, double weight_decay, double momentum,
                    int centered, int maximize, void* stream);
int jt_adagrad_step(int type, int64_t n, void* param, const void* grad, void* sum, double clr, double eps,
                    double weight_decay, int maximize, void* stream);

/* ---------------- fused recurrent cells (rnn.cu): type f32 or f64, contiguous [N, H] states ---------------- */

/* PyTorch's _thnn_fused_lstm_cell: gates [N, 4H] (i, f, g, o) summed with the optional biases [4H] (NULL for none);
   cy = f cx + i g, hy = o tanh(cy); workspace [N, 4H] receives the activated gates. As jt_cpu_lstm_cell_f32/f64. */
int jt_lstm_cell(int type, int64_t n, int64_t hidden, const void* igates, const void* hgates, const void* bias_ih,
                 const void* bias_hh, const void* cx, void* hy, void* cy, void* workspace, void* stream);
/* Its backward: grad_gates [N, 4H] and grad_cx [N, H]; grad_hy or grad_cy NULL for zero. */
int jt_lstm_cell_backward(int type, int64_t n, int64_t hidden, const void* grad_hy, const void* grad_cy, const void* cx,
                          const void* cy, const void* workspace, void* grad_gates, void* grad_cx, void* stream);
/* PyTorch's _thnn_fused_gru_cell: gates [N, 3H] (r, z, n), biases [3H] or NULL; workspace [N, 5H] (r, z, n, hx, hn). */
int jt_gru_cell(int type, int64_t n, int64_t hidden, const void* igates, const void* hgates, const void* bias_ih,
                const void* bias_hh, const void* hx, void* hy, void* workspace, void* stream);
/* Its backward: grad_igates and grad_hgates [N, 3H], grad_hx [N, H]. */
int jt_gru_cell_backward(int type, int64_t n, int64_t hidden, const void* grad_hy, const void* workspace, void* grad_igates,
                         void* grad_hgates, void* grad_hx, void* stream);

/* ---------------- random numbers (random.cu): Philox4x32-10, counter-based ---------------- */

/*
 * Fills out[0..n) (contiguous, of `type`) from the Philox4x32-10 stream of key `seed` starting at counter
 * `offset`: dist 0 uniform in [a, b) (float types), 1 normal with mean a and standard deviation b (Box-Muller,
 * float types), 2 integers uniform in [a, b) (a, b exact in double; any type). Element i takes its bits from
 * counter offset + i / 4 (float32/16/bf16 uniform and normal) or offset + i / 2 (float64 and integers), so a
 * call uses at most n counters: the caller advances its offset by n for the next call. Same (seed, offset,
 * n, type) = same numbers on every GPU.
 */
int jt_random(int dist, int type, int64_t n, void* out, uint64_t seed, uint64_t offset, double a, double b, void* stream);

/* ---------------- CNN windows (conv.cu, issue 22): float32 or float64, contiguous operands ---------------- */

/*
 * The geometry of one im2col/col2im/pooling call, as the engine's WindowShape: `planes` contiguous planes
 * [h, w]; window (y, x) of the output grid [oh, ow] has taps (i, j) < (kh, kw) reading plane row
 * y * sh - ph + i * dh, column x * sw - pw + j * dw (positions outside the plane read as zero padding).
 * Columns are contiguous [planes, kh * kw, oh, ow].
 */
typedef struct jt_window_shape {
    int64_t planes, h, w;
    int64_t kh, kw, sh, sw, ph, pw, dh, dw;
    int64_t oh, ow;
} jt_window_shape;

/* cols[p, i * kw + j, y, x] = in[p, tap row, tap column], 0 in the padding (the CPU kernel's copies: equal bits). */
int jt_im2col(int type, const jt_window_shape* shape, const void* in, void* cols, void* stream);
/* The adjoint: out [planes, h, w] overwritten with the taps that read each position, added onto 0 in tap order
   (i, then j: one thread per position, no atomics; the CPU's bits). */
int jt_col2im(int type, const jt_window_shape* shape, const void* cols, void* out, void* stream);
/* Max pooling: out [planes, oh, ow] the first in-bounds maximum of each window in tap order (a NaN always taking
   over), indices its flat position in the h x w plane; -inf and -1 for a window with no in-bounds tap (the CPU's). */
int jt_max_pool2d(int type, const jt_window_shape* shape, const void* in, void* out, int64_t* indices, void* stream);
/* Its backward: grad_in [planes, h, w] overwritten with 0 plus each grad_out element at its index. deterministic != 0:
   one thread per position gathers, in output order, the windows covering it whose index names it (the CPU's bits;
   indices must lie inside their own window, as the forward writes them); 0: zero, then atomicAdd per window
   (any index in [0, h * w); float sums in an order that may change run to run where windows overlap). */
int jt_max_pool2d_backward(int type, const jt_window_shape* shape, const void* grad_out, const int64_t* indices, void* grad_in,
                           int deterministic, void* stream);

/* Batch-norm statistics of x [n, c, inner]: mean[ch] and invstd[ch] = 1 / sqrt(biased variance + eps), two passes
   summed in double by one block per channel (a fixed tree: deterministic), rounded once to the dtype. */
int jt_batch_norm_stats(int type, int64_t n, int64_t c, int64_t inner, double eps, const void* x, void* mean, void* invstd,
                        void* stream);
/* out = x * scale[ch] + shift[ch], then + residual (when not NULL, [n, c, inner]), then relu (v <= 0 ? 0 : v) when
   relu != 0; each step rounded as the separate ops round it. */
int jt_batch_norm_elemt(int type, int64_t n, int64_t c, int64_t inner, const void* x, const void* scale, const void* shift,
                        const void* residual, int relu, void* out, void* stream);
/* Training backward, first pass: sum_g[ch] = sum g, dotp[ch] = sum g (x - mean[ch]) in double (one block per channel);
   with out (not NULL) g is first masked (g where out > 0, else 0) and the masked g written to g_masked. */
int jt_batch_norm_backward_reduce(int type, int64_t n, int64_t c, int64_t inner, const void* x, const void* g, const void* out,
                                  void* g_masked, const void* mean, void* sum_g, void* dotp, void* stream);
/* Second pass: gx = ((g - gmean[ch]) - (x - mean[ch]) * k[ch]) * scale[ch]. */
int jt_batch_norm_backward_elemt(int type, int64_t n, int64_t c, int64_t inner, const void* x, const void* g, const void* mean,
                                 const void* k, const void* gmean, const void* scale, void* gx, void* stream);

/* ---------------- fused scaled dot-product attention (attention.cu, issue 23): float32 ---------------- */

/*
 * One call's sizes, as the engine's AttentionShape: batch_heads slices of contiguous q [l, e], k [s, e], v [s, ev],
 * out [l, ev], lse [l]; scores scale * q_i . k_j + bias[bh * bias_stride + i * s + j] (bias may be NULL; -inf
 * masks a key); keys j > i skipped when causal (top-left aligned). A row with every key masked gets NaN.
 */
typedef struct jt_attention_shape {
    int64_t batch_heads, l, s, e, ev, bias_stride;
    double scale;
    int32_t causal;
} jt_attention_shape;

/* out = softmax(scores) v and lse = each row's log-sum-exp, flash-attention style (key tiles in shared memory, an
   online softmax; no [l, s] matrix). JT_ERR_BAD_ARGUMENT when a head dim needs more shared memory than the device has. */
int jt_attention_forward(const jt_attention_shape* shape, const float* q, const float* k, const float* v, const float* bias,
                         float* out, float* lse, void* stream);
/* Device scratch bytes jt_attention_backward needs. */
size_t jt_attention_backward_workspace_bytes(const jt_attention_shape* shape);
/* dq, dk, dv (overwritten) from the forward's out and lse and the output gradient dout, recomputing the probabilities:
   one kernel per query tile for dq and one per key tile for dk, dv (no atomics: deterministic). */
int jt_attention_backward(const jt_attention_shape* shape, const float* q, const float* k, const float* v, const float* bias,
                          const float* out, const float* lse, const float* dout, float* dq, float* dk, float* dv, void* workspace,
                          void* stream);

#ifdef __cplusplus
}
#endif

#endif /* JTENSOR_CUDA_H */
