/*
 * Fused recurrent cell pointwise kernels (issue 23), PyTorch's _thnn_fused_lstm_cell / _thnn_fused_gru_cell and
 * their backwards, float32 and float64: one thread per element (n, j) of the [N, H] state, the same operations in
 * the same order as the CPU's native/cpu/rnn.c (jtensor_cpu.h states them); sigmoid and tanh in float64, rounded
 * once. Built with -fmad=false like every unit, so a * b + c rounds twice as on the CPU; CUDA's exp/tanh are within
 * 2 float64 ulp of libm's, so results agree with the CPU's to that.
 */
#include "common.cuh"

namespace {
using namespace jt;

#define JT_GRID_STRIDE(i, n) for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < (n); i += (i64) gridDim.x * blockDim.x)

__device__ __forceinline__ double sigmoid_d(double x) { return 1.0 / (1.0 + exp(-x)); }

template <class T>
__global__ void lstm_kernel(i64 total, i64 hidden, const T* igates, const T* hgates, const T* bias_ih, const T* bias_hh,
                            const T* cx, T* hy, T* cy, T* ws) {
    JT_GRID_STRIDE(e, total) {
        i64 n = e / hidden, j = e % hidden, row = n * 4 * hidden;
        T a[4];
        for (int k = 0; k < 4; k++) {
            i64 idx = row + k * hidden + j;
            T v = igates[idx] + hgates[idx];
            if (bias_ih) v = v + bias_ih[k * hidden + j];
            if (bias_hh) v = v + bias_hh[k * hidden + j];
            a[k] = v;
        }
        T ig = (T) sigmoid_d(a[0]), fg = (T) sigmoid_d(a[1]), cg = (T) tanh((double) a[2]), og = (T) sigmoid_d(a[3]);
        T c = fg * cx[e] + ig * cg;
        cy[e] = c;
        hy[e] = og * (T) tanh((double) c);
        ws[row + j] = ig;
        ws[row + hidden + j] = fg;
        ws[row + 2 * hidden + j] = cg;
        ws[row + 3 * hidden + j] = og;
    }
}

template <class T>
__global__ void lstm_bwd_kernel(i64 total, i64 hidden, const T* grad_hy, const T* grad_cy, const T* cx, const T* cy,
                                const T* ws, T* grad_gates, T* grad_cx) {
    JT_GRID_STRIDE(e, total) {
        i64 n = e / hidden, j = e % hidden, row = n * 4 * hidden;
        T ig = ws[row + j], fg = ws[row + hidden + j], cg = ws[row + 2 * hidden + j], og = ws[row + 3 * hidden + j];
        T go = grad_hy ? grad_hy[e] : T(0), goc = grad_cy ? grad_cy[e] : T(0);
        T tc = (T) tanh((double) cy[e]);
        T gog = go * tc;
        T gc = go * og * (T(1) - tc * tc) + goc;
        T gig = gc * cg, gfg = gc * cx[e], gcg = gc * ig;
        grad_cx[e] = gc * fg;
        grad_gates[row + j] = gig * (T(1) - ig) * ig;
        grad_gates[row + hidden + j] = gfg * (T(1) - fg) * fg;
        grad_gates[row + 2 * hidden + j] = gcg * (T(1) - cg * cg);
        grad_gates[row + 3 * hidden + j] = gog * (T(1) - og) * og;
    }
}

template <class T>
__global__ void gru_kernel(i64 total, i64 hidden, const T* igates, const T* hgates, const T* bias_ih, const T* bias_hh,
                           const T* hx, T* hy, T* ws) {
    JT_GRID_STRIDE(e, total) {
        i64 n = e / hidden, j = e % hidden, row = n * 3 * hidden, w = n * 5 * hidden;
        T ir = igates[row + j], ii = igates[row + hidden + j], in = igates[row + 2 * hidden + j];
        T hr = hgates[row + j], hi = hgates[row + hidden + j], hn = hgates[row + 2 * hidden + j];
        if (bias_ih) {
            ir = ir + bias_ih[j];
            ii = ii + bias_ih[hidden + j];
            in = in + bias_ih[2 * hidden + j];
        }
        if (bias_hh) {
            hr = hr + bias_hh[j];
            hi = hi + bias_hh[hidden + j];
            hn = hn + bias_hh[2 * hidden + j];
        }
        T rg = (T) sigmoid_d(ir + hr), zg = (T) sigmoid_d(ii + hi);
        T ng = (T) tanh((double) (in + rg * hn));
        T h = hx[e];
        hy[e] = ng + zg * (h - ng);
        ws[w + j] = rg;
        ws[w + hidden + j] = zg;
        ws[w + 2 * hidden + j] = ng;
        ws[w + 3 * hidden + j] = h;
        ws[w + 4 * hidden + j] = hn;
    }
}

template <class T>
__global__ void gru_bwd_kernel(i64 total, i64 hidden, const T* grad_hy, const T* ws, T* grad_ig, T* grad_hg, T* grad_hx) {
    JT_GRID_STRIDE(e, total) {
        i64 n = e / hidden, j = e % hidden, row = n * 3 * hidden, w = n * 5 * hidden;
        T rg = ws[w + j], zg = ws[w + hidden + j], ng = ws[w + 2 * hidden + j], h = ws[w + 3 * hidden + j], hn = ws[w + 4 * hidden + j];
        T go = grad_hy[e];
        T gz = go * (h - ng) * (T(1) - zg) * zg;
        T gh = go * zg;
        T gn = go * (T(1) - zg) * (T(1) - ng * ng);
        T ghn = gn * rg;
        T gr = gn * hn * (T(1) - rg) * rg;
        grad_hx[e] = gh;
        grad_ig[row + j] = gr;
        grad_ig[row + hidden + j] = gz;
        grad_ig[row + 2 * hidden + j] = gn;
        grad_hg[row + j] = gr;
        grad_hg[row + hidden + j] = gz;
        grad_hg[row + 2 * hidden + j] = ghn;
    }
}

bool float_type(int type) { return type == JT_FLOAT32 || type == JT_FLOAT64; }

template <class T> const T* c(const void* p) { return static_cast<const T*>(p); }
template <class T> T* m(void* p) { return static_cast<T*>(p); }
}  // namespace

