/*
 * Fused scaled dot-product attention (issue 23) on CUDA, float32, flash-attention style, the device twin of
 * native/cpu/attention.c: no [l, s] score matrix is stored.
 *
 * Forward: a block of ROWS warps takes ROWS query rows of one batch x heads slice; key and value tiles of TILE (32)
 * rows are staged in shared memory and shared by the block's rows. In a warp, lane t scores key j0 + t against
 * the warp's query row (shared-memory rows padded to an odd stride: no bank conflicts), then the row's online
 * softmax (running maximum m, sum l, the output accumulator rescaled by exp(m_old - m_new)) is updated for the
 * whole tile, each lane accumulating the output channels lane, lane + 32, ... in registers. The row's log-sum-exp
 * m + log(l) is stored for the backward.
 *
 * Backward (no atomics: deterministic): D_i = dout_i . out_i per row (one warp per row), then dq by query tiles
 * (lanes over keys, as the forward) and dk, dv by key tiles (the block's ROWS key rows, lanes over the queries of a
 * staged query/dout tile), each recomputing p_ij = exp(score_ij - lse_i) and ds_ij = p_ij (dout_i . v_j - D_i) scale.
 * A key whose p is 0 (masked, or underflowed) contributes nothing, as on the CPU.
 *
 * Registers hold up to 32 * CH output channels per warp row (CH = 1, 2, 4 or 8: head dims to 256 in one pass);
 * wider heads run in several passes over channel windows, each recomputing the scores. Shared memory grows with
 * the head dims (about 4 * (40 e + 40 ev) bytes): past 48 KiB the kernels opt in to more, and a head dim the
 * device cannot hold is refused with JT_ERR_BAD_ARGUMENT.
 */
#include "common.cuh"

namespace {
using namespace jt;

constexpr int ROWS = 8;                 // warps per block: query rows (forward, dq) or key rows (dk, dv)
constexpr int TILE = 32;                // keys (forward, dq) or queries (dk, dv) per staged tile: one per lane
constexpr int AT_THREADS = ROWS * 32;
constexpr size_t DEFAULT_SHARED = 48 * 1024;

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
    for (int d = 16; d > 0; d >>= 1) v = fmaxf(v, __shfl_xor_sync(FULL_MASK, v, d)); // NaN ignored, as the CPU's v > max
    return v;
}

/* A butterfly: every lane ends with the same bits (each step adds the same two values). */
__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int d = 16; d > 0; d >>= 1) v += __shfl_xor_sync(FULL_MASK, v, d);
    return v;
}

__device__ __forceinline__ float dot(const float* a, const float* b, i64 n) {
    float s = 0;
    for (i64 t = 0; t < n; t++) s += a[t] * b[t];
    return s;
}

/* An odd row stride >= n: lanes reading rows t of a staged tile at one column hit 32 different banks. */
__host__ __device__ __forceinline__ i64 odd(i64 n) { return n | 1; }

