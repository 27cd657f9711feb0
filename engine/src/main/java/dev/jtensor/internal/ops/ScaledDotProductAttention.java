package dev.jtensor.internal.ops;

import static dev.jtensor.internal.ops.Dispatch.operand;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.AttentionShape;
import dev.jtensor.backend.Backend;
import dev.jtensor.internal.Tensors;
import java.util.Arrays;
import java.util.List;

/**
 * {@code softmax(q k^T * scale + bias) v} without dropout: the backend's fused kernel where it has one (float32 on the
 * CPU: {@code native/cpu/attention.c}, tiled with an online softmax, O(L) memory, forward and backward from the
 * saved row log-sum-exp), else {@link #composite} (matmul, where, softmax, matmul), which is also the fused path's
 * test oracle. {@code -Djtensor.fusedAttention=false} turns the fused path off.
 */
public final class ScaledDotProductAttention {
    private ScaledDotProductAttention() {}

    private static final boolean FUSED = !"false".equalsIgnoreCase(System.getProperty("jtensor.fusedAttention", "true"));

    /**
     * q {@code [..., L, E]}, k {@code [..., S, E]}, v {@code [..., S, Ev]} (batch dims broadcast); {@code mask} null, bool
     * (true = attend) or additive, broadcastable to {@code [..., L, S]}; {@code causal}: keys after the query's position
     * masked (top-left aligned); {@code scale} null for {@code 1/sqrt(E)}.
     *
     * @throws IllegalArgumentException for mismatched shapes or dtypes, or a mask with causal
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, Double scale) {
        check(q, k, v, mask, causal);
        double factor = scale != null ? scale : 1 / Math.sqrt(q.size(-1));
        if (FUSED && fusable(q, k, v, mask)) return fused(q, k, v, mask, causal, factor);
        return composite(q, k, v, mask, causal, factor);
    }

    /** PyTorch 2's documented reference, line for line (no dropout). */
    public static Tensor composite(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, double scale) {
        long l = q.size(-2), s = k.size(-2);
        Tensor scores = q.matmul(k.transpose(-2, -1)).mul(scale);
        if (causal) scores = scores.where(Movement.toDevice(Creation.full(new long[] {l, s}, 1, DType.BOOL), q.device()).tril(), Double.NEGATIVE_INFINITY);
        if (mask != null) scores = mask.dtype() == DType.BOOL ? scores.where(mask, Double.NEGATIVE_INFINITY) : scores.add(mask);
        return scores.softmax(-1).matmul(v);
    }

    static void check(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal) {
        if (q.dim() < 2 || k.dim() < 2 || v.dim() < 2 || q.size(-1) != k.size(-1) || k.size(-2) != v.size(-2)) {
            throw new IllegalArgumentException("scaled_dot_product_attention: query [..., L, E], key [..., S, E] and value [..., S, Ev] "
                    + "expected, got " + q.shape() + ", " + k.shape() + ", " + v.shape());
        }
        if (causal && mask != null) throw new IllegalArgumentException("scaled_dot_product_attention: explicit attn_mask should not be set when is_causal=True");
        if (!q.dtype().isFloatingPoint() || q.dtype() != k.dtype() || q.dtype() != v.dtype()) {
            throw new IllegalArgumentException("scaled_dot_product_attention: query, key and value must have one floating dtype, got "
                    + q.dtype() + ", " + k.dtype() + ", " + v.dtype());
        }
        if (mask != null && mask.dtype() != DType.BOOL && mask.dtype() != q.dtype()) {
            throw new IllegalArgumentException("scaled_dot_product_attention: attn_mask must be bool or " + q.dtype() + ", got " + mask.dtype());
        }
    }

    /** Float32, equal batch dims, no empty operand, a mask that needs no gradient and no larger batch than q's. */
    static boolean fusable(Tensor q, Tensor k, Tensor v, Tensor mask) {
        if (q.dtype() != DType.FLOAT32 || !Backend.of(q.device()).hasFusedAttention(DType.FLOAT32)) return false;
        if (q.numel() == 0 || k.numel() == 0 || v.numel() == 0 || q.dim() != k.dim() || q.dim() != v.dim()) return false;
        for (int d = 0; d < q.dim() - 2; d++) if (q.size(d) != k.size(d) || q.size(d) != v.size(d)) return false;
        return mask == null || (!mask.requiresGrad() && mask.dim() <= q.dim());
    }

