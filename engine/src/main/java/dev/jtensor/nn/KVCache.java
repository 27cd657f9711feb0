package dev.jtensor.nn;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;

/**
 * The keys and values of the tokens seen so far, for incremental (autoregressive) decoding: each step appends the
 * new tokens' {@code k, v [..., t, d]} and attends over all of them, so a prompt is encoded once and every
 * further token costs one query. Memory is preallocated for {@code maxLength} positions on the first append
 * (shape and dtype from it) and filled in place; intended for inference (under {@code Jt.noGrad()}).
 */
public final class KVCache {
    private final long maxLength;
    private Tensor keys, values;
    private long length;

    /** A cache for at most {@code maxLength} positions. */
    public KVCache(long maxLength) {
        if (maxLength <= 0) throw new IllegalArgumentException("KVCache: maxLength must be positive, got " + maxLength);
        this.maxLength = maxLength;
    }

    /**
     * Appends {@code k [..., t, dk]} and {@code v [..., t, dv]} and returns {@code {keys, values}} of every position so
     * far ({@code [..., length, d]}, views of the cache).
     *
     * @throws IllegalStateException past {@code maxLength}
     * @throws IllegalArgumentException when the shapes do not continue the cache's
     */
    public Tensor[] update(Tensor k, Tensor v) {
        long t = k.size(-2);
        if (v.size(-2) != t) throw new IllegalArgumentException("KVCache: keys and values differ in length: " + k.shape() + " vs " + v.shape());
        if (length + t > maxLength) throw new IllegalStateException("KVCache: " + (length + t) + " positions exceed maxLength " + maxLength);
        if (keys == null) {
            keys = Jt.zeros(withLength(k), k.dtype(), k.device());
            values = Jt.zeros(withLength(v), v.dtype(), v.device());
        }
        try (var g = Jt.noGrad()) {
            keys.narrow(keys.dim() - 2, length, t).copy_(k);
            values.narrow(values.dim() - 2, length, t).copy_(v);
        }
        length += t;
        return new Tensor[] {keys.narrow(keys.dim() - 2, 0, length), values.narrow(values.dim() - 2, 0, length)};
    }

    private long[] withLength(Tensor x) {
        long[] shape = x.shape().toArray();
        shape[shape.length - 2] = maxLength;
        return shape;
    }

    /** Positions held. */
    public long length() { return length; }

    /** Forgets every position (keeps the memory). */
    public void reset() { length = 0; }
}