template <int CH>
__global__ void __launch_bounds__(AT_THREADS) attn_fwd(const __grid_constant__ jt_attention_shape sh, const float* q, const float* k,
                                                       const float* v, const float* bias, float* out, float* lse, i64 c0) {
    extern __shared__ float smem[];
    const i64 e = sh.e, ev = sh.ev, l = sh.l, s = sh.s, ks = odd(e);
    const i64 cw = min((i64) 32 * CH, ev - c0);
    float* Qs = smem;               // [ROWS][e]
    float* Ks = Qs + ROWS * e;      // [TILE][ks]
    float* Vs = Ks + TILE * ks;     // [TILE][cw]: this pass's channel window
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const i64 tiles = (l + ROWS - 1) / ROWS;
    const float scale = (float) sh.scale;
    for (i64 blk = blockIdx.x; blk < sh.batch_heads * tiles; blk += gridDim.x) {
        const i64 bh = blk / tiles, i0 = (blk - bh * tiles) * ROWS, i = i0 + warp;
        const bool row = i < l;
        __syncthreads(); // the previous block's tiles are consumed
        for (i64 x = threadIdx.x; x < ROWS * e; x += blockDim.x) Qs[x] = i0 + x / e < l ? q[(bh * l + i0) * e + x] : 0.f;
        const i64 row_end = row ? (sh.causal ? min(s, i + 1) : s) : 0;
        const i64 blk_end = sh.causal ? min(s, min(l, i0 + ROWS)) : s;
        const float* bias_row = bias != nullptr && row ? bias + bh * sh.bias_stride + i * s : nullptr;
        float acc[CH];
#pragma unroll
        for (int c = 0; c < CH; c++) acc[c] = 0;
        float m = -INFINITY, sum = 0;
        for (i64 j0 = 0; j0 < blk_end; j0 += TILE) {
            const i64 n = min((i64) TILE, blk_end - j0);
            __syncthreads();
            for (i64 x = threadIdx.x; x < n * e; x += blockDim.x) {
                i64 t = x / e;
                Ks[t * ks + (x - t * e)] = k[(bh * s + j0) * e + x];
            }
            for (i64 x = threadIdx.x; x < n * cw; x += blockDim.x) {
                i64 t = x / cw;
                Vs[x] = v[(bh * s + j0 + t) * ev + c0 + (x - t * cw)];
            }
            __syncthreads();
            if (j0 >= row_end) continue; // uniform over the warp
            const i64 j = j0 + lane;
            const bool key = j < row_end;
            float sc = -INFINITY;
            if (key) {
                sc = dot(Qs + warp * e, Ks + lane * ks, e) * scale;
                if (bias_row != nullptr) sc += bias_row[j];
            }
            const float m_new = fmaxf(m, warp_max(sc));
            if (m_new == -INFINITY) continue; // every key so far masked
            const float corr = expf(m - m_new);
            const float p = key ? expf(sc - m_new) : 0.f;
            sum = sum * corr + warp_sum(p);
#pragma unroll
            for (int c = 0; c < CH; c++) acc[c] *= corr;
            const int nn = (int) min((i64) TILE, row_end - j0);
            for (int t = 0; t < nn; t++) {
                const float pt = __shfl_sync(FULL_MASK, p, t);
                const float* vt = Vs + t * cw;
#pragma unroll
                for (int c = 0; c < CH; c++) {
                    const i64 ch = lane + 32 * c;
                    if (ch < cw) acc[c] += pt * vt[ch];
                }
            }
            m = m_new;
        }
        if (row) {
            const float inv = 1.0f / sum;
#pragma unroll
            for (int c = 0; c < CH; c++) {
                const i64 ch = lane + 32 * c;
                if (ch < cw) out[(bh * l + i) * ev + c0 + ch] = sum > 0 ? acc[c] * inv : NAN;
            }
            if (c0 == 0 && lane == 0) lse[bh * l + i] = sum > 0 ? m + logf(sum) : NAN;
        }
    }
}

/* D_r = dout_r . out_r for every row r of [rows, ev]: one warp per row. */
__global__ void __launch_bounds__(AT_THREADS) attn_rowdot(const float* dout, const float* out, float* d, i64 rows, i64 ev) {
    const int lane = threadIdx.x & 31;
    for (i64 r = (blockIdx.x * (i64) blockDim.x + threadIdx.x) >> 5; r < rows; r += ((i64) gridDim.x * blockDim.x) >> 5) {
        float s = 0;
        for (i64 c = lane; c < ev; c += 32) s += dout[r * ev + c] * out[r * ev + c];
        s = warp_sum(s);
        if (lane == 0) d[r] = s;
    }
}

