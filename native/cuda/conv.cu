/*
 * The CNN "window" kernels (issue 22) on CUDA, float32 and float64, the device twins of native/cpu/conv.c:
 * im2col and col2im, max pooling with indices and its backward, batch-norm statistics, the per-channel affine
 * (with the fused residual add and relu of a residual block) and the two passes of the batch-norm training
 * backward. Every kernel is deterministic unless its comment says otherwise:
 *  - im2col/col2im/max pool forward compute each output element by the CPU kernel's own loop (one thread per
 *    output element), so they give the CPU's bits: col2im gathers the taps of each image position in the CPU's
 *    order (i, then j) onto 0 (no atomics);
 *  - max pool backward either gathers (deterministic: each input position sums, in output order, the gradients
 *    of the windows covering it whose index names it: the CPU's bits) or scatters with atomicAdd (a float sum
 *    whose order may change run to run where windows overlap); the caller chooses (Determinism.enabled()).
 *  - batch-norm sums run one block per channel in double, in a fixed tree: deterministic, not the CPU's
 *    sequential order (equal within the last bit of the double sum, which is then rounded to the dtype).
 */
#include "common.cuh"

namespace {
using namespace jt;

/* Window (y, x)'s tap (i, j) reads (y * sh - ph + i * dh, x * sw - pw + j * dw) of its plane. */
template <class T>
__global__ void __launch_bounds__(THREADS) im2col_kernel(const T* in, T* cols, const __grid_constant__ jt_window_shape g, i64 total) {
    const i64 taps = g.kh * g.kw;
    for (i64 idx = blockIdx.x * (i64) blockDim.x + threadIdx.x; idx < total; idx += (i64) gridDim.x * blockDim.x) {
        i64 rest, x, y, tap, p;
        divmod(idx, g.ow, rest, x);
        divmod(rest, g.oh, rest, y);
        divmod(rest, taps, p, tap);
        i64 i = tap / g.kw, j = tap - i * g.kw;
        i64 iy = y * g.sh - g.ph + i * g.dh, ix = x * g.sw - g.pw + j * g.dw;
        bool inside = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w;
        cols[idx] = inside ? in[(p * g.h + iy) * g.w + ix] : T(0);
    }
}

/* One thread per image element: the taps that read it, added onto 0 in tap order (i, then j), as the CPU adds them. */
template <class T>
__global__ void __launch_bounds__(THREADS) col2im_kernel(const T* cols, T* out, const __grid_constant__ jt_window_shape g, i64 total) {
    for (i64 idx = blockIdx.x * (i64) blockDim.x + threadIdx.x; idx < total; idx += (i64) gridDim.x * blockDim.x) {
        i64 rest, ix, iy, p;
        divmod(idx, g.w, rest, ix);
        divmod(rest, g.h, p, iy);
        T acc = 0;
        for (i64 i = 0; i < g.kh; i++) {
            i64 ry = iy + g.ph - i * g.dh;
            if (ry < 0) break; // falls with i
            if (ry % g.sh != 0) continue;
            i64 y = ry / g.sh;
            if (y >= g.oh) continue;
            for (i64 j = 0; j < g.kw; j++) {
                i64 rx = ix + g.pw - j * g.dw;
                if (rx < 0) break;
                if (rx % g.sw != 0) continue;
                i64 x = rx / g.sw;
                if (x >= g.ow) continue;
                acc += cols[(((p * g.kh + i) * g.kw + j) * g.oh + y) * g.ow + x];
            }
        }
        out[idx] = acc;
    }
}

/* One thread per window: the first in-bounds maximum in tap order, a NaN always taking over (the CPU's loop). */
template <class T>
__global__ void __launch_bounds__(THREADS) max_pool_kernel(const T* in, T* out, i64* indices, const __grid_constant__ jt_window_shape g,
                                                           i64 total) {
    for (i64 idx = blockIdx.x * (i64) blockDim.x + threadIdx.x; idx < total; idx += (i64) gridDim.x * blockDim.x) {
        i64 rest, x, y, p;
        divmod(idx, g.ow, rest, x);
        divmod(rest, g.oh, p, y);
        const T* plane = in + p * g.h * g.w;
        T best = 0;
        i64 at = -1;
        for (i64 i = 0; i < g.kh; i++) {
            i64 iy = y * g.sh - g.ph + i * g.dh;
            if (iy < 0 || iy >= g.h) continue;
            for (i64 j = 0; j < g.kw; j++) {
                i64 ix = x * g.sw - g.pw + j * g.dw;
                if (ix < 0 || ix >= g.w) continue;
                T v = plane[iy * g.w + ix];
                if (at < 0 || v > best || v != v) {
                    best = v;
                    at = iy * g.w + ix;
                }
            }
        }
        out[idx] = at < 0 ? T(-INFINITY) : best;
        indices[idx] = at;
    }
}

/*
 * Deterministic backward: one thread per input position, summing onto 0 the gradients of the windows that cover it
 * and whose index names it, in output order (y, then x ascending: taps i and j walked downwards), as the CPU adds
 * them. An index outside its own window (never written by the forward) is not seen.
 */
template <class T>
__global__ void __launch_bounds__(THREADS) max_pool_bwd_gather(const T* grad_out, const i64* indices, T* grad_in,
                                                               const __grid_constant__ jt_window_shape g, i64 total) {
    for (i64 idx = blockIdx.x * (i64) blockDim.x + threadIdx.x; idx < total; idx += (i64) gridDim.x * blockDim.x) {
        i64 rest, ix, iy, p;
        divmod(idx, g.w, rest, ix);
        divmod(rest, g.h, p, iy);
        const i64 flat = iy * g.w + ix, cells = p * g.oh * g.ow;
        T acc = 0;
        for (i64 i = g.kh - 1; i >= 0; i--) {
            i64 ry = iy + g.ph - i * g.dh;
            if (ry < 0 || ry % g.sh != 0) continue;
            i64 y = ry / g.sh;
            if (y >= g.oh) continue;
            for (i64 j = g.kw - 1; j >= 0; j--) {
                i64 rx = ix + g.pw - j * g.dw;
                if (rx < 0 || rx % g.sw != 0) continue;
                i64 x = rx / g.sw;
                if (x >= g.ow) continue;
                i64 k = cells + y * g.ow + x;
                if (indices[k] == flat) acc += grad_out[k];
            }
        }
        grad_in[idx] = acc;
    }
}

/* Atomic backward: one thread per window adds its gradient at its index (grad_in zeroed first); indices outside the plane skipped. */
template <class T>
__global__ void __launch_bounds__(THREADS) max_pool_bwd_scatter(const T* grad_out, const i64* indices, T* grad_in,
                                                                const __grid_constant__ jt_window_shape g, i64 total) {
    const i64 cells = g.oh * g.ow, hw = g.h * g.w;
    for (i64 idx = blockIdx.x * (i64) blockDim.x + threadIdx.x; idx < total; idx += (i64) gridDim.x * blockDim.x) {
        i64 at = indices[idx];
        if (at >= 0 && at < hw) atomicAdd(grad_in + (idx / cells) * hw + at, grad_out[idx]);
    }
}

struct Pair {
    double a, b;
};

__device__ __forceinline__ void add_pair(Pair& x, const Pair& y) {
    x.a += y.a;
    x.b += y.b;
}

/* Element k (< n * inner) of channel ch of [n, c, inner]. */
__device__ __forceinline__ i64 channel_at(i64 k, i64 ch, i64 c, i64 inner) {
    i64 b, i;
    divmod(k, inner, b, i);
    return (b * c + ch) * inner + i;
}

/* Threads per block of the per-channel reductions: 1024 where a channel has many elements (one block streams it). */
constexpr int BIG_CHANNEL_THREADS = 1024;
constexpr i64 BIG_CHANNEL = 1 << 16;

/* One block per channel: the mean, then the squared deviations from it, summed in double (fixed tree). */
template <class T, int B>
__global__ void __launch_bounds__(B) bn_stats_kernel(const T* x, T* mean, T* invstd, i64 n, i64 c, i64 inner, double eps) {
    __shared__ Pair scratch[B / 32];
    const i64 m = n * inner;
    for (i64 ch = blockIdx.x; ch < c; ch += gridDim.x) {
        Pair s{0, 0};
        for (i64 k = threadIdx.x; k < m; k += blockDim.x) s.a += (double) x[channel_at(k, ch, c, inner)];
        s = block_reduce(s, add_pair, scratch);
        double mu = s.a / (double) m;
        Pair v{0, 0};
        for (i64 k = threadIdx.x; k < m; k += blockDim.x) {
            double d = (double) x[channel_at(k, ch, c, inner)] - mu;
            v.a += d * d;
        }
        v = block_reduce(v, add_pair, scratch);
        if (threadIdx.x == 0) {
            mean[ch] = (T) mu;
            invstd[ch] = (T) (1.0 / sqrt(v.a / (double) m + eps));
        }
    }
}

/* out = x * scale + shift, then + residual (may be NULL), then relu (v <= 0 ? 0 : v, NaN kept) when asked; each step rounded. */
template <class T>
__global__ void __launch_bounds__(THREADS) bn_elemt_kernel(const T* x, const T* scale, const T* shift, const T* residual, int relu, T* out,
                                                           i64 c, i64 inner, i64 total) {
    for (i64 idx = blockIdx.x * (i64) blockDim.x + threadIdx.x; idx < total; idx += (i64) gridDim.x * blockDim.x) {
        i64 bc, i, b, ch;
        divmod(idx, inner, bc, i);
        divmod(bc, c, b, ch);
        T v = x[idx] * scale[ch];
        v = v + shift[ch];
        if (residual != nullptr) v = v + residual[idx];
        out[idx] = relu && v <= 0 ? T(0) : v;
    }
}

/* One block per channel: sum g and sum g (x - mean) in double; with out, g first masked by out > 0 and written to g_masked. */
template <class T, int B>
__global__ void __launch_bounds__(B) bn_bwd_reduce_kernel(const T* x, const T* g, const T* out, T* g_masked, const T* mean, T* sum_g,
                                                          T* dotp, i64 n, i64 c, i64 inner) {
    __shared__ Pair scratch[B / 32];
    const i64 m = n * inner;
    for (i64 ch = blockIdx.x; ch < c; ch += gridDim.x) {
        double mu = (double) mean[ch];
        Pair s{0, 0};
        for (i64 k = threadIdx.x; k < m; k += blockDim.x) {
            i64 at = channel_at(k, ch, c, inner);
            T gv = g[at];
            if (out != nullptr) {
                gv = out[at] > 0 ? gv : T(0);
                g_masked[at] = gv;
            }
            s.a += (double) gv;
            s.b += (double) gv * ((double) x[at] - mu);
        }
        s = block_reduce(s, add_pair, scratch);
        if (threadIdx.x == 0) {
            sum_g[ch] = (T) s.a;
            dotp[ch] = (T) s.b;
        }
    }
}

/* gx = ((g - gmean) - (x - mean) k) scale, per channel, rounded at each step as the CPU's loop. */
template <class T>
__global__ void __launch_bounds__(THREADS) bn_bwd_elemt_kernel(const T* x, const T* g, T* gx, const T* mean, const T* k, const T* gmean,
                                                               const T* scale, i64 c, i64 inner, i64 total) {
    for (i64 idx = blockIdx.x * (i64) blockDim.x + threadIdx.x; idx < total; idx += (i64) gridDim.x * blockDim.x) {
        i64 bc, i, b, ch;
        divmod(idx, inner, bc, i);
        divmod(bc, c, b, ch);
        T d = g[idx] - gmean[ch];
        T e = (x[idx] - mean[ch]) * k[ch];
        gx[idx] = (d - e) * scale[ch];
    }
}

template <class T>
void bn_bwd_reduce(const T* x, const T* g, const T* out, T* g_masked, const T* mean, T* sum_g, T* dotp, i64 n, i64 c, i64 inner,
                   cudaStream_t stream) {
    unsigned grid = grid_for(c, 1);
    if (n * inner >= BIG_CHANNEL) {
        bn_bwd_reduce_kernel<T, BIG_CHANNEL_THREADS><<<grid, BIG_CHANNEL_THREADS, 0, stream>>>(x, g, out, g_masked, mean, sum_g, dotp, n, c,
                                                                                              inner);
    } else {
        bn_bwd_reduce_kernel<T, THREADS><<<grid, THREADS, 0, stream>>>(x, g, out, g_masked, mean, sum_g, dotp, n, c, inner);
    }
}

bool bad_shape(const jt_window_shape* g) {
    return g == nullptr || g->planes < 0 || g->h < 0 || g->w < 0 || g->oh < 0 || g->ow < 0 || g->kh < 1 || g->kw < 1 || g->sh < 1
           || g->sw < 1 || g->dh < 1 || g->dw < 1 || g->ph < 0 || g->pw < 0;
}

bool float_type(int t) { return t == JT_FLOAT32 || t == JT_FLOAT64; }

} // namespace

