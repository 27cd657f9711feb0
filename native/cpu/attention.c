/*
 * Fused scaled dot-product attention (issue 23), forward and backward, float32, in the manner of
 * FlashAttention: no [L, S] score matrix is ever stored. The forward walks each query row over the keys in
 * blocks of JT_ATTN_BLOCK with an online softmax (a running maximum m and sum l, the accumulated output
 * rescaled by exp(m_old - m_new) whenever the maximum grows) and keeps the row's log-sum-exp
 * lse = m + log(l); the backward recomputes each probability p = exp(s - lse) from it.
 * Memory: O(JT_ATTN_BLOCK) per call beyond the operands. The caller (Java's intra-op pool) splits the
 * batch x heads slices [from, from + count) over threads; slices are independent, so dk/dv are written by
 * one thread each.
 */
#include <math.h>
#include "common.h"

#define JT_ATTN_BLOCK 64

JT_INLINE float dot_f32(const float *a, const float *b, int64_t n) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++) s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

JT_INLINE float score(const float *qi, const float *kj, const float *bias_row, int64_t j, int64_t e, float scale) {
    float s = dot_f32(qi, kj, e) * scale;
    return bias_row ? s + bias_row[j] : s;
}

JT_CLONES
void jt_cpu_attention_fwd_f32(const float *q, const float *k, const float *v, const float *bias, int64_t bias_stride,
                              float *out, float *lse, int64_t l, int64_t s, int64_t e, int64_t ev, float scale,
                              int32_t causal, int64_t from, int64_t count) {
    float p[JT_ATTN_BLOCK];
    for (int64_t bh = from; bh < from + count; bh++) {
        const float *qb = q + bh * l * e, *kb = k + bh * s * e, *vb = v + bh * s * ev;
        const float *bb = bias ? bias + bh * bias_stride : 0;
        for (int64_t i = 0; i < l; i++) {
            const float *qi = qb + i * e, *bias_row = bb ? bb + i * s : 0;
            float *oi = out + (bh * l + i) * ev;
            for (int64_t c = 0; c < ev; c++) oi[c] = 0;
            float m = -INFINITY, sum = 0;
            int64_t end = causal ? (i + 1 < s ? i + 1 : s) : s;
            for (int64_t j0 = 0; j0 < end; j0 += JT_ATTN_BLOCK) {
                int64_t n = end - j0 < JT_ATTN_BLOCK ? end - j0 : JT_ATTN_BLOCK;
                float block_max = -INFINITY;
                for (int64_t jj = 0; jj < n; jj++) {
                    p[jj] = score(qi, kb + (j0 + jj) * e, bias_row, j0 + jj, e, scale);
                    if (p[jj] > block_max) block_max = p[jj];
                }
                float m_new = block_max > m ? block_max : m;
                if (m_new == -INFINITY) continue; /* every key so far masked */
                float correction = expf(m - m_new);
                sum *= correction;
                for (int64_t c = 0; c < ev; c++) oi[c] *= correction;
                for (int64_t jj = 0; jj < n; jj++) {
                    float w = expf(p[jj] - m_new);
                    const float *vj = vb + (j0 + jj) * ev;
                    sum += w;
                    for (int64_t c = 0; c < ev; c++) oi[c] += w * vj[c];
                }
                m = m_new;
            }
            if (sum > 0) {
                float inv = 1.0f / sum;
                for (int64_t c = 0; c < ev; c++) oi[c] *= inv;
                lse[bh * l + i] = m + logf(sum);
            } else { /* a row with every key masked: NaN, as softmax over only -inf */
                for (int64_t c = 0; c < ev; c++) oi[c] = NAN;
                lse[bh * l + i] = NAN;
            }
        }
    }
}

JT_CLONES
void jt_cpu_attention_bwd_f32(const float *q, const float *k, const float *v, const float *bias, int64_t bias_stride,
                              const float *out, const float *lse, const float *dout, float *dq, float *dk, float *dv,
                              int64_t l, int64_t s, int64_t e, int64_t ev, float scale, int32_t causal, int64_t from,
                              int64_t count) {
    for (int64_t bh = from; bh < from + count; bh++) {
        const float *qb = q + bh * l * e, *kb = k + bh * s * e, *vb = v + bh * s * ev;
        const float *bb = bias ? bias + bh * bias_stride : 0;
        float *dqb = dq + bh * l * e, *dkb = dk + bh * s * e, *dvb = dv + bh * s * ev;
        for (int64_t x = 0; x < l * e; x++) dqb[x] = 0;
        for (int64_t x = 0; x < s * e; x++) dkb[x] = 0;
        for (int64_t x = 0; x < s * ev; x++) dvb[x] = 0;
        for (int64_t i = 0; i < l; i++) {
            const float *qi = qb + i * e, *bias_row = bb ? bb + i * s : 0;
            const float *oi = out + (bh * l + i) * ev, *gi = dout + (bh * l + i) * ev;
            float row_lse = lse[bh * l + i];
            float *dqi = dqb + i * e;
            float d = dot_f32(gi, oi, ev); /* D_i = dout_i . out_i = sum_j p_ij dp_ij */
            int64_t end = causal ? (i + 1 < s ? i + 1 : s) : s;
            for (int64_t j = 0; j < end; j++) {
                const float *kj = kb + j * e, *vj = vb + j * ev;
                float pij = expf(score(qi, kj, bias_row, j, e, scale) - row_lse);
                if (pij == 0) continue; /* masked (exp(-inf)) or underflowed: no contribution */
                float *dvj = dvb + j * ev, *dkj = dkb + j * e;
                for (int64_t c = 0; c < ev; c++) dvj[c] += pij * gi[c];
                float ds = pij * (dot_f32(gi, vj, ev) - d) * scale;
                for (int64_t c = 0; c < e; c++) {
                    dqi[c] += ds * kj[c];
                    dkj[c] += ds * qi[c];
                }
            }
        }
    }
}