/* dq for ROWS query rows per block: lanes over the keys of a staged key/value tile, channels c0 + [0, 32 CH) of e in registers. */
template <int CH>
__global__ void __launch_bounds__(AT_THREADS) attn_dq(const __grid_constant__ jt_attention_shape sh, const float* q, const float* k,
                                                      const float* v, const float* bias, const float* lse, const float* dout,
                                                      const float* dsum, float* dq, i64 c0) {
    extern __shared__ float smem[];
    const i64 e = sh.e, ev = sh.ev, l = sh.l, s = sh.s, ks = odd(e), vs = odd(ev);
    const i64 cw = min((i64) 32 * CH, e - c0);
    float* Qs = smem;               // [ROWS][e]
    float* Gs = Qs + ROWS * e;      // [ROWS][ev]
    float* Ks = Gs + ROWS * ev;     // [TILE][ks]
    float* Vs = Ks + TILE * ks;     // [TILE][vs]
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const i64 tiles = (l + ROWS - 1) / ROWS;
    const float scale = (float) sh.scale;
    for (i64 blk = blockIdx.x; blk < sh.batch_heads * tiles; blk += gridDim.x) {
        const i64 bh = blk / tiles, i0 = (blk - bh * tiles) * ROWS, i = i0 + warp;
        const bool row = i < l;
        __syncthreads();
        for (i64 x = threadIdx.x; x < ROWS * e; x += blockDim.x) Qs[x] = i0 + x / e < l ? q[(bh * l + i0) * e + x] : 0.f;
        for (i64 x = threadIdx.x; x < ROWS * ev; x += blockDim.x) Gs[x] = i0 + x / ev < l ? dout[(bh * l + i0) * ev + x] : 0.f;
        const i64 row_end = row ? (sh.causal ? min(s, i + 1) : s) : 0;
        const i64 blk_end = sh.causal ? min(s, min(l, i0 + ROWS)) : s;
        const float* bias_row = bias != nullptr && row ? bias + bh * sh.bias_stride + i * s : nullptr;
        const float row_lse = row ? lse[bh * l + i] : 0.f, d_i = row ? dsum[bh * l + i] : 0.f;
        float acc[CH];
#pragma unroll
        for (int c = 0; c < CH; c++) acc[c] = 0;
        for (i64 j0 = 0; j0 < blk_end; j0 += TILE) {
            const i64 n = min((i64) TILE, blk_end - j0);
            __syncthreads();
            for (i64 x = threadIdx.x; x < n * e; x += blockDim.x) {
                i64 t = x / e;
                Ks[t * ks + (x - t * e)] = k[(bh * s + j0) * e + x];
            }
            for (i64 x = threadIdx.x; x < n * ev; x += blockDim.x) {
                i64 t = x / ev;
                Vs[t * vs + (x - t * ev)] = v[(bh * s + j0) * ev + x];
            }
            __syncthreads();
            if (j0 >= row_end) continue;
            const i64 j = j0 + lane;
            float ds = 0;
            if (j < row_end) {
                float sc = dot(Qs + warp * e, Ks + lane * ks, e) * scale;
                if (bias_row != nullptr) sc += bias_row[j];
                const float p = expf(sc - row_lse);
                if (p != 0) ds = p * (dot(Gs + warp * ev, Vs + lane * vs, ev) - d_i) * scale;
            }
            const int nn = (int) min((i64) TILE, row_end - j0);
            for (int t = 0; t < nn; t++) {
                const float dst = __shfl_sync(FULL_MASK, ds, t);
                const float* kt = Ks + t * ks + c0;
#pragma unroll
                for (int c = 0; c < CH; c++) {
                    const i64 ch = lane + 32 * c;
                    if (ch < cw) acc[c] += dst * kt[ch];
                }
            }
        }
        if (row) {
#pragma unroll
            for (int c = 0; c < CH; c++) {
                const i64 ch = lane + 32 * c;
                if (ch < cw) dq[(bh * l + i) * e + c0 + ch] = acc[c];
            }
        }
    }
}

