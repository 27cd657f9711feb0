package dev.jtensor.backend;

/**
 * What a random fill draws ({@link Backend#random}): PyTorch's {@code uniform_}, {@code normal_} and
 * {@code random_(from, to)}. The CPU draws them from the generator's mt19937 stream exactly as PyTorch's CPU
 * kernels do; CUDA from the Philox stream keyed by the generator's seed at its offset, as PyTorch's CUDA
 * kernels do (other numbers than the CPU's, as in PyTorch).
 */
public sealed interface RandomDraw {
    /** Uniform in {@code [from, to)}; floating types. */
    record Uniform(double from, double to) implements RandomDraw {}

    /** Normal with {@code mean} and {@code std}; floating types. */
    record Normal(double mean, double std) implements RandomDraw {}

    /** Integers uniform in {@code [low, high)}; any type. */
    record Integers(long low, long high) implements RandomDraw {
        public Integers {
            if (high <= low) throw new IllegalArgumentException("random_: expected low < high, got low=" + low + " high=" + high);
        }
    }
}