    private static Tensor fused(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, double scale) {
        long l = q.size(-2), s = k.size(-2), e = q.size(-1), ev = v.size(-1), bh = q.numel() / (l * e);
        Tensor qc = q.detach().contiguous(), kc = k.detach().contiguous(), vc = v.detach().contiguous();
        Tensor bias = mask == null ? null : bias(mask, q, l, s);
        AttentionShape shape = new AttentionShape(bh, l, s, e, ev, scale, causal, bias == null || bias.dim() == 2 ? 0 : l * s);
        long[] outShape = q.shape().toArray();
        outShape[outShape.length - 1] = ev;
        Tensor out = Tensors.empty(DType.FLOAT32, outShape, q.device()), lse = Tensors.empty(DType.FLOAT32, new long[] {bh, l}, q.device());
        Tensor[] read = bias == null ? new Tensor[] {qc, kc, vc} : new Tensor[] {qc, kc, vc, bias};
        Dispatch.run("scaled_dot_product_attention", new Tensor[] {out, lse}, read, (backend, w, r) ->
                backend.attentionForward(shape, operand(w[0], out), operand(w[1], lse), operand(r[0], qc), operand(r[1], kc),
                        operand(r[2], vc), bias == null ? null : operand(r[3], bias)));
        if (!Autograd.needsGrad(List.of(q, k, v))) return out;
        List<Tensor> saved = bias == null ? List.of(qc, kc, vc, out, lse) : List.of(qc, kc, vc, out, lse, bias);
        return Autograd.record("ScaledDotProductFlashAttentionForCpuBackward0", out, List.of(q, k, v), saved, (g, sv) -> {
            Tensor gc = g.contiguous(), sq = sv.get(0), sk = sv.get(1), svv = sv.get(2), so = sv.get(3), sl = sv.get(4);
            Tensor sb = bias == null ? null : sv.get(5);
            Tensor dq = Tensors.empty(DType.FLOAT32, sq.shape().toArray(), g.device()), dk = Tensors.empty(DType.FLOAT32, sk.shape().toArray(), g.device());
            Tensor dv = Tensors.empty(DType.FLOAT32, svv.shape().toArray(), g.device());
            Tensor[] in = sb == null ? new Tensor[] {sq, sk, svv, so, sl, gc} : new Tensor[] {sq, sk, svv, so, sl, gc, sb};
            Dispatch.run("scaled_dot_product_attention backward", new Tensor[] {dq, dk, dv}, in, (backend, w, r) ->
                    backend.attentionBackward(shape, operand(w[0], dq), operand(w[1], dk), operand(w[2], dv), operand(r[0], sq),
                            operand(r[1], sk), operand(r[2], svv), sb == null ? null : operand(r[6], sb), operand(r[3], so), operand(r[4], sl),
                            operand(r[5], gc)));
            return Arrays.asList(sv.needsInputGrad(0) ? dq : null, sv.needsInputGrad(1) ? dk : null, sv.needsInputGrad(2) ? dv : null);
        });
    }

    /** The mask as a contiguous additive float32 bias: {@code [L, S]} when it has no batch dims, else q's batch dims + {@code [L, S]}. */
    private static Tensor bias(Tensor mask, Tensor q, long l, long s) {
        Tensor additive = mask.dtype() == DType.BOOL
                ? Creation.full(mask.shape().toArray(), 0, DType.FLOAT32, mask.device()).maskedFill(mask.logicalNot(), Double.NEGATIVE_INFINITY)
                : mask.detach();
        if (mask.dim() <= 2) return additive.expand(l, s).contiguous();
        long[] shape = q.shape().toArray();
        shape[shape.length - 1] = s;
        return additive.expand(shape).contiguous();
    }

}
