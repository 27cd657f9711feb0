/*
 * jt_cpu_selftest: runs every kernel of jtensor_cpu.h on fixed pseudo-random inputs (odd sizes, unaligned
 * starts, NaN/inf/subnormal/huge values) and prints one hash of all the output bits. native/build-cpu.sh
 * compiles it with the kernels three times (-DJT_NO_CLONES with -march=x86-64-v4, x86-64-v3, x86-64) and
 * fails unless every build this CPU can run prints the same hash: the ISA clones give the same bits.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "common.h"

static uint64_t hash = 1469598103934665603ull;
static uint64_t state = 88172645463325252ull;

static void mix(const void *p, size_t bytes) {
    const unsigned char *c = p;
    for (size_t i = 0; i < bytes; i++) hash = (hash ^ c[i]) * 1099511628211ull;
}

/* Floats are hashed with every NaN as one canonical NaN: which operand's NaN payload an operation passes on
   depends on operand order, which the compiler may swap in commutative operations (Java leaves NaN bits
   unspecified as well); every other bit counts. */
static void mix_f32(const float *p, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        float x = p[i] != p[i] ? NAN : p[i];
        mix(&x, 4);
    }
}

static void mix_f64(const double *p, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        double x = p[i] != p[i] ? NAN : p[i];
        mix(&x, 8);
    }
}

static double next_value(void) { /* xorshift64, values in [-4, 4) with a few specials */
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    uint64_t r = state % 1000;
    if (r == 0) return NAN;
    if (r == 1) return INFINITY;
    if (r == 2) return 1e-41; /* float32 subnormal */
    if (r == 3) return 3e38;
    return (double) (state >> 11) * 0x1p-53 * 8 - 4;
}

