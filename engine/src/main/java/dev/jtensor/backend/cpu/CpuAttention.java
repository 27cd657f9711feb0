package dev.jtensor.backend.cpu;

import dev.jtensor.backend.AttentionShape;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Fused scaled dot-product attention on the CPU, float32: the C kernels of {@code native/cpu/attention.c} through
 * {@link NativeAttention} where the library is loaded and every operand is native memory, else these Java loops,
 * which compute the same algorithm (per query row, keys in blocks of {@value #BLOCK} with an online softmax; the
 * backward recomputes probabilities from the row's log-sum-exp). Work is split over the intra-op pool by
 * batch x heads slice.
 */
final class CpuAttention {
    private CpuAttention() {}

    static final int BLOCK = 64;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    static void forward(AttentionShape sh, MemorySegment q, MemorySegment k, MemorySegment v, MemorySegment bias,
                        MemorySegment out, MemorySegment lse) {
        if (NativeAttention.forward(sh, q, k, v, bias, out, lse)) return;
        Parallel.forRange(sh.batchHeads(), 1, (from, to) -> {
            for (long bh = from; bh < to; bh++) forwardSlice(sh, q, k, v, bias, out, lse, bh);
        });
    }

    static void backward(AttentionShape sh, MemorySegment q, MemorySegment k, MemorySegment v, MemorySegment bias,
                         MemorySegment out, MemorySegment lse, MemorySegment dout, MemorySegment dq, MemorySegment dk, MemorySegment dv) {
        if (NativeAttention.backward(sh, q, k, v, bias, out, lse, dout, dq, dk, dv)) return;
        Parallel.forRange(sh.batchHeads(), 1, (from, to) -> {
            for (long bh = from; bh < to; bh++) backwardSlice(sh, q, k, v, bias, out, lse, dout, dq, dk, dv, bh);
        });
    }

    private static float get(MemorySegment m, long i) { return m.getAtIndex(F, i); }

    /** As the C kernel's dot_f32: four running sums, combined pairwise. */
    private static float dot(MemorySegment a, long ai, MemorySegment b, long bi, long n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        long i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += get(a, ai + i) * get(b, bi + i);
            s1 += get(a, ai + i + 1) * get(b, bi + i + 1);
            s2 += get(a, ai + i + 2) * get(b, bi + i + 2);
            s3 += get(a, ai + i + 3) * get(b, bi + i + 3);
        }
        for (; i < n; i++) s0 += get(a, ai + i) * get(b, bi + i);
        return (s0 + s1) + (s2 + s3);
    }

    private static float score(AttentionShape sh, MemorySegment q, long qi, MemorySegment k, long kj, MemorySegment bias, long bi) {
        float s = dot(q, qi, k, kj, sh.e()) * (float) sh.scale();
        return bias == null ? s : s + get(bias, bi);
    }

    private static void forwardSlice(AttentionShape sh, MemorySegment q, MemorySegment k, MemorySegment v, MemorySegment bias,
                                     MemorySegment out, MemorySegment lse, long bh) {
        long l = sh.l(), s = sh.s(), e = sh.e(), ev = sh.ev();
        float[] p = new float[BLOCK], acc = new float[(int) ev];
        for (long i = 0; i < l; i++) {
            java.util.Arrays.fill(acc, 0);
            float m = Float.NEGATIVE_INFINITY, sum = 0;
            long end = sh.causal() ? Math.min(s, i + 1) : s, qi = (bh * l + i) * e, bi = bh * sh.biasStride() + i * s;
            for (long j0 = 0; j0 < end; j0 += BLOCK) {
                int n = (int) Math.min(BLOCK, end - j0);
                float blockMax = Float.NEGATIVE_INFINITY;
                for (int jj = 0; jj < n; jj++) {
                    p[jj] = score(sh, q, qi, k, (bh * s + j0 + jj) * e, bias, bi + j0 + jj);
                    if (p[jj] > blockMax) blockMax = p[jj];
                }
                float mNew = Math.max(blockMax, m);
                if (mNew == Float.NEGATIVE_INFINITY) continue;
                float correction = (float) Math.exp(m - mNew);
                sum *= correction;
                for (int c = 0; c < ev; c++) acc[c] *= correction;
                for (int jj = 0; jj < n; jj++) {
                    float w = (float) Math.exp(p[jj] - mNew);
                    long vj = (bh * s + j0 + jj) * ev;
                    sum += w;
                    for (int c = 0; c < ev; c++) acc[c] += w * get(v, vj + c);
                }
                m = mNew;
            }
            long oi = (bh * l + i) * ev;
            float inv = 1.0f / sum;
            for (int c = 0; c < ev; c++) out.setAtIndex(F, oi + c, sum > 0 ? acc[c] * inv : Float.NaN);
            lse.setAtIndex(F, bh * l + i, sum > 0 ? m + (float) Math.log(sum) : Float.NaN);
        }
    }

    private static void backwardSlice(AttentionShape sh, MemorySegment q, MemorySegment k, MemorySegment v, MemorySegment bias,
                                      MemorySegment out, MemorySegment lse, MemorySegment dout, MemorySegment dq, MemorySegment dk,
                                      MemorySegment dv, long bh) {
        long l = sh.l(), s = sh.s(), e = sh.e(), ev = sh.ev();
        dq.asSlice(bh * l * e * 4, l * e * 4).fill((byte) 0);
        dk.asSlice(bh * s * e * 4, s * e * 4).fill((byte) 0);
        dv.asSlice(bh * s * ev * 4, s * ev * 4).fill((byte) 0);
        float scale = (float) sh.scale();
        for (long i = 0; i < l; i++) {
            long qi = (bh * l + i) * e, oi = (bh * l + i) * ev, bi = bh * sh.biasStride() + i * s;
            float rowLse = get(lse, bh * l + i), d = dot(dout, oi, out, oi, ev);
            long end = sh.causal() ? Math.min(s, i + 1) : s;
            for (long j = 0; j < end; j++) {
                long kj = (bh * s + j) * e, vj = (bh * s + j) * ev;
                float pij = (float) Math.exp(score(sh, q, qi, k, kj, bias, bi + j) - rowLse);
                if (pij == 0) continue;
                for (long c = 0; c < ev; c++) dv.setAtIndex(F, vj + c, get(dv, vj + c) + pij * get(dout, oi + c));
                float ds = pij * (dot(dout, oi, v, vj, ev) - d) * scale;
                for (long c = 0; c < e; c++) {
                    dq.setAtIndex(F, qi + c, get(dq, qi + c) + ds * get(k, kj + c));
                    dk.setAtIndex(F, kj + c, get(dk, kj + c) + ds * get(q, qi + c));
                }
            }
        }
    }
}