/* dk, dv for ROWS key rows per block: lanes over the queries of a staged query/dout tile; channels c0 + [0, 32 CH). */
template <int CH>
__global__ void __launch_bounds__(AT_THREADS) attn_dkv(const __grid_constant__ jt_attention_shape sh, const float* q, const float* k,
                                                       const float* v, const float* bias, const float* lse, const float* dout,
                                                       const float* dsum, float* dk, float* dv, i64 c0) {
    extern __shared__ float smem[];
    const i64 e = sh.e, ev = sh.ev, l = sh.l, s = sh.s, qs = odd(e), gs = odd(ev);
    const i64 cwk = min((i64) 32 * CH, e - c0), cwv = min((i64) 32 * CH, ev - c0);
    float* Kr = smem;               // [ROWS][e]: the block's key rows
    float* Vr = Kr + ROWS * e;      // [ROWS][ev]
    float* Qt = Vr + ROWS * ev;     // [TILE][qs]
    float* Gt = Qt + TILE * qs;     // [TILE][gs]
    float* Lt = Gt + TILE * gs;     // [TILE]: the tile's lse
    float* Dt = Lt + TILE;          // [TILE]: the tile's D
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const i64 tiles = (s + ROWS - 1) / ROWS;
    const float scale = (float) sh.scale;
    for (i64 blk = blockIdx.x; blk < sh.batch_heads * tiles; blk += gridDim.x) {
        const i64 bh = blk / tiles, j0 = (blk - bh * tiles) * ROWS, j = j0 + warp;
        const bool keyrow = j < s;
        __syncthreads();
        for (i64 x = threadIdx.x; x < ROWS * e; x += blockDim.x) Kr[x] = j0 + x / e < s ? k[(bh * s + j0) * e + x] : 0.f;
        for (i64 x = threadIdx.x; x < ROWS * ev; x += blockDim.x) Vr[x] = j0 + x / ev < s ? v[(bh * s + j0) * ev + x] : 0.f;
        float acck[CH], accv[CH];
#pragma unroll
        for (int c = 0; c < CH; c++) acck[c] = accv[c] = 0;
        for (i64 i0 = sh.causal ? j0 : 0; i0 < l; i0 += TILE) { // causal: queries before the block's first key see none of its keys
            const i64 n = min((i64) TILE, l - i0);
            __syncthreads();
            for (i64 x = threadIdx.x; x < n * e; x += blockDim.x) {
                i64 t = x / e;
                Qt[t * qs + (x - t * e)] = q[(bh * l + i0) * e + x];
            }
            for (i64 x = threadIdx.x; x < n * ev; x += blockDim.x) {
                i64 t = x / ev;
                Gt[t * gs + (x - t * ev)] = dout[(bh * l + i0) * ev + x];
            }
            for (i64 x = threadIdx.x; x < n; x += blockDim.x) {
                Lt[x] = lse[bh * l + i0 + x];
                Dt[x] = dsum[bh * l + i0 + x];
            }
            __syncthreads();
            if (!keyrow) continue; // uniform over the warp
            const i64 i = i0 + lane;
            float p = 0, ds = 0;
            if (lane < n && (!sh.causal || j <= i)) {
                float sc = dot(Qt + lane * qs, Kr + warp * e, e) * scale;
                if (bias != nullptr) sc += bias[bh * sh.bias_stride + i * s + j];
                p = expf(sc - Lt[lane]);
                if (p != 0) ds = p * (dot(Gt + lane * gs, Vr + warp * ev, ev) - Dt[lane]) * scale;
            }
            for (int t = 0; t < (int) n; t++) {
                const float pt = __shfl_sync(FULL_MASK, p, t), dst = __shfl_sync(FULL_MASK, ds, t);
                if (pt == 0) continue; // masked or underflowed: no contribution (a NaN contributes, as on the CPU)
                const float* gt = Gt + t * gs + c0;
                const float* qt = Qt + t * qs + c0;
#pragma unroll
                for (int c = 0; c < CH; c++) {
                    const i64 ch = lane + 32 * c;
                    if (ch < cwv) accv[c] += pt * gt[ch];
                    if (ch < cwk) acck[c] += dst * qt[ch];
                }
            }
        }
        if (keyrow) {
#pragma unroll
            for (int c = 0; c < CH; c++) {
                const i64 ch = lane + 32 * c;
                if (ch < cwk) dk[(bh * s + j) * e + c0 + ch] = acck[c];
                if (ch < cwv) dv[(bh * s + j) * ev + c0 + ch] = accv[c];
            }
        }
    }
}