extern "C" int jt_lstm_cell(int type, int64_t n, int64_t hidden, const void* igates, const void* hgates, const void* bias_ih,
                            const void* bias_hh, const void* cx, void* hy, void* cy, void* workspace, void* stream_) {
    if (!float_type(type)) return JT_ERR_BAD_DTYPE;
    if (n < 0 || hidden < 0) return JT_ERR_BAD_ARGUMENT;
    i64 total = n * hidden;
    if (total == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    unsigned grid = grid_for(total);
    if (type == JT_FLOAT32) {
        lstm_kernel<float><<<grid, THREADS, 0, stream>>>(total, hidden, c<float>(igates), c<float>(hgates), c<float>(bias_ih),
                c<float>(bias_hh), c<float>(cx), m<float>(hy), m<float>(cy), m<float>(workspace));
    } else {
        lstm_kernel<double><<<grid, THREADS, 0, stream>>>(total, hidden, c<double>(igates), c<double>(hgates), c<double>(bias_ih),
                c<double>(bias_hh), c<double>(cx), m<double>(hy), m<double>(cy), m<double>(workspace));
    }
    JT_RETURN_LAUNCH();
}

extern "C" int jt_lstm_cell_backward(int type, int64_t n, int64_t hidden, const void* grad_hy, const void* grad_cy, const void* cx,
                                     const void* cy, const void* workspace, void* grad_gates, void* grad_cx, void* stream_) {
    if (!float_type(type)) return JT_ERR_BAD_DTYPE;
    if (n < 0 || hidden < 0) return JT_ERR_BAD_ARGUMENT;
    i64 total = n * hidden;
    if (total == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    unsigned grid = grid_for(total);
    if (type == JT_FLOAT32) {
        lstm_bwd_kernel<float><<<grid, THREADS, 0, stream>>>(total, hidden, c<float>(grad_hy), c<float>(grad_cy), c<float>(cx),
                c<float>(cy), c<float>(workspace), m<float>(grad_gates), m<float>(grad_cx));
    } else {
        lstm_bwd_kernel<double><<<grid, THREADS, 0, stream>>>(total, hidden, c<double>(grad_hy), c<double>(grad_cy), c<double>(cx),
                c<double>(cy), c<double>(workspace), m<double>(grad_gates), m<double>(grad_cx));
    }
    JT_RETURN_LAUNCH();
}

extern "C" int jt_gru_cell(int type, int64_t n, int64_t hidden, const void* igates, const void* hgates, const void* bias_ih,
                           const void* bias_hh, const void* hx, void* hy, void* workspace, void* stream_) {
    if (!float_type(type)) return JT_ERR_BAD_DTYPE;
    if (n < 0 || hidden < 0) return JT_ERR_BAD_ARGUMENT;
    i64 total = n * hidden;
    if (total == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    unsigned grid = grid_for(total);
    if (type == JT_FLOAT32) {
        gru_kernel<float><<<grid, THREADS, 0, stream>>>(total, hidden, c<float>(igates), c<float>(hgates), c<float>(bias_ih),
                c<float>(bias_hh), c<float>(hx), m<float>(hy), m<float>(workspace));
    } else {
        gru_kernel<double><<<grid, THREADS, 0, stream>>>(total, hidden, c<double>(igates), c<double>(hgates), c<double>(bias_ih),
                c<double>(bias_hh), c<double>(hx), m<double>(hy), m<double>(workspace));
    }
    JT_RETURN_LAUNCH();
}

extern "C" int jt_gru_cell_backward(int type, int64_t n, int64_t hidden, const void* grad_hy, const void* workspace,
                                    void* grad_igates, void* grad_hgates, void* grad_hx, void* stream_) {
    if (!float_type(type)) return JT_ERR_BAD_DTYPE;
    if (n < 0 || hidden < 0 || grad_hy == nullptr) return JT_ERR_BAD_ARGUMENT;
    i64 total = n * hidden;
    if (total == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    unsigned grid = grid_for(total);
    if (type == JT_FLOAT32) {
        gru_bwd_kernel<float><<<grid, THREADS, 0, stream>>>(total, hidden, c<float>(grad_hy), c<float>(workspace), m<float>(grad_igates),
                m<float>(grad_hgates), m<float>(grad_hx));
    } else {
        gru_bwd_kernel<double><<<grid, THREADS, 0, stream>>>(total, hidden, c<double>(grad_hy), c<double>(workspace),
                m<double>(grad_igates), m<double>(grad_hgates), m<double>(grad_hx));
    }
    JT_RETURN_LAUNCH();
}
