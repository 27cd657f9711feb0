package dev.jtensor.nn;

import dev.jtensor.Generator;
import dev.jtensor.Tensor;
import dev.jtensor.Jt;

/**
 * In-place initialisers, as {@code torch.nn.init}, drawing from this thread's default generator (or a
 * given one) with PyTorch's streams: after the same {@code manualSeed}, a module initialised here holds
 * the same numbers as the PyTorch module. Each fills the tensor outside the tape, bumps its version and
 * returns it.
 */
public final class Init {
    private Init() {}

    /** Fills with U(from, to); bounds are rounded to the tensor's dtype first, as PyTorch's kernel does. */
    public static Tensor uniform_(Tensor t, double from, double to) { return uniform_(t, from, to, Generator.defaultGenerator()); }

    public static Tensor uniform_(Tensor t, double from, double to, Generator g) {
        try (var noGrad = Jt.noGrad()) { // nn.init writes parameters outside autograd, as torch.nn.init does
            return t.uniform_(from, to, g);
        }
    }

    /** Fills with N(mean, std^2) (PyTorch's {@code normal_} stream). */
    public static Tensor normal_(Tensor t, double mean, double std) { return normal_(t, mean, std, Generator.defaultGenerator()); }

    public static Tensor normal_(Tensor t, double mean, double std, Generator g) {
        try (var noGrad = Jt.noGrad()) {
            return t.normal_(mean, std, g);
        }
    }

    /** Fills with a constant. */
    public static Tensor constant_(Tensor t, double value) {
        try (var noGrad = Jt.noGrad()) {
            return t.fill_(value);
        }
    }

    public static Tensor zeros_(Tensor t) { return constant_(t, 0); }

    public static Tensor ones_(Tensor t) { return constant_(t, 1); }

    /**
     * He uniform init for leaky-ReLU slope {@code a} (fan_in mode): U(-bound, bound) with
     * {@code bound = gain * sqrt(3 / fanIn)}, {@code gain = sqrt(2 / (1 + a^2))}. {@code a = sqrt(5)} is
     * what {@code nn.Linear} uses, giving {@code bound = 1 / sqrt(fanIn)}.
     */
    public static Tensor kaimingUniform_(Tensor t, double a) {
        double gain = Math.sqrt(2.0 / (1 + a * a));
        double bound = gain * Math.sqrt(3.0 / fanIn(t));
        return uniform_(t, -bound, bound);
    }

    /** Glorot uniform: U(-b, b) with {@code b = gain * sqrt(6 / (fanIn + fanOut))}. */
    public static Tensor xavierUniform_(Tensor t, double gain) {
        long fanOut = t.size(0);
        double bound = gain * Math.sqrt(6.0 / (fanIn(t) + fanOut));
        return uniform_(t, -bound, bound);
    }

    /** Inputs per output unit: {@code size(1) * (product of sizes past dim 1)}; needs at least 2 dims. */
    public static long fanIn(Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got "
                    + t.shape() + ")");
        }
        long receptive = 1;
        for (int d = 2; d < t.dim(); d++) receptive *= t.size(d);
        return t.size(1) * receptive;
    }
}