int main(void) {
    const int64_t sizes[] = {0, 1, 7, 63, 64, 1023, 4097, 70001};
    const int64_t max = 70001 + 3;
    float *a = malloc(max * 4), *b = malloc(max * 4), *o = malloc(max * 4), *m = malloc(max * 4), *v = malloc(max * 4);
    double *da = malloc(max * 8), *db = malloc(max * 8), *dout = malloc(max * 8), *dm = malloc(max * 8), *dv = malloc(max * 8);
    uint16_t *h = malloc(max * 2);
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        int64_t n = sizes[si];
        for (int64_t i = 0; i < max; i++) {
            a[i] = (float) next_value();
            b[i] = (float) next_value();
            m[i] = (float) fabs(next_value());
            v[i] = (float) fabs(next_value());
            da[i] = next_value();
            db[i] = next_value();
            dm[i] = fabs(next_value());
            dv[i] = fabs(next_value());
        }
        for (int op = 0; op < 4; op++) {
            for (int bs = 0; bs <= 1; bs++) {
                jt_cpu_binary_f32(op, 0.7f, o, a + 1, b + 3, bs, 0, n); /* unaligned starts */
                mix_f32(o, n);
                jt_cpu_binary_f64(op, 0.7, dout, da + 1, db, bs, 0, n);
                mix_f64(dout, n);
            }
        }
        for (int op = JT_CPU_NEG; op <= JT_CPU_GELU; op++) { /* contiguous, strided, reversed, in place */
            double lo = op == JT_CPU_CLAMP ? -0.5 : 0, hi = op == JT_CPU_CLAMP ? 2.0 : 0;
            jt_cpu_unary_f32(op, lo, hi, o, 1, a + 1, 1, 0, n); mix_f32(o, n);
            jt_cpu_unary_f32(op, lo, NAN, o, 1, b + 3, 2, 0, n / 2); mix_f32(o, n / 2);
            if (n > 0) { jt_cpu_unary_f32(op, NAN, hi, o + n - 1, -1, b, 1, 0, n); mix_f32(o, n); }
            jt_cpu_unary_f64(op, lo, hi, dout, 1, da + 1, 1, 0, n); mix_f64(dout, n);
            jt_cpu_unary_f64(op, lo, hi, dout, 3, db, 1, 0, n / 3); mix_f64(dout, n / 3 * 3);
        }
        for (int op = JT_CPU_ADD; op <= JT_CPU_MINIMUM; op++) {
            jt_cpu_binary_strided_f32(op, 0.7, o, 1, a + 1, 1, b, 1, 0, n); mix_f32(o, n);
            jt_cpu_binary_strided_f32(op, 1.0, o, 1, a, 2, b, 0, 0, n / 2); mix_f32(o, n / 2);
            jt_cpu_binary_strided_f64(op, 0.7, dout, 1, da + 1, 1, db, 1, 0, n); mix_f64(dout, n);
            jt_cpu_binary_strided_f64(op, 1.0, dout, 2, da, 1, db, 0, 0, n / 2); mix_f64(dout, n / 2 * 2);
            if (op <= JT_CPU_MUL) {
                int32_t *ia = (int32_t *) m, *ib = (int32_t *) v, *io = (int32_t *) o;
                int64_t *la = (int64_t *) dm, *lb = (int64_t *) dv, *lo64 = (int64_t *) dout;
                jt_cpu_binary_strided_i32(op, 3, io, 1, ia + 1, 1, ib, 1, 0, n); mix(io, n * 4);
                jt_cpu_binary_strided_i32(op, -7, io, 1, ia, 2, ib, 0, 0, n / 2); mix(io, n / 2 * 4);
                jt_cpu_binary_strided_i64(op, 3, lo64, 1, la + 1, 1, lb, 1, 0, n); mix(lo64, n * 8);
                jt_cpu_binary_strided_i64(op, -7, lo64, 1, la, 2, lb, 0, 0, n / 2); mix(lo64, n / 2 * 8);
            }
        }
        /* relu's backward: contiguous (unaligned), strided with a broadcast y */
        jt_cpu_threshold_backward_f32(o, 1, a + 1, 1, b + 3, 1, 0, n); mix_f32(o, n);
        jt_cpu_threshold_backward_f32(o, 2, a, 1, b, 0, 0, n / 2); mix_f32(o, n / 2 * 2);
        jt_cpu_threshold_backward_f64(dout, 1, da + 1, 1, db, 1, 0, n); mix_f64(dout, n);
        jt_cpu_threshold_backward_f64(dout, 1, da, 3, db + 1, 2, 0, n / 3); mix_f64(dout, n / 3);
        double s[4] = {jt_cpu_sum_f32(b, 1, n), jt_cpu_sum_f64(db, 1, n), jt_cpu_sum_f32(m, 0, n), jt_cpu_sum_f64(dm, 0, n)};
        mix(s, sizeof s);
        for (int f64 = 0; f64 <= 1; f64++) { /* sums along a leading dim: n / 40 rows of 37 columns, 40 apart */
            jt_cpu_sum_rows_f32(a + 1, n / 40, 40, 37, 0.5, f64, dout);
            mix(dout, f64 ? 37 * 8 : 37 * 4);
            jt_cpu_sum_rows_f64(da + 3, n / 40, 40, 37, 0.5, f64, dout);
            mix(dout, f64 ? 37 * 8 : 37 * 4);
            jt_cpu_sum_runs_f32(a + 1, 37, 40, n / 40 < 37 ? n / 40 : 37, 0.5, f64, dout); /* runs of 37, 40 apart */
            mix(dout, f64 ? 37 * 8 : 37 * 4);
            jt_cpu_sum_runs_f64(da + 3, 37, 40, n / 40 < 37 ? n / 40 : 37, 0.5, f64, dout);
            mix(dout, f64 ? 37 * 8 : 37 * 4);
        }
        for (int lg = 0; lg <= 1; lg++) { /* softmax along a strided dim: n / 40 rows of 37 columns, in 40 apart, out 37 */
            jt_cpu_softmax_cols_f32(lg, a + 1, 40, o, 37, n / 40, 37);
            mix_f32(o, (n / 40) * 37);
        }
        for (int lg = 0; lg <= 1; lg++) {
            int64_t len = n < 7 ? n : n / 7;
            if (len > 0) {
                jt_cpu_softmax_f32(lg, a + 1, o, len, 0, n / len);
                mix_f32(o, (n / len) * len);
            }
        }
        jt_cpu_cast_f32_f64(a, dout, 0, n); mix_f64(dout, n);
        jt_cpu_cast_f64_f32(da, o, 0, n); mix_f32(o, n);
        jt_cpu_cast_f32_bf16(a, h, 0, n); mix(h, n * 2);
        jt_cpu_cast_bf16_f32(h, o, 0, n); mix_f32(o, n);
        for (int64_t i = 0; i < n; i++) h[i] = (uint16_t) (state >> (i % 48));
        jt_cpu_cast_f16_f32(h, o, 0, n); mix_f32(o, n);
        jt_cpu_cast_f32_f16(a, h, 0, n); mix(h, n * 2);
        { /* every pair jt_cpu_cast takes (float sources from a and da, integer ones from the bytes of db) */
            static const int bytes[10] = {1, 1, 1, 2, 4, 8, 2, 2, 4, 8};
            for (int st = 0; st <= 9; st++)
                for (int dt = 0; dt <= 9; dt++) {
                    const void *src = st == 9 ? (const void *) da : st == 8 ? (const void *) a : (const void *) db;
                    if (jt_cpu_cast(st, src, dt, dout, 0, n)) mix(dout, n * bytes[dt]);
                }
        }
        for (int flags = 0; flags < 32; flags += 3) {
            jt_cpu_axpy_f32(-0.01f, b, a, 0, n); mix_f32(a, n);
            jt_cpu_sgd_f32(flags, -0.01f, 1e-4f, 0.9f, 0.9f, a, b, (flags & 1) ? NULL : m, 0, n); mix_f32(a, n); mix_f32(m, n);
            jt_cpu_sgd_f64(flags, -0.01, 1e-4, 0.9, 0.9, da, db, (flags & 1) ? NULL : dm, 0, n); mix_f64(da, n);
            jt_cpu_adam_f32(flags, 0.9f, 0.999f, 0.1f, 0.001f, 0.01f, 0.999f, 0.3f, 1e-8f, -0.001f, a, b, m, v,
                            (flags & 2) ? o : NULL, 0, n);
            mix_f32(a, n); mix_f32(m, n); mix_f32(v, n);
            jt_cpu_adam_f64(flags, 0.9, 0.999, 0.1, 0.001, 0.01, 0.999, 0.3, 1e-8, -0.001, da, db, dm, dv,
                            (flags & 2) ? dout : NULL, 0, n);
            mix_f64(da, n); mix_f64(dm, n); mix_f64(dv, n);
            if (flags & 2) { mix_f32(o, n); mix_f64(dout, n); }
            jt_cpu_rmsprop_f32(flags, 0.99f, 0.01f, 1e-8f, 0.9f, 1e-4f, -0.01f, a, b, v, (flags & 4) ? m : NULL,
                               (flags & 8) ? o : NULL, 0, n);
            mix_f32(a, n); mix_f32(v, n); mix_f32(m, n); mix_f32(o, n);
            jt_cpu_rmsprop_f64(flags, 0.99, 0.01, 1e-8, 0.9, 1e-4, -0.01, da, db, dv, (flags & 4) ? dm : NULL,
                               (flags & 8) ? dout : NULL, 0, n);
            mix_f64(da, n); mix_f64(dv, n); mix_f64(dm, n); mix_f64(dout, n);
            jt_cpu_adagrad_f32(flags, 1e-4f, 1e-10f, -0.01f, a, b, v, 0, n); mix_f32(a, n); mix_f32(v, n);
            jt_cpu_adagrad_f64(flags, 1e-4, 1e-10, -0.01, da, db, dv, 0, n); mix_f64(da, n); mix_f64(dv, n);
        }
    }
    /* sliding windows: odd planes, strides, paddings, dilations (3 planes of 9 x 11; cols fit in max) */
    for (int64_t sw = 1; sw <= 3; sw += 2) {
        int64_t oh = (9 + 2 - 2 - 1) / 2 + 1, ow = (11 + 4 - 2 - 1) / sw + 1, nc = 3 * 6 * oh * ow;
        jt_cpu_im2col_f32(a + 1, o, 9, 11, 3, 2, 2, sw, 1, 2, 1, 2, oh, ow, 0, 3); mix_f32(o, nc);
        jt_cpu_col2im_f32(o, b, 9, 11, 3, 2, 2, sw, 1, 2, 1, 2, oh, ow, 0, 3); mix_f32(b, 3 * 9 * 11);
        jt_cpu_im2col_f64(da + 1, dout, 9, 11, 3, 2, 2, sw, 1, 2, 1, 2, oh, ow, 1, 2); mix_f64(dout, nc);
        jt_cpu_col2im_f64(dout, db, 9, 11, 3, 2, 2, sw, 1, 2, 1, 2, oh, ow, 1, 2); mix_f64(db, 3 * 9 * 11);
        /* stride 1, dilation 1, a grid as wide as the plane: im2col's shifted-block path (3 planes of 9 x 11) */
        jt_cpu_im2col_f32(a + 1, o, 9, 11, 3, 3, 1, 1, 1, 1, 1, 1, 9, 11, 0, 3); mix_f32(o, 3 * 9 * 9 * 11);
        jt_cpu_im2col_f64(da + 1, dout, 9, 11, 5, 3, 1, 1, 1, 1, 1, 1, 7, 11, 1, 2); mix_f64(dout + 15 * 7 * 11, 2 * 15 * 7 * 11);
        int64_t *idx = (int64_t *) m; /* 3 * oh * ow int64 fit in m's max * 4 bytes */
        jt_cpu_max_pool2d_f32(a + 1, o, idx, 9, 11, 3, 2, 2, sw, 1, 1, 1, 2, oh, ow, 0, 3); mix_f32(o, 3 * oh * ow); mix(idx, 24 * oh * ow);
        jt_cpu_max_pool2d_bwd_f32(b, idx, o, 9, 11, oh, ow, 0, 3); mix_f32(o, 3 * 9 * 11);
        jt_cpu_max_pool2d_f64(da + 1, dout, idx, 9, 11, 3, 2, 2, sw, 1, 1, 1, 2, oh, ow, 0, 3); mix_f64(dout, 3 * oh * ow); mix(idx, 24 * oh * ow);
        jt_cpu_max_pool2d_bwd_f64(db, idx, dout, 9, 11, oh, ow, 0, 3); mix_f64(dout, 3 * 9 * 11);
        jt_cpu_batch_norm_stats_f32(a + 1, o, o + 8, 3, 5, 19, 1e-5, 0, 5); mix_f32(o, 13);
        jt_cpu_batch_norm_elemt_f32(a + 1, v, o, o + 8, 3, 5, 19, 0, 5); mix_f32(v, 3 * 5 * 19);
        jt_cpu_batch_norm_stats_f64(da + 1, dout, dout + 8, 3, 5, 19, 1e-5, 1, 4); mix_f64(dout + 1, 4); mix_f64(dout + 9, 4);
        jt_cpu_batch_norm_elemt_f64(da + 1, dv, dout, dout + 8, 3, 5, 19, 1, 4);
        jt_cpu_batch_norm_elemt_act_f32(a + 1, o + 16, o, o + 8, sw == 1 ? b : NULL, sw == 1, 3, 5, 19, 0, 5); mix_f32(o + 16, 3 * 5 * 19);
        jt_cpu_batch_norm_elemt_act_f64(da + 1, dv, dout, dout + 8, sw == 1 ? NULL : db, sw == 1, 3, 5, 19, 1, 4); mix_f64(dv, 3 * 5 * 19);
        jt_cpu_batch_norm_bwd_reduce_f32(a + 1, b, NULL, NULL, o, o + 16, o + 24, 3, 5, 19, 0, 5); mix_f32(o + 16, 13);
        jt_cpu_batch_norm_bwd_elemt_f32(a + 1, b, v, o, o + 8, o + 16, o + 24, 3, 5, 19, 0, 5); mix_f32(v, 3 * 5 * 19);
        jt_cpu_batch_norm_bwd_reduce_f64(da + 1, db, dv, dm, dout, dout + 16, dout + 24, 3, 5, 19, 1, 4); mix_f64(dout + 17, 4); mix_f64(dout + 25, 4);
        mix_f64(dm + 19, 4 * 19);
        jt_cpu_batch_norm_bwd_elemt_f64(da + 1, db, dv, dout, dout + 8, dout + 16, dout + 24, 3, 5, 19, 1, 4); mix_f64(dv + 19, 4 * 19);
    }
    float ones_sum = 0; /* exactness: the sum of 2^24 + 3 ones (float32 alone would stop at 2^24) */
    float *ones = malloc(((1 << 24) + 3) * 4);
    for (int64_t i = 0; i < (1 << 24) + 3; i++) ones[i] = 1;
    double total = jt_cpu_sum_f32(ones, 0, (1 << 24) + 3);
    ones_sum = (float) (total - ((1 << 24) + 3));
    printf("isa %d hash %016llx ones %s\n", jt_cpu_isa_level(), (unsigned long long) hash, ones_sum == 0 ? "exact" : "WRONG");
    return ones_sum == 0 ? 0 : 1;
}
