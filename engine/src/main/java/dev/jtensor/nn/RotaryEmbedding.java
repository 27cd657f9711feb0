package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;

/**
 * Rotary position embeddings (RoPE, Su et al. 2021), in the "rotate half" layout of GPT-NeoX and LLaMA: for a
 * head of even size {@code d}, frequencies {@code f_i = base^(-2i/d)} ({@code i < d/2}), angles
 * {@code theta[t, i] = t f_i} repeated for both halves, and
 * {@code rope(x)[t] = x[t] cos(theta[t]) + rotateHalf(x[t]) sin(theta[t])} with
 * {@code rotateHalf([x1, x2]) = [-x2, x1]}. Applied to queries and keys before attention, it makes
 * {@code q_m . k_n} depend on positions only through {@code m - n}. Not a module (no parameters): a helper
 * holding the cos/sin tables, computed in float64 and cast to the input's dtype.
 */
public final class RotaryEmbedding {
    private final long dim;
    private final double base;

    /** Rotations for heads of size {@code dim} (even) with base 10000, as LLaMA. */
    public RotaryEmbedding(long dim) { this(dim, 10000.0); }

    public RotaryEmbedding(long dim, double base) {
        if (dim <= 0 || dim % 2 != 0) throw new IllegalArgumentException("RotaryEmbedding: head dim must be positive and even, got " + dim);
        this.dim = dim;
        this.base = base;
    }

    /** {@code [cos, sin]} tables {@code [length, dim]} for positions {@code offset .. offset + length - 1}. */
    public Tensor[] tables(long offset, long length, DType dtype) {
        Tensor invFreq = Jt.arange(0.0, (double) dim, 2.0, DType.FLOAT64).div((double) dim).mul(-Math.log(base)).exp();
        Tensor t = Jt.arange(offset, offset + length, DType.FLOAT64);
        Tensor freqs = t.outer(invFreq);
        Tensor emb = Jt.cat(java.util.List.of(freqs, freqs), 1);
        return new Tensor[] {emb.cos().to(dtype), emb.sin().to(dtype)};
    }

    /**
     * {@code x [..., T, dim]} rotated for positions {@code offset .. offset + T - 1} (offset: the tokens already in
     * a KV cache). Differentiable in x.
     */
    public Tensor apply(Tensor x, long offset) {
        if (x.dim() < 2 || x.size(-1) != dim) throw new IllegalArgumentException("RotaryEmbedding: expected [..., T, " + dim + "], got " + x.shape());
        Tensor[] cs = tables(offset, x.size(-2), x.dtype());
        return x.mul(cs[0].to(x.device())).add(rotateHalf(x).mul(cs[1].to(x.device())));
    }

    /** {@code [x1, x2] -> [-x2, x1]} along the last dim. */
    public static Tensor rotateHalf(Tensor x) {
        long half = x.size(-1) / 2;
        return Jt.cat(java.util.List.of(x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)), x.dim() - 1);
    }
}