/* Registers per lane for `width` channels: 1, 2, 4 or 8 (a pass covers 32 * CH channels). */
int pick_ch(i64 width) {
    i64 c = (width + 31) / 32;
    return c <= 1 ? 1 : c <= 2 ? 2 : c <= 4 ? 4 : 8;
}

/* Lets `kernel` use `bytes` of dynamic shared memory: cudaSuccess, or JT_ERR_BAD_ARGUMENT past the device's limit. */
int allow_shared(const void* kernel, size_t bytes) {
    if (bytes <= DEFAULT_SHARED) return 0;
    int dev = 0, limit = 0;
    cudaError_t err = cudaGetDevice(&dev);
    if (err == cudaSuccess) err = cudaDeviceGetAttribute(&limit, cudaDevAttrMaxSharedMemoryPerBlockOptin, dev);
    if (err != cudaSuccess) return static_cast<int>(err);
    if (bytes > (size_t) limit) return JT_ERR_BAD_ARGUMENT;
    return static_cast<int>(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, (int) bytes));
}

unsigned blocks(i64 n) { return grid_for(n, 1); }

template <int CH>
int forward_passes(const jt_attention_shape& sh, const float* q, const float* k, const float* v, const float* bias, float* out, float* lse,
                   cudaStream_t stream) {
    const i64 width = 32 * CH, cw = width < (i64) sh.ev ? width : (i64) sh.ev;
    size_t bytes = sizeof(float) * (size_t) (ROWS * sh.e + TILE * odd(sh.e) + TILE * cw);
    int rc = allow_shared(reinterpret_cast<const void*>(attn_fwd<CH>), bytes);
    if (rc != 0) return rc;
    for (i64 c0 = 0; c0 < sh.ev; c0 += width) {
        attn_fwd<CH><<<blocks(sh.batch_heads * ((sh.l + ROWS - 1) / ROWS)), AT_THREADS, bytes, stream>>>(sh, q, k, v, bias, out, lse, c0);
    }
    return 0;
}

template <int CH>
int dq_passes(const jt_attention_shape& sh, const float* q, const float* k, const float* v, const float* bias, const float* lse,
              const float* dout, const float* dsum, float* dq, cudaStream_t stream) {
    size_t bytes = sizeof(float) * (size_t) (ROWS * (sh.e + sh.ev) + TILE * (odd(sh.e) + odd(sh.ev)));
    int rc = allow_shared(reinterpret_cast<const void*>(attn_dq<CH>), bytes);
    if (rc != 0) return rc;
    for (i64 c0 = 0; c0 < sh.e; c0 += 32 * CH) {
        attn_dq<CH><<<blocks(sh.batch_heads * ((sh.l + ROWS - 1) / ROWS)), AT_THREADS, bytes, stream>>>(sh, q, k, v, bias, lse, dout, dsum, dq,
                                                                                                      c0);
    }
    return 0;
}

template <int CH>
int dkv_passes(const jt_attention_shape& sh, const float* q, const float* k, const float* v, const float* bias, const float* lse,
               const float* dout, const float* dsum, float* dk, float* dv, cudaStream_t stream) {
    size_t bytes = sizeof(float) * (size_t) (ROWS * (sh.e + sh.ev) + TILE * (odd(sh.e) + odd(sh.ev)) + 2 * TILE);
    int rc = allow_shared(reinterpret_cast<const void*>(attn_dkv<CH>), bytes);
    if (rc != 0) return rc;
    for (i64 c0 = 0; c0 < (i64) (sh.e > sh.ev ? sh.e : sh.ev); c0 += 32 * CH) {
        attn_dkv<CH><<<blocks(sh.batch_heads * ((sh.s + ROWS - 1) / ROWS)), AT_THREADS, bytes, stream>>>(sh, q, k, v, bias, lse, dout, dsum,
                                                                                                       dk, dv, c0);
    }
    return 0;
}

