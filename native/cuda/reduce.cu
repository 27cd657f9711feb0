/*
 * jt_reduce, jt_reduce_workspace_bytes and jt_scan (CpuReduce, CpuReduceSplit, CpuSum semantics).
 *
 * Floating inputs fold in double, integer inputs fold SUM/PROD/AMAX/AMIN/MAX/MIN exactly in int64 (the
 * rest in double). Each kernel is one small state struct (a "reducer": init, add, merge, store) run by
 * one of four strategies, chosen from the plan alone:
 *  - split: few groups of many elements: several blocks per group write partial states into the
 *    workspace, a second kernel merges them (VAR: a pass of sums, then of squared deviations);
 *  - columns: the innermost kept dim has stride 1 and the reduced one does not (sum(dim=0) of a
 *    row-major matrix): 32 adjacent groups per block, coalesced, 8 slices each;
 *  - block: one block per group (long groups); warp: one warp per group (short groups).
 * Every merge happens in a fixed tree (no float atomics), so repeated runs give identical bits.
 */
#include "common.cuh"

namespace {
using namespace jt;

enum FoldMode { MODE_SUM, MODE_ABS, MODE_SQ, MODE_NONZERO, MODE_ZERO, MODE_POW, MODE_PROD };

/* Parameters every reducer sees. */
struct RP {
    int op;      // jt_reduce_op
    int mode;    // FoldMode (FoldD, FoldL)
    int max;     // ExtD, ExtL: largest (1) or smallest (0)
    int abs;     // ExtD: compare |x| (NORM with p = +-inf)
    double p;    // SUM's scale, NORM's p, VAR's correction
    double init; // ExtD's starting value
    double mean; // VarM2: the group mean (set per group)
    i64 n;       // elements per group
};

/* Sums (of x, |x|, x^2, nonzero or zero indicators, |x|^p) or products in double. */
struct FoldD {
    static constexpr bool VAR = false, LONG = false;
    double a;
    __device__ static FoldD init(const RP& P) { return FoldD{P.mode == MODE_PROD ? 1.0 : 0.0}; }
    __device__ static double load(const void* in, int t, i64 off) { return load_double(in, t, off); }
    __device__ void add(double v, i64, const RP& P) {
        switch (P.mode) {
            case MODE_SUM: a += v; break;
            case MODE_ABS: a += fabs(v); break;
            case MODE_SQ: a += v * v; break;
            case MODE_NONZERO: a += fabs(v) != 0 ? 1.0 : 0.0; break;
            case MODE_ZERO: a += v == 0 ? 1.0 : 0.0; break;
            case MODE_POW: a += pow(fabs(v), P.p); break;
            default: a *= v; break;
        }
    }
    __device__ void merge(const FoldD& o, const RP& P) {
        if (P.mode == MODE_PROD) a *= o.a;
        else a += o.a;
    }
    __device__ void store(void* out, int ot, i64 o, i64*, const RP& P) const {
        double r = a;
        switch (P.op) {
            case JT_SUM: r = a * P.p; break;
            case JT_ALL: r = a == 0 ? 1.0 : 0.0; break; // counted the zeros
            case JT_ANY: r = a != 0 ? 1.0 : 0.0; break; // counted the nonzeros
            case JT_NORM:
                if (P.p == 2) r = sqrt(a);
                else if (P.p != 0 && P.p != 1) r = pow(a, 1 / P.p);
                break;
            default: break;
        }
        store_double(out, ot, o, r);
    }
};

/* Integer SUM or PROD, exact (wrapping) in int64. */
struct FoldL {
    static constexpr bool VAR = false, LONG = true;
    i64 a;
    __device__ static FoldL init(const RP& P) { return FoldL{P.mode == MODE_PROD ? 1LL : 0LL}; }
    __device__ static i64 load(const void* in, int t, i64 off) { return load_long(in, t, off); }
    __device__ void add(i64 v, i64, const RP& P) {
        if (P.mode == MODE_PROD) a = (i64) ((u64) a * (u64) v);
        else a = (i64) ((u64) a + (u64) v);
    }
    __device__ void merge(const FoldL& o, const RP& P) { add(o.a, 0, P); }
    __device__ void store(void* out, int ot, i64 o, i64*, const RP&) const { store_long(out, ot, o, a); }
};

/* Max or min in double with the index of the first extreme; the first NaN wins. */
struct ExtD {
    static constexpr bool VAR = false, LONG = false;
    double v;
    i64 idx;
    int nan, pad;
    __device__ static ExtD init(const RP& P) { return ExtD{P.init, 0, 0, 0}; }
    __device__ static double load(const void* in, int t, i64 off) { return load_double(in, t, off); }
    __device__ void add(double x, i64 j, const RP& P) {
        if (nan) return;
        if (P.abs) x = fabs(x);
        if (x != x) { v = x; idx = j; nan = 1; }
        else if (P.max ? x > v : x < v) { v = x; idx = j; }
    }
    __device__ void merge(const ExtD& o, const RP& P) {
        if (o.nan) {
            if (!nan || o.idx < idx) *this = o;
        } else if (!nan) {
            if ((P.max ? o.v > v : o.v < v) || (o.v == v && o.idx < idx)) *this = o;
        }
    }
    __device__ void store(void* out, int ot, i64 o, i64* indices, const RP& P) const {
        store_double(out, ot, o, v);
        if (indices != nullptr && (P.op == JT_MAX || P.op == JT_MIN)) indices[o] = idx;
    }
};

/* Max or min of integers, exact, with the index of the first extreme. */
struct ExtL {
    static constexpr bool VAR = false, LONG = true;
    i64 v, idx;
    __device__ static ExtL init(const RP& P) { return ExtL{P.max ? INT64_MIN : INT64_MAX, 0}; }
    __device__ static i64 load(const void* in, int t, i64 off) { return load_long(in, t, off); }
    __device__ void add(i64 x, i64 j, const RP& P) {
        if (P.max ? x > v : x < v) { v = x; idx = j; }
    }
    __device__ void merge(const ExtL& o, const RP& P) {
        if ((P.max ? o.v > v : o.v < v) || (o.v == v && o.idx < idx)) *this = o;
    }
    __device__ void store(void* out, int ot, i64 o, i64* indices, const RP& P) const {
        store_long(out, ot, o, v);
        if (indices != nullptr && (P.op == JT_MAX || P.op == JT_MIN)) indices[o] = idx;
    }
};

/* The running max m and s = sum exp(x - m) (CpuReduce.logSumExp); a NaN ends the fold. */
struct Lse {
    static constexpr bool VAR = false, LONG = false;
    double m, s;
    int nan, pad;
    __device__ static Lse init(const RP&) { return Lse{-INFINITY, 0.0, 0, 0}; }
    __device__ static double load(const void* in, int t, i64 off) { return load_double(in, t, off); }
    __device__ void add(double x, i64, const RP&) {
        if (nan) return;
        if (x != x) { m = x; s = 1; nan = 1; }
        else if (x > m) { s = (m == -INFINITY ? 0.0 : s * exp(m - x)) + 1; m = x; }
        else if (x != -INFINITY) s += exp(x - m);
    }
    __device__ void merge(const Lse& o, const RP&) {
        if (nan) return;
        if (o.nan) { *this = o; return; }
        if (o.m > m) { s = (m == -INFINITY ? 0.0 : s * exp(m - o.m)) + o.s; m = o.m; }
        else if (o.m != -INFINITY) s += o.s * exp(o.m - m);
    }
    __device__ void store(void* out, int ot, i64 o, i64*, const RP&) const {
        store_double(out, ot, o, (m != m || isinf(m)) ? m : m + log(s));
    }
};

/* VAR's second pass: squared deviations from the mean and their drift (CpuReduce.variance). */
struct VarM2 {
    static constexpr bool VAR = true, LONG = false;
    double m2, drift;
    __device__ static VarM2 init(const RP&) { return VarM2{0.0, 0.0}; }
    __device__ static double load(const void* in, int t, i64 off) { return load_double(in, t, off); }
    __device__ void add(double x, i64, const RP& P) {
        double d = x - P.mean;
        m2 += d * d;
        drift += d;
    }
    __device__ void merge(const VarM2& o, const RP&) { m2 += o.m2; drift += o.drift; }
    __device__ void store(void* out, int ot, i64 o, i64*, const RP& P) const {
        double count = (double) P.n;
        double m = m2 - drift * drift / count;
        store_double(out, ot, o, java_max(m, 0.0) / java_max(count - P.p, 0.0));
    }
};

constexpr int SLOT_BYTES = 32; // workspace bytes per partial state (the largest state is 24)
static_assert(sizeof(ExtD) <= SLOT_BYTES && sizeof(Lse) <= SLOT_BYTES && sizeof(VarM2) <= SLOT_BYTES, "slot");

/* The state of elements [from, to) of the group at base, thread `start` of `step`. */
template <class R>
__device__ __forceinline__ R fold(const RP& P, const void* in, int t, const jt_reduce_plan& p, i64 base,
                                  i64 from, i64 to, i64 start, i64 step) {
    R st = R::init(P);
    i64 j = from + start;
    if (p.inner_rank <= 1) { // one strided run: four loads in flight
        const i64 s = p.inner_rank == 0 ? 0 : p.inner_strides[0];
        if constexpr (!R::LONG) {
            if (t == JT_FLOAT32 && s == 1 && step >= 4) {
                // contiguous float32: 16-byte loads; each thread still meets its elements in increasing order
                // (its head element, then its vectors, then its tail element), as ExtD's first-index rule needs
                const float* f = static_cast<const float*>(in) + base;
                i64 head = (4 - (i64) ((reinterpret_cast<uintptr_t>(f + from) >> 2) & 3)) & 3;
                if (head > to - from) head = to - from;
                if (start < head) st.add((double) f[from + start], from + start, P);
                const i64 v0 = from + head, nv = (to - v0) / 4;
                const float4* f4 = reinterpret_cast<const float4*>(f + v0);
                i64 k = start;
                for (; k + 3 * step < nv; k += 4 * step) {
                    float4 a = f4[k], b = f4[k + step], c = f4[k + 2 * step], d = f4[k + 3 * step];
                    const float4* q[4] = {&a, &b, &c, &d};
#pragma unroll
                    for (int u = 0; u < 4; u++) {
                        i64 e = v0 + 4 * (k + u * step);
                        st.add((double) q[u]->x, e, P);
                        st.add((double) q[u]->y, e + 1, P);
                        st.add((double) q[u]->z, e + 2, P);
                        st.add((double) q[u]->w, e + 3, P);
                    }
                }
                for (; k < nv; k += step) {
                    float4 a = f4[k];
                    i64 e = v0 + 4 * k;
                    st.add((double) a.x, e, P);
                    st.add((double) a.y, e + 1, P);
                    st.add((double) a.z, e + 2, P);
                    st.add((double) a.w, e + 3, P);
                }
                const i64 tail = v0 + 4 * nv;
                if (tail + start < to) st.add((double) f[tail + start], tail + start, P);
                return st;
            }
        }
        for (; j + 3 * step < to; j += 4 * step) {
            auto v0 = R::load(in, t, base + j * s);
            auto v1 = R::load(in, t, base + (j + step) * s);
            auto v2 = R::load(in, t, base + (j + 2 * step) * s);
            auto v3 = R::load(in, t, base + (j + 3 * step) * s);
            st.add(v0, j, P);
            st.add(v1, j + step, P);
            st.add(v2, j + 2 * step, P);
            st.add(v3, j + 3 * step, P);
        }
        for (; j < to; j += step) st.add(R::load(in, t, base + j * s), j, P);
    } else {
        for (; j < to; j += step) st.add(R::load(in, t, group_offset(p, base, j)), j, P);
    }
    return st;
}

__host__ __device__ RP sum_params(const RP& P) {
    RP q = P;
    q.op = JT_SUM;
    q.mode = MODE_SUM;
    return q;
}

// ---------------- block / warp per group ----------------

template <class R, int G>
__global__ void __launch_bounds__(THREADS) reduce_groups_kernel(RP P, const void* in, int t, const __grid_constant__ jt_reduce_plan p,
                                                                void* out, int ot, i64* indices) {
    __shared__ R scratch[THREADS / 32];
    __shared__ FoldD scratch_sum[THREADS / 32];
    constexpr int GPB = THREADS / G;
    const int sub = threadIdx.x / G, lane = threadIdx.x % G;
    for (i64 o0 = blockIdx.x * (i64) GPB; o0 < p.output_count; o0 += (i64) gridDim.x * GPB) {
        i64 o = o0 + sub;
        bool active = o < p.output_count;
        i64 base = active ? plan_base(p, o) : 0, n = active ? p.inner_count : 0;
        RP Q = P;
        if constexpr (R::VAR) {
            RP S = sum_params(P);
            FoldD s = fold<FoldD>(S, in, t, p, base, 0, n, lane, G);
            s = group_reduce<G>(s, [&](FoldD& x, const FoldD& y) { x.merge(y, S); }, scratch_sum);
            Q.mean = s.a / (double) p.inner_count;
        }
        R st = fold<R>(Q, in, t, p, base, 0, n, lane, G);
        st = group_reduce<G>(st, [&](R& x, const R& y) { x.merge(y, Q); }, scratch);
        if (active && lane == 0) st.store(out, ot, o, indices, Q);
    }
}

// ---------------- 32 adjacent groups per block (outer stride 1), 8 slices of each group ----------------

constexpr int COLS = 32, SLICES = THREADS / COLS;

template <class R>
__global__ void __launch_bounds__(THREADS) reduce_columns_kernel(RP P, const void* in, int t, const __grid_constant__ jt_reduce_plan p,
                                                                 void* out, int ot, i64* indices) {
    __shared__ R sm[SLICES][COLS];
    __shared__ FoldD sm_sum[SLICES][COLS];
    const int col = threadIdx.x % COLS, slice = threadIdx.x / COLS;
    for (i64 o0 = blockIdx.x * (i64) COLS; o0 < p.output_count; o0 += (i64) gridDim.x * COLS) {
        i64 o = o0 + col;
        bool active = o < p.output_count;
        i64 base = active ? plan_base(p, o) : 0, n = active ? p.inner_count : 0;
        RP Q = P;
        if constexpr (R::VAR) {
            RP S = sum_params(P);
            sm_sum[slice][col] = fold<FoldD>(S, in, t, p, base, 0, n, slice, SLICES);
            __syncthreads();
            if (slice == 0) {
                FoldD s = sm_sum[0][col];
                for (int k = 1; k < SLICES; k++) s.merge(sm_sum[k][col], S);
                sm_sum[0][col] = s;
            }
            __syncthreads();
            Q.mean = sm_sum[0][col].a / (double) p.inner_count;
        }
        sm[slice][col] = fold<R>(Q, in, t, p, base, 0, n, slice, SLICES);
        __syncthreads();
        if (slice == 0) {
            R st = sm[0][col];
            for (int k = 1; k < SLICES; k++) st.merge(sm[k][col], Q);
            if (active) st.store(out, ot, o, indices, Q);
        }
        __syncthreads();
    }
}

// ---------------- split: several blocks per group, then a combining kernel ----------------

/* The group mean from VAR's first-pass partial sums (same order in every block, so the same bits). */
__device__ double mean_from_parts(const RP& P, const FoldD* sums, int parts, i64 o, FoldD* scratch) {
    RP S = sum_params(P);
    FoldD s = FoldD::init(S);
    for (int k = threadIdx.x; k < parts; k += blockDim.x) s.merge(sums[o * parts + k], S);
    s = block_reduce(s, [&](FoldD& x, const FoldD& y) { x.merge(y, S); }, scratch);
    return s.a / (double) P.n;
}

template <class R>
__global__ void __launch_bounds__(THREADS) reduce_partial_kernel(RP P, const void* in, int t, const __grid_constant__ jt_reduce_plan p,
                                                                 R* parts_out, int parts, i64 chunk, const FoldD* sums) {
    __shared__ R scratch[THREADS / 32];
    __shared__ FoldD scratch_sum[THREADS / 32];
    const int part = blockIdx.x;
    for (i64 o = blockIdx.y; o < p.output_count; o += gridDim.y) {
        i64 base = plan_base(p, o);
        RP Q = P;
        if constexpr (R::VAR) Q.mean = mean_from_parts(P, sums, parts, o, scratch_sum);
        i64 from = part * chunk, to = from + chunk < p.inner_count ? from + chunk : p.inner_count;
        R st = fold<R>(Q, in, t, p, base, from, to, threadIdx.x, blockDim.x);
        st = block_reduce(st, [&](R& x, const R& y) { x.merge(y, Q); }, scratch);
        if (threadIdx.x == 0) parts_out[o * parts + part] = st;
    }
}

template <class R>
__global__ void __launch_bounds__(THREADS) reduce_combine_kernel(RP P, const R* parts_in, int parts, const FoldD* sums, i64 output_count,
                                                                 void* out, int ot, i64* indices) {
    __shared__ R scratch[THREADS / 32];
    __shared__ FoldD scratch_sum[THREADS / 32];
    for (i64 o = blockIdx.x; o < output_count; o += gridDim.x) {
        RP Q = P;
        if constexpr (R::VAR) Q.mean = mean_from_parts(P, sums, parts, o, scratch_sum);
        R st = R::init(Q);
        for (int k = threadIdx.x; k < parts; k += blockDim.x) st.merge(parts_in[o * parts + k], Q);
        st = block_reduce(st, [&](R& x, const R& y) { x.merge(y, Q); }, scratch);
        if (threadIdx.x == 0) st.store(out, ot, o, indices, Q);
    }
}

// ---------------- strategy choice (from the plan only, so workspace size and results are fixed) ----------------

constexpr i64 SPLIT_MIN_INNER = 1 << 16, SPLIT_MIN_CHUNK = 1 << 14, SPLIT_TARGET_BLOCKS = 2048, SPLIT_MAX_PARTS = 1024;
constexpr i64 SPLIT_MAX_OUTPUTS = 512;

/* Blocks per group of the split strategy, or 0 when one pass suffices. */
i64 split_parts(const jt_reduce_plan* p) {
    if (p->output_count <= 0 || p->output_count >= SPLIT_MAX_OUTPUTS || p->inner_count < SPLIT_MIN_INNER) return 0;
    i64 parts = (SPLIT_TARGET_BLOCKS + p->output_count - 1) / p->output_count;
    i64 by_chunk = (p->inner_count + SPLIT_MIN_CHUNK - 1) / SPLIT_MIN_CHUNK;
    if (parts > by_chunk) parts = by_chunk;
    if (parts > SPLIT_MAX_PARTS) parts = SPLIT_MAX_PARTS;
    return parts >= 2 ? parts : 0;
}

bool columns_layout(const jt_reduce_plan* p) {
    return p->outer_rank >= 1 && p->outer_strides[p->outer_rank - 1] == 1 && p->inner_rank >= 1
           && p->inner_strides[p->inner_rank - 1] != 1;
}

template <class R>
int run(const RP& P, const void* in, int t, const jt_reduce_plan* p, void* out, int ot, i64* indices, void* ws, cudaStream_t stream) {
    i64 parts = split_parts(p);
    if (parts > 0) {
        if (ws == nullptr) return JT_ERR_BAD_ARGUMENT;
        i64 chunk = (p->inner_count + parts - 1) / parts;
        i64 slots = parts * p->output_count;
        FoldD* sums = reinterpret_cast<FoldD*>(ws);                         // VAR's first pass
        R* partial = reinterpret_cast<R*>(static_cast<char*>(ws) + slots * SLOT_BYTES);
        dim3 grid((unsigned) parts, (unsigned) (p->output_count < 65535 ? p->output_count : 65535));
        if constexpr (R::VAR) {
            reduce_partial_kernel<FoldD><<<grid, THREADS, 0, stream>>>(sum_params(P), in, t, *p, sums, (int) parts, chunk, nullptr);
        }
        reduce_partial_kernel<R><<<grid, THREADS, 0, stream>>>(P, in, t, *p, partial, (int) parts, chunk, sums);
        reduce_combine_kernel<R><<<grid_for(p->output_count, 1), THREADS, 0, stream>>>(P, partial, (int) parts, sums, p->output_count,
                                                                                      out, ot, indices);
    } else if (columns_layout(p)) {
        reduce_columns_kernel<R><<<grid_for(p->output_count, COLS), THREADS, 0, stream>>>(P, in, t, *p, out, ot, indices);
    } else if (p->inner_count >= 512) {
        reduce_groups_kernel<R, THREADS><<<grid_for(p->output_count, 1), THREADS, 0, stream>>>(P, in, t, *p, out, ot, indices);
    } else {
        reduce_groups_kernel<R, 32><<<grid_for(p->output_count, THREADS / 32), THREADS, 0, stream>>>(P, in, t, *p, out, ot, indices);
    }
    JT_RETURN_LAUNCH();
}

bool valid_plan(const jt_reduce_plan* p) {
    return p != nullptr && p->outer_rank >= 0 && p->outer_rank <= JT_MAX_DIMS && p->inner_rank >= 0 && p->inner_rank <= JT_MAX_DIMS;
}

// ---------------- scan ----------------

__global__ void scan_kernel(int prod, const void* in, int it, const __grid_constant__ jt_reduce_plan p, i64 length, i64 in_stride,
                            i64 after, void* out, int ot) {
    bool floating = is_floating(it);
    for (i64 o = blockIdx.x * (i64) blockDim.x + threadIdx.x; o < p.output_count; o += (i64) gridDim.x * blockDim.x) {
        i64 base = plan_base(p, o), first = (o / after) * length * after + (o % after);
        if (floating) {
            double acc = prod ? 1.0 : 0.0;
            for (i64 k = 0; k < length; k++) {
                double v = load_double(in, it, base + k * in_stride);
                acc = prod ? acc * v : acc + v;
                store_double(out, ot, first + k * after, acc);
            }
        } else {
            u64 acc = prod ? 1 : 0;
            for (i64 k = 0; k < length; k++) {
                u64 v = (u64) load_long(in, it, base + k * in_stride);
                acc = prod ? acc * v : acc + v;
                store_long(out, ot, first + k * after, (i64) acc);
            }
        }
    }
}

} // namespace

