package dev.jtensor.internal.ops;

import dev.jtensor.Generator;

/**
 * The two sampling loops of {@code torch.multinomial} on the CPU (ATen's {@code MultinomialKernel.cpp} and
 * {@code Distributions.cpp}, torch 1.13), drawing from a {@link Generator} whose lock the caller holds.
 * Weights arrive row-major ({@code rows x cats}); float32 weights are summed and divided in float, as
 * PyTorch's {@code scalar_t} arithmetic does, so the same uniforms land in the same buckets.
 */
final class MultinomialDraws {
    private MultinomialDraws() {}

    /** Inverse-CDF sampling: per row, its normalised cumulative sums, then a binary search per 53-bit uniform. */
    static long[] withReplacement(double[] p, int rows, int cats, int n, boolean f32, Generator g) {
        long[] out = new long[rows * n];
        double[] cum = new double[cats];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < cats; j++) {
                sum = f32 ? (float) (sum + p[r * cats + j]) : sum + p[r * cats + j];
                cum[j] = sum;
            }
            for (int j = 0; j < cats; j++) cum[j] = f32 ? (float) (cum[j] / sum) : cum[j] / sum;
            cum[cats - 1] = 1; // the last bucket always closes at 1, as PyTorch forces it
            for (int s = 0; s < n; s++) {
                double u = g.uniformDouble(0, 1);
                int left = 0, right = cats;
                while (right - left > 0) {
                    int mid = left + (right - left) / 2;
                    if (cum[mid] < u) left = mid + 1;
                    else right = mid;
                }
                out[r * n + s] = left;
            }
        }
        return out;
    }

    /**
     * Sampling without replacement as PyTorch does it: {@code q ~ Exp(1)} for every weight (row-major,
     * {@code -log(1 - u)} in double, rounded to the weights' dtype), then the {@code n} largest {@code p / q}
     * of each row, best first (ties to the lower index).
     */
    static long[] gumbel(double[] p, int rows, int cats, int n, boolean f32, Generator g) {
        double[] key = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double q = -1.0 / 1.0 * Math.log(1.0 - g.uniformDouble(0, 1));
            if (f32) q = (float) q;
            key[i] = f32 ? (float) (p[i] / q) : p[i] / q;
        }
        long[] out = new long[rows * n];
        boolean[] taken = new boolean[cats];
        for (int r = 0; r < rows; r++) {
            java.util.Arrays.fill(taken, false);
            for (int s = 0; s < n; s++) {
                int best = -1;
                for (int j = 0; j < cats; j++) {
                    if (!taken[j] && (best < 0 || key[r * cats + j] > key[r * cats + best])) best = j;
                }
                taken[best] = true;
                out[r * n + s] = best;
            }
        }
        return out;
    }
}
