package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * Local response normalisation across channels, as {@code nn.LocalResponseNorm(size, alpha=1e-4, beta=0.75, k=1.0)}:
 * {@code x / (k + alpha / size * sum of x^2 over the size neighbouring channels)^beta}; input {@code [N, C, ...]}.
 */
public final class LocalResponseNorm extends Module {
    private final int size;
    private final double alpha, beta, k;

    public LocalResponseNorm(int size) { this(size, 1e-4, 0.75, 1.0); }

    public LocalResponseNorm(int size, double alpha, double beta, double k) {
        if (size <= 0) throw new IllegalArgumentException("LocalResponseNorm: size must be positive, got " + size);
        this.size = size;
        this.alpha = alpha;
        this.beta = beta;
        this.k = k;
    }

    @Override
    public Tensor forward(Tensor input) { return F.localResponseNorm(input, size, alpha, beta, k); }

    @Override
    protected String extraRepr() { return size + ", alpha=" + Pools.py(alpha) + ", beta=" + Pools.py(beta) + ", k=" + Pools.py(k); }
}