extern "C" size_t jt_reduce_workspace_bytes(const jt_reduce_plan* plan) {
    if (!valid_plan(plan)) return 0;
    i64 parts = split_parts(plan);
    return parts > 0 ? (size_t) (2 * parts * plan->output_count * SLOT_BYTES) : 0;
}

extern "C" int jt_reduce(int op, double param, const void* in, int in_type, const jt_reduce_plan* plan,
                         void* out, int out_type, int64_t* indices, void* workspace, void* stream_) {
    if (op < JT_SUM || op > JT_LOGSUMEXP) return JT_ERR_BAD_OP;
    JT_CHECK_DTYPE(in_type);
    JT_CHECK_DTYPE(out_type);
    if (!valid_plan(plan)) return JT_ERR_BAD_RANK;
    if (plan->output_count == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    i64* idx = reinterpret_cast<i64*>(indices);
    RP P{};
    P.op = op;
    P.p = param;
    P.n = plan->inner_count;
    bool floating = is_floating(in_type);
    switch (op) {
        case JT_SUM:
        case JT_PROD:
            P.mode = op == JT_SUM ? MODE_SUM : MODE_PROD;
            if (floating) return run<FoldD>(P, in, in_type, plan, out, out_type, idx, workspace, stream);
            return run<FoldL>(P, in, in_type, plan, out, out_type, idx, workspace, stream);
        case JT_AMAX:
        case JT_AMIN:
        case JT_MAX:
        case JT_MIN:
            P.max = op == JT_AMAX || op == JT_MAX;
            P.init = P.max ? -INFINITY : INFINITY;
            if (floating) return run<ExtD>(P, in, in_type, plan, out, out_type, idx, workspace, stream);
            return run<ExtL>(P, in, in_type, plan, out, out_type, idx, workspace, stream);
        case JT_ALL:
        case JT_ANY:
            P.mode = op == JT_ALL ? MODE_ZERO : MODE_NONZERO;
            return run<FoldD>(P, in, in_type, plan, out, out_type, idx, workspace, stream);
        case JT_NORM:
            if (isinf(param)) {
                P.abs = 1;
                P.max = param > 0;
                P.init = P.max ? 0.0 : INFINITY;
                return run<ExtD>(P, in, in_type, plan, out, out_type, idx, workspace, stream);
            }
            P.mode = param == 2 ? MODE_SQ : param == 1 ? MODE_ABS : param == 0 ? MODE_NONZERO : MODE_POW;
            return run<FoldD>(P, in, in_type, plan, out, out_type, idx, workspace, stream);
        case JT_VAR:
            return run<VarM2>(P, in, in_type, plan, out, out_type, idx, workspace, stream);
        default: // JT_LOGSUMEXP
            return run<Lse>(P, in, in_type, plan, out, out_type, idx, workspace, stream);
    }
}

extern "C" int jt_scan(int prod, const void* in, int in_type, const jt_reduce_plan* plan, int64_t length, int64_t in_stride,
                       int64_t after, void* out, int out_type, void* stream) {
    JT_CHECK_DTYPE(in_type);
    JT_CHECK_DTYPE(out_type);
    if (!valid_plan(plan)) return JT_ERR_BAD_RANK;
    if (plan->output_count == 0 || length == 0) return 0;
    if (length < 0 || after <= 0) return JT_ERR_BAD_ARGUMENT;
    scan_kernel<<<grid_for(plan->output_count), THREADS, 0, static_cast<cudaStream_t>(stream)>>>(
            prod, in, in_type, *plan, length, in_stride, after, out, out_type);
    JT_RETURN_LAUNCH();
}