int bad(const jt_attention_shape* sh) {
    if (sh == nullptr || sh->batch_heads < 0 || sh->l < 0 || sh->s < 0 || sh->e < 0 || sh->ev < 0 || sh->bias_stride < 0) return 1;
    if (sh->batch_heads * sh->l == 0) return 0;
    return sh->s < 1 || sh->e < 1 || sh->ev < 1; // the engine never fuses an empty key, query or value
}

} // namespace

extern "C" int jt_attention_forward(const jt_attention_shape* sh, const float* q, const float* k, const float* v, const float* bias,
                                    float* out, float* lse, void* stream_) {
    if (bad(sh)) return JT_ERR_BAD_ARGUMENT;
    if (sh->batch_heads * sh->l == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    int rc;
    switch (pick_ch(sh->ev)) {
        case 1: rc = forward_passes<1>(*sh, q, k, v, bias, out, lse, stream); break;
        case 2: rc = forward_passes<2>(*sh, q, k, v, bias, out, lse, stream); break;
        case 4: rc = forward_passes<4>(*sh, q, k, v, bias, out, lse, stream); break;
        default: rc = forward_passes<8>(*sh, q, k, v, bias, out, lse, stream); break;
    }
    if (rc != 0) return rc;
    JT_RETURN_LAUNCH();
}

extern "C" size_t jt_attention_backward_workspace_bytes(const jt_attention_shape* sh) {
    if (sh == nullptr || sh->batch_heads <= 0 || sh->l <= 0) return 0;
    return sizeof(float) * (size_t) (sh->batch_heads * sh->l);
}

extern "C" int jt_attention_backward(const jt_attention_shape* sh, const float* q, const float* k, const float* v, const float* bias,
                                     const float* out, const float* lse, const float* dout, float* dq, float* dk, float* dv,
                                     void* workspace, void* stream_) {
    if (bad(sh)) return JT_ERR_BAD_ARGUMENT;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    if (sh->batch_heads * sh->l == 0) {
        // no query: dk and dv are 0 (dq is empty)
        size_t bk = sizeof(float) * (size_t) (sh->batch_heads * sh->s * sh->e), bv = sizeof(float) * (size_t) (sh->batch_heads * sh->s * sh->ev);
        cudaError_t err = bk ? cudaMemsetAsync(dk, 0, bk, stream) : cudaSuccess;
        if (err == cudaSuccess && bv) err = cudaMemsetAsync(dv, 0, bv, stream);
        return static_cast<int>(err);
    }
    if (workspace == nullptr) return JT_ERR_BAD_ARGUMENT;
    float* dsum = static_cast<float*>(workspace);
    const i64 rows = sh->batch_heads * sh->l;
    attn_rowdot<<<grid_for(rows, ROWS), AT_THREADS, 0, stream>>>(dout, out, dsum, rows, sh->ev);
    int rc;
    switch (pick_ch(sh->e)) {
        case 1: rc = dq_passes<1>(*sh, q, k, v, bias, lse, dout, dsum, dq, stream); break;
        case 2: rc = dq_passes<2>(*sh, q, k, v, bias, lse, dout, dsum, dq, stream); break;
        case 4: rc = dq_passes<4>(*sh, q, k, v, bias, lse, dout, dsum, dq, stream); break;
        default: rc = dq_passes<8>(*sh, q, k, v, bias, lse, dout, dsum, dq, stream); break;
    }
    if (rc != 0) return rc;
    switch (pick_ch(sh->e > sh->ev ? sh->e : sh->ev)) {
        case 1: rc = dkv_passes<1>(*sh, q, k, v, bias, lse, dout, dsum, dk, dv, stream); break;
        case 2: rc = dkv_passes<2>(*sh, q, k, v, bias, lse, dout, dsum, dk, dv, stream); break;
        case 4: rc = dkv_passes<4>(*sh, q, k, v, bias, lse, dout, dsum, dk, dv, stream); break;
        default: rc = dkv_passes<8>(*sh, q, k, v, bias, lse, dout, dsum, dk, dv, stream); break;
    }
    if (rc != 0) return rc;
    JT_RETURN_LAUNCH();
}
