package dev.jtensor.backend;

/**
 * The sizes of one fused attention call: {@code batchHeads} independent slices of contiguous
 * {@code q [l, e]}, {@code k [s, e]}, {@code v [s, ev]} (output {@code [l, ev]}, log-sum-exp {@code [l]}), the
 * score scale, whether keys after the query's position are skipped ({@code causal}, top-left aligned), and the
 * element distance between the slices' additive bias blocks {@code [l, s]} (0: one block shared by all).
 */
public record AttentionShape(long batchHeads, long l, long s, long e, long ev, double scale, boolean causal, long biasStride) {
    public AttentionShape {
        if (batchHeads < 0 || l < 0 || s < 0 || e < 0 || ev < 0 || biasStride < 0) {
            throw new IllegalArgumentException("attention sizes must be non-negative: " + this);
        }
    }
}
