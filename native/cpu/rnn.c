/*
 * Fused recurrent cell pointwise kernels (issue 23): PyTorch's _thnn_fused_lstm_cell and _thnn_fused_gru_cell,
 * forward and backward, float32 and float64, each one pass over the elements (n, j) of a [N, H] state. The gate
 * pre-activations come from two matrix products done before (input gates x W_ih^T, hidden gates h W_hh^T, each
 * [N, G * H] with PyTorch's gate order) and the optional biases [G * H]; the kernels add them up, apply the
 * nonlinearities, and keep the activated gates in a workspace that the backward reads.
 *
 * Arithmetic as the Java loops of CpuRnnCells (the oracle for -Djtensor.native=false): every operation rounds
 * to the element type in the order written here; sigmoid(x) = 1 / (1 + exp(-x)) and tanh(x) are computed in
 * float64 with libm and rounded once (the same function whatever ISA clone runs; Java's Math.exp/tanh agree to
 * within one float64 ulp, so float32 results agree but for rare ties). The caller (Java's intra-op pool) splits
 * the N * H elements [from, from + count) over threads; no element is written by two calls.
 */
#include <math.h>
#include "common.h"

JT_INLINE double sigmoid_d(double x) { return 1.0 / (1.0 + exp(-x)); }

#define JT_RNN_KERNELS(T, SFX)                                                                                     \
    JT_CLONES                                                                                                      \
    void jt_cpu_lstm_cell_##SFX(const T *igates, const T *hgates, const T *bias_ih, const T *bias_hh, const T *cx, \
                                T *hy, T *cy, T *workspace, int64_t hidden, int64_t from, int64_t count) {        \
        for (int64_t e = from; e < from + count; e++) {                                                           \
            int64_t n = e / hidden, j = e % hidden, row = n * 4 * hidden;                                         \
            T a[4];                                                                                               \
            for (int k = 0; k < 4; k++) {                                                                         \
                int64_t idx = row + k * hidden + j;                                                               \
                T v = igates[idx] + hgates[idx];                                                                  \
                if (bias_ih) v = v + bias_ih[k * hidden + j];                                                     \
                if (bias_hh) v = v + bias_hh[k * hidden + j];                                                     \
                a[k] = v;                                                                                         \
            }                                                                                                     \
            T ig = (T) sigmoid_d(a[0]), fg = (T) sigmoid_d(a[1]), cg = (T) tanh(a[2]), og = (T) sigmoid_d(a[3]); \
            T c = fg * cx[e] + ig * cg;                                                                           \
            cy[e] = c;                                                                                            \
            hy[e] = og * (T) tanh(c);                                                                             \
            workspace[row + j] = ig;                                                                              \
            workspace[row + hidden + j] = fg;                                                                     \
            workspace[row + 2 * hidden + j] = cg;                                                                 \
            workspace[row + 3 * hidden + j] = og;                                                                 \
        }                                                                                                         \
    }                                                                                                             \
                                                                                                                  \
    JT_CLONES                                                                                                     \
    void jt_cpu_lstm_cell_bwd_##SFX(const T *grad_hy, const T *grad_cy, const T *cx, const T *cy,                 \
                                    const T *workspace, T *grad_gates, T *grad_cx, int64_t hidden, int64_t from,  \
                                    int64_t count) {                                                              \
        for (int64_t e = from; e < from + count; e++) {                                                           \
            int64_t n = e / hidden, j = e % hidden, row = n * 4 * hidden;                                         \
            T ig = workspace[row + j], fg = workspace[row + hidden + j];                                          \
            T cg = workspace[row + 2 * hidden + j], og = workspace[row + 3 * hidden + j];                         \
            T go = grad_hy ? grad_hy[e] : 0, goc = grad_cy ? grad_cy[e] : 0;                                      \
            T tc = (T) tanh(cy[e]);                                                                               \
            T gog = go * tc;                                                                                      \
            T gc = go * og * (1 - tc * tc) + goc;                                                                 \
            T gig = gc * cg, gfg = gc * cx[e], gcg = gc * ig;                                                     \
            grad_cx[e] = gc * fg;                                                                                 \
            grad_gates[row + j] = gig * (1 - ig) * ig;                                                            \
            grad_gates[row + hidden + j] = gfg * (1 - fg) * fg;                                                   \
            grad_gates[row + 2 * hidden + j] = gcg * (1 - cg * cg);                                               \
            grad_gates[row + 3 * hidden + j] = gog * (1 - og) * og;                                               \
        }                                                                                                         \
    }                                                                                                             \
                                                                                                                  \
    JT_CLONES                                                                                                     \
    void jt_cpu_gru_cell_##SFX(const T *igates, const T *hgates, const T *bias_ih, const T *bias_hh, const T *hx,  \
                               T *hy, T *workspace, int64_t hidden, int64_t from, int64_t count) {                \
        for (int64_t e = from; e < from + count; e++) {                                                           \
            int64_t n = e / hidden, j = e % hidden, row = n * 3 * hidden, ws = n * 5 * hidden;                    \
            T ir = igates[row + j], ii = igates[row + hidden + j], in = igates[row + 2 * hidden + j];             \
            T hr = hgates[row + j], hi = hgates[row + hidden + j], hn = hgates[row + 2 * hidden + j];             \
            if (bias_ih) {                                                                                        \
                ir = ir + bias_ih[j];                                                                             \
                ii = ii + bias_ih[hidden + j];                                                                    \
                in = in + bias_ih[2 * hidden + j];                                                                \
            }                                                                                                     \
            if (bias_hh) {                                                                                        \
                hr = hr + bias_hh[j];                                                                             \
                hi = hi + bias_hh[hidden + j];                                                                    \
                hn = hn + bias_hh[2 * hidden + j];                                                                \
            }                                                                                                     \
            T rg = (T) sigmoid_d(ir + hr), zg = (T) sigmoid_d(ii + hi);                                           \
            T ng = (T) tanh(in + rg * hn);                                                                        \
            T h = hx[e];                                                                                          \
            hy[e] = ng + zg * (h - ng);                                                                           \
            workspace[ws + j] = rg;                                                                               \
            workspace[ws + hidden + j] = zg;                                                                      \
            workspace[ws + 2 * hidden + j] = ng;                                                                  \
            workspace[ws + 3 * hidden + j] = h;                                                                   \
            workspace[ws + 4 * hidden + j] = hn;                                                                  \
        }                                                                                                         \
    }                                                                                                             \
                                                                                                                  \
    JT_CLONES                                                                                                     \
    void jt_cpu_gru_cell_bwd_##SFX(const T *grad_hy, const T *workspace, T *grad_igates, T *grad_hgates,          \
                                   T *grad_hx, int64_t hidden, int64_t from, int64_t count) {                     \
        for (int64_t e = from; e < from + count; e++) {                                                           \
            int64_t n = e / hidden, j = e % hidden, row = n * 3 * hidden, ws = n * 5 * hidden;                    \
            T rg = workspace[ws + j], zg = workspace[ws + hidden + j], ng = workspace[ws + 2 * hidden + j];       \
            T h = workspace[ws + 3 * hidden + j], hn = workspace[ws + 4 * hidden + j];                            \
            T go = grad_hy[e];                                                                                    \
            T gz = go * (h - ng) * (1 - zg) * zg;                                                                 \
            T gh = go * zg;                                                                                       \
            T gn = go * (1 - zg) * (1 - ng * ng);                                                                 \
            T ghn = gn * rg;                                                                                      \
            T gr = gn * hn * (1 - rg) * rg;                                                                       \
            grad_hx[e] = gh;                                                                                      \
            grad_igates[row + j] = gr;                                                                            \
            grad_igates[row + hidden + j] = gz;                                                                   \
            grad_igates[row + 2 * hidden + j] = gn;                                                               \
            grad_hgates[row + j] = gr;                                                                            \
            grad_hgates[row + hidden + j] = gz;                                                                   \
            grad_hgates[row + 2 * hidden + j] = ghn;                                                              \
        }                                                                                                         \
    }

JT_RNN_KERNELS(float, f32)
JT_RNN_KERNELS(double, f64)
