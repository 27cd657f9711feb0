package dev.jtensor.backend.cpu;

import dev.jtensor.backend.AttentionShape;
import dev.jtensor.bindings.cpukernels.jtensor_cpu_h;
import java.lang.foreign.MemorySegment;

/**
 * {@link NativeKernels}' attention part: {@code jt_cpu_attention_fwd_f32} and {@code jt_cpu_attention_bwd_f32}
 * ({@code native/cpu/attention.c}), one C call per chunk of batch x heads slices on the intra-op pool. Declines
 * (returns false) when the library is not loaded or an operand is heap memory; checks every operand's size.
 */
final class NativeAttention {
    private NativeAttention() {}

    static boolean forward(AttentionShape sh, MemorySegment q, MemorySegment k, MemorySegment v, MemorySegment bias,
                           MemorySegment out, MemorySegment lse) {
        if (!NativeKernels.ENABLED || !allNative(q, k, v, bias, out, lse)) return false;
        String fn = "jt_cpu_attention_fwd_f32";
        long bh = sh.batchHeads();
        MemorySegment qs = range(fn, "q", q, bh * sh.l() * sh.e()), ks = range(fn, "k", k, bh * sh.s() * sh.e());
        MemorySegment vs = range(fn, "v", v, bh * sh.s() * sh.ev()), os = range(fn, "out", out, bh * sh.l() * sh.ev());
        MemorySegment ls = range(fn, "lse", lse, bh * sh.l()), bs = biasRange(fn, sh, bias);
        Parallel.forRange(bh, 1, (from, to) -> jtensor_cpu_h.jt_cpu_attention_fwd_f32(qs, ks, vs, bs, sh.biasStride(), os, ls, sh.l(),
                sh.s(), sh.e(), sh.ev(), (float) sh.scale(), sh.causal() ? 1 : 0, from, to - from));
        return true;
    }

    static boolean backward(AttentionShape sh, MemorySegment q, MemorySegment k, MemorySegment v, MemorySegment bias,
                            MemorySegment out, MemorySegment lse, MemorySegment dout, MemorySegment dq, MemorySegment dk, MemorySegment dv) {
        if (!NativeKernels.ENABLED || !allNative(q, k, v, bias, out, lse) || !allNative(dout, dq, dk, dv)) return false;
        String fn = "jt_cpu_attention_bwd_f32";
        long bh = sh.batchHeads(), nq = bh * sh.l() * sh.e(), nk = bh * sh.s() * sh.e(), nv = bh * sh.s() * sh.ev(), no = bh * sh.l() * sh.ev();
        MemorySegment qs = range(fn, "q", q, nq), ks = range(fn, "k", k, nk), vs = range(fn, "v", v, nv), os = range(fn, "out", out, no);
        MemorySegment ls = range(fn, "lse", lse, bh * sh.l()), gs = range(fn, "dout", dout, no), bs = biasRange(fn, sh, bias);
        MemorySegment dqs = range(fn, "dq", dq, nq), dks = range(fn, "dk", dk, nk), dvs = range(fn, "dv", dv, nv);
        Parallel.forRange(bh, 1, (from, to) -> jtensor_cpu_h.jt_cpu_attention_bwd_f32(qs, ks, vs, bs, sh.biasStride(), os, ls, gs, dqs,
                dks, dvs, sh.l(), sh.s(), sh.e(), sh.ev(), (float) sh.scale(), sh.causal() ? 1 : 0, from, to - from));
        return true;
    }

    private static boolean allNative(MemorySegment... segments) {
        for (MemorySegment m : segments) if (m != null && !m.isNative()) return false;
        return true;
    }

    private static MemorySegment range(String fn, String name, MemorySegment m, long elements) {
        if (m.byteSize() < elements * 4) {
            throw new IndexOutOfBoundsException(fn + ": operand " + name + " holds " + m.byteSize() + " bytes, needs " + elements * 4);
        }
        return m;
    }

    private static MemorySegment biasRange(String fn, AttentionShape sh, MemorySegment bias) {
        if (bias == null) return MemorySegment.NULL;
        long blocks = sh.biasStride() == 0 ? 1 : sh.batchHeads();
        return range(fn, "bias", bias, (blocks - 1) * sh.biasStride() + sh.l() * sh.s());
    }
}