extern "C" int jt_im2col(int type, const jt_window_shape* g, const void* in, void* cols, void* stream_) {
    if (!float_type(type)) return JT_ERR_BAD_DTYPE;
    if (bad_shape(g)) return JT_ERR_BAD_ARGUMENT;
    i64 total = g->planes * g->kh * g->kw * g->oh * g->ow;
    if (total == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    if (type == JT_FLOAT64) im2col_kernel<double><<<grid_for(total), THREADS, 0, stream>>>((const double*) in, (double*) cols, *g, total);
    else im2col_kernel<float><<<grid_for(total), THREADS, 0, stream>>>((const float*) in, (float*) cols, *g, total);
    JT_RETURN_LAUNCH();
}

extern "C" int jt_col2im(int type, const jt_window_shape* g, const void* cols, void* out, void* stream_) {
    if (!float_type(type)) return JT_ERR_BAD_DTYPE;
    if (bad_shape(g)) return JT_ERR_BAD_ARGUMENT;
    i64 total = g->planes * g->h * g->w;
    if (total == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    if (type == JT_FLOAT64) col2im_kernel<double><<<grid_for(total), THREADS, 0, stream>>>((const double*) cols, (double*) out, *g, total);
    else col2im_kernel<float><<<grid_for(total), THREADS, 0, stream>>>((const float*) cols, (float*) out, *g, total);
    JT_RETURN_LAUNCH();
}

extern "C" int jt_max_pool2d(int type, const jt_window_shape* g, const void* in, void* out, int64_t* indices, void* stream_) {
    if (!float_type(type)) return JT_ERR_BAD_DTYPE;
    if (bad_shape(g)) return JT_ERR_BAD_ARGUMENT;
    i64 total = g->planes * g->oh * g->ow;
    if (total == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    i64* idx = reinterpret_cast<i64*>(indices);
    if (type == JT_FLOAT64) max_pool_kernel<double><<<grid_for(total), THREADS, 0, stream>>>((const double*) in, (double*) out, idx, *g, total);
    else max_pool_kernel<float><<<grid_for(total), THREADS, 0, stream>>>((const float*) in, (float*) out, idx, *g, total);
    JT_RETURN_LAUNCH();
}

extern "C" int jt_max_pool2d_backward(int type, const jt_window_shape* g, const void* grad_out, const int64_t* indices, void* grad_in,
                                      int deterministic, void* stream_) {
    if (!float_type(type)) return JT_ERR_BAD_DTYPE;
    if (bad_shape(g)) return JT_ERR_BAD_ARGUMENT;
    i64 image = g->planes * g->h * g->w, cells = g->planes * g->oh * g->ow;
    if (image == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    const i64* idx = reinterpret_cast<const i64*>(indices);
    size_t size = type == JT_FLOAT64 ? sizeof(double) : sizeof(float);
    if (deterministic) {
        if (type == JT_FLOAT64) {
            max_pool_bwd_gather<double><<<grid_for(image), THREADS, 0, stream>>>((const double*) grad_out, idx, (double*) grad_in, *g, image);
        } else {
            max_pool_bwd_gather<float><<<grid_for(image), THREADS, 0, stream>>>((const float*) grad_out, idx, (float*) grad_in, *g, image);
        }
        JT_RETURN_LAUNCH();
    }
    cudaError_t e = cudaMemsetAsync(grad_in, 0, (size_t) image * size, stream);
    if (e != cudaSuccess) return static_cast<int>(e);
    if (cells == 0) return 0;
    if (type == JT_FLOAT64) {
        max_pool_bwd_scatter<double><<<grid_for(cells), THREADS, 0, stream>>>((const double*) grad_out, idx, (double*) grad_in, *g, cells);
    } else {
        max_pool_bwd_scatter<float><<<grid_for(cells), THREADS, 0, stream>>>((const float*) grad_out, idx, (float*) grad_in, *g, cells);
    }
    JT_RETURN_LAUNCH();
}

extern "C" int jt_batch_norm_stats(int type, int64_t n, int64_t c, int64_t inner, double eps, const void* x, void* mean, void* invstd,
                                   void* stream_) {
    if (!float_type(type)) return JT_ERR_BAD_DTYPE;
    if (n < 0 || c < 0 || inner < 0) return JT_ERR_BAD_ARGUMENT;
    if (c == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    unsigned grid = grid_for(c, 1);
    if (n * inner >= BIG_CHANNEL) {
        if (type == JT_FLOAT64) {
            bn_stats_kernel<double, BIG_CHANNEL_THREADS><<<grid, BIG_CHANNEL_THREADS, 0, stream>>>((const double*) x, (double*) mean,
                                                                                                  (double*) invstd, n, c, inner, eps);
        } else {
            bn_stats_kernel<float, BIG_CHANNEL_THREADS><<<grid, BIG_CHANNEL_THREADS, 0, stream>>>((const float*) x, (float*) mean,
                                                                                                 (float*) invstd, n, c, inner, eps);
        }
    } else if (type == JT_FLOAT64) {
        bn_stats_kernel<double, THREADS><<<grid, THREADS, 0, stream>>>((const double*) x, (double*) mean, (double*) invstd, n, c, inner, eps);
    } else {
        bn_stats_kernel<float, THREADS><<<grid, THREADS, 0, stream>>>((const float*) x, (float*) mean, (float*) invstd, n, c, inner, eps);
    }
    JT_RETURN_LAUNCH();
}

extern "C" int jt_batch_norm_elemt(int type, int64_t n, int64_t c, int64_t inner, const void* x, const void* scale, const void* shift,
                                   const void* residual, int relu, void* out, void* stream_) {
    if (!float_type(type)) return JT_ERR_BAD_DTYPE;
    if (n < 0 || c < 0 || inner < 0) return JT_ERR_BAD_ARGUMENT;
    i64 total = n * c * inner;
    if (total == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    if (type == JT_FLOAT64) {
        bn_elemt_kernel<double><<<grid_for(total), THREADS, 0, stream>>>((const double*) x, (const double*) scale, (const double*) shift,
                                                                         (const double*) residual, relu, (double*) out, c, inner, total);
    } else {
        bn_elemt_kernel<float><<<grid_for(total), THREADS, 0, stream>>>((const float*) x, (const float*) scale, (const float*) shift,
                                                                        (const float*) residual, relu, (float*) out, c, inner, total);
    }
    JT_RETURN_LAUNCH();
}

extern "C" int jt_batch_norm_backward_reduce(int type, int64_t n, int64_t c, int64_t inner, const void* x, const void* g, const void* out,
                                             void* g_masked, const void* mean, void* sum_g, void* dotp, void* stream_) {
    if (!float_type(type)) return JT_ERR_BAD_DTYPE;
    if (n < 0 || c < 0 || inner < 0 || (out != nullptr && g_masked == nullptr)) return JT_ERR_BAD_ARGUMENT;
    if (c == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    if (type == JT_FLOAT64) {
        bn_bwd_reduce<double>((const double*) x, (const double*) g, (const double*) out, (double*) g_masked, (const double*) mean, (double*) sum_g,
                              (double*) dotp, n, c, inner, stream);
    } else {
        bn_bwd_reduce<float>((const float*) x, (const float*) g, (const float*) out, (float*) g_masked, (const float*) mean, (float*) sum_g,
                             (float*) dotp, n, c, inner, stream);
    }
    JT_RETURN_LAUNCH();
}

extern "C" int jt_batch_norm_backward_elemt(int type, int64_t n, int64_t c, int64_t inner, const void* x, const void* g, const void* mean,
                                            const void* k, const void* gmean, const void* scale, void* gx, void* stream_) {
    if (!float_type(type)) return JT_ERR_BAD_DTYPE;
    if (n < 0 || c < 0 || inner < 0) return JT_ERR_BAD_ARGUMENT;
    i64 total = n * c * inner;
    if (total == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    if (type == JT_FLOAT64) {
        bn_bwd_elemt_kernel<double><<<grid_for(total), THREADS, 0, stream>>>((const double*) x, (const double*) g, (double*) gx, (const double*) mean,
                                                                             (const double*) k, (const double*) gmean, (const double*) scale, c,
                                                                             inner, total);
    } else {
        bn_bwd_elemt_kernel<float><<<grid_for(total), THREADS, 0, stream>>>((const float*) x, (const float*) g, (float*) gx, (const float*) mean,
                                                                            (const float*) k, (const float*) gmean, (const float*) scale, c,
                                                                            inner, total);
    }
    JT_RETURN_LAUNCH();
}
