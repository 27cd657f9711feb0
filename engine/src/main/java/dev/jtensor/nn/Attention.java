package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.amp.Autocast;

/**
 * {@code F.scaledDotProductAttention}: checks, grouped-query heads, then {@code Jt.scaledDotProductAttention} (the
 * backend's fused kernel or the composite) without dropout, or with dropout this composite of tensor ops (matmul,
 * where, softmax, dropout, matmul), PyTorch 2's documented reference line for line.
 */
final class Attention {
    private Attention() {}

    /**
     * {@code softmax(q k^T * scale + bias) v}: q {@code [..., L, E]}, k {@code [..., S, E]}, v {@code [..., S, Ev]};
     * the batch dims broadcast. {@code bias} is -inf where the bool {@code attnMask} is false or above the
     * diagonal when {@code isCausal} (top-left aligned, as PyTorch), or the float {@code attnMask} itself.
     * With {@code enableGqa}, k and v with fewer heads (dim -3) are repeated to q's heads. A row with every
     * position masked gives NaN, as the reference does.
     */
    static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor attnMask, double dropoutP, boolean isCausal,
                                   Double scale, boolean enableGqa) {
        Tensor[] ac = Autocast.inputs("scaled_dot_product_attention", q, k, v, attnMask); // a bool mask stays bool
        q = ac[0];
        k = ac[1];
        v = ac[2];
        attnMask = ac[3];
        check(q, k, v, attnMask, isCausal, enableGqa);
        long l = q.size(-2), s = k.size(-2);
        double factor = scale != null ? scale : 1 / Math.sqrt(q.size(-1));
        if (enableGqa && q.dim() >= 3 && k.size(-3) != q.size(-3)) {
            k = k.repeatInterleave(q.size(-3) / k.size(-3), k.dim() - 3);
            v = v.repeatInterleave(q.size(-3) / v.size(-3), v.dim() - 3);
        }
        if (dropoutP == 0) return Jt.scaledDotProductAttention(q, k, v, attnMask, isCausal, factor); // fused where the backend can
        Tensor scores = q.matmul(k.transpose(-2, -1)).mul(factor);
        if (isCausal) scores = scores.where(Jt.ones(new long[] {l, s}, DType.BOOL).to(q.device()).tril(), Double.NEGATIVE_INFINITY);
        if (attnMask != null) {
            scores = attnMask.dtype() == DType.BOOL ? scores.where(attnMask, Double.NEGATIVE_INFINITY) : scores.add(attnMask);
        }
        Tensor weights = scores.softmax(-1);
        if (dropoutP > 0) weights = F.dropout(weights, dropoutP, true);
        return weights.matmul(v);
    }

    static void check(Tensor q, Tensor k, Tensor v, Tensor attnMask, boolean isCausal, boolean enableGqa) {
        if (q.dim() < 2 || k.dim() < 2 || v.dim() < 2) {
            throw new IllegalArgumentException("scaled_dot_product_attention: query, key and value must have at least 2 dims, got "
                    + q.shape() + ", " + k.shape() + ", " + v.shape());
        }
        if (q.size(-1) != k.size(-1) || k.size(-2) != v.size(-2)) {
            throw new IllegalArgumentException("scaled_dot_product_attention: query [..., L, E], key [..., S, E] and value [..., S, Ev] "
                    + "expected, got " + q.shape() + ", " + k.shape() + ", " + v.shape());
        }
        if (isCausal && attnMask != null) {
            throw new IllegalArgumentException("scaled_dot_product_attention: explicit attn_mask should not be set when is_causal=True");
        }
        if (!q.dtype().isFloatingPoint() || q.dtype() != k.dtype() || q.dtype() != v.dtype()) {
            throw new IllegalArgumentException("scaled_dot_product_attention: query, key and value must have one floating dtype, got "
                    + q.dtype() + ", " + k.dtype() + ", " + v.dtype());
        }
        if (attnMask != null && attnMask.dtype() != DType.BOOL && attnMask.dtype() != q.dtype()) {
            throw new IllegalArgumentException("scaled_dot_product_attention: attn_mask must be bool or " + q.dtype() + ", got " + attnMask.dtype());
        }
        if (enableGqa && q.dim() >= 3 && (k.size(-3) != v.size(-3) || q.size(-3) % k.size(-3) != 0)) {
            throw new IllegalArgumentException("scaled_dot_product_attention: with enable_gqa the query heads (" + q.size(-3)
                    + ") must be a multiple of the key/value heads (" + k.size(-3) + ", " + v.size(-3) + ")");
        }
    }
}
